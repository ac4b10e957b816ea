import { Decimal, type DecimalInput, dec, divideRounded } from './decimal.js';

declare const fenBrand: unique symbol;
/** An amount of money in fen (0.01 yuan): always a safe integer. */
export type Fen = number & { readonly [fenBrand]: true };

export function fen(value: number): Fen {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`money must be a whole number of fen, got ${value}`);
  }
  return value as Fen;
}

export const ZERO_FEN = fen(0);

/** Rounds an exact yuan amount half-up (away from zero at .5) to the fen — the one rounding of a line. */
export function yuanToFen(yuan: DecimalInput): Fen {
  const inFen = dec(yuan).times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return fen(inFen.toNumber());
}

/** numerator ÷ denominator in yuan, rounded half-up to the fen exactly. */
export function divideToFen(numerator: Decimal, denominator: Decimal): Fen {
  return yuanToFen(divideRounded(numerator, denominator, 2));
}

export function fenToYuan(amount: Fen): Decimal {
  return new Decimal(amount).dividedBy(100);
}

export function addFen(...amounts: Fen[]): Fen {
  return fen(amounts.reduce<number>((sum, amount) => sum + amount, 0));
}

export function negateFen(amount: Fen): Fen {
  return fen(amount === 0 ? 0 : -amount);
}

const TWO_PLACES = /^(-?)(\d{1,13})\.(\d\d)$/;

/** The fen of a yuan text as `formatYuan` writes it ("4355.00", "-275.86"); other decimal texts are rounded as `yuanToFen` rounds them. */
export function fenOfYuanText(text: string): Fen {
  const parts = TWO_PLACES.exec(text);
  if (!parts) return yuanToFen(text);
  const amount = Number(parts[2]) * 100 + Number(parts[3]);
  return fen(parts[1] === '-' && amount !== 0 ? -amount : amount);
}

/** "4355.00", "-275.86": yuan with exactly two places. */
export function formatYuan(amount: Fen): string {
  const sign = amount < 0 ? '-' : '';
  const absolute = Math.abs(amount);
  const yuan = Math.trunc(absolute / 100);
  const cents = absolute % 100;
  return `${sign}${yuan}.${String(cents).padStart(2, '0')}`;
}
