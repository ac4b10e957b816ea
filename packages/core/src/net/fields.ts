import { formatDecimal } from '../money/decimal.js';
import { type Fen, yuanToFen } from '../money/fen.js';
import { decimal, type Field } from '../validate/schema.js';

/** A non-negative amount of yuan with at most two decimal places, as fen (no rounding ever happens here). */
export function yuanAmount(): Field<Fen> {
  return (reader, value, path) => {
    const parsed = decimal({ min: 0 })(reader, value, path);
    if (parsed === undefined) return undefined;
    if (parsed.decimalPlaces() > 2) {
      reader.report(path, `must have at most two decimal places (whole fen), got ${formatDecimal(parsed)}`);
      return undefined;
    }
    return yuanToFen(parsed);
  };
}

/** A rate as a fraction between 0 and 1 (0.08 = 8%). */
export const rate = () => decimal({ min: 0, max: 1 });
