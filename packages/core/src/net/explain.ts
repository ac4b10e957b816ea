/** Formatting for the bilingual explanations of the net-pay figures. */
import { type Decimal, formatDecimal } from '../money/decimal.js';
import { type Fen, formatYuan } from '../money/fen.js';

/** "8%", "0.16%", "9.8%". */
export function percent(value: Decimal): string {
  return `${formatDecimal(value.times(100))}%`;
}

/** "10000.00". */
export const yuan = (amount: Fen): string => formatYuan(amount);

/** A yuan figure given as a decimal (a threshold, a quick deduction): "36000", "2520". */
export const figure = (value: Decimal): string => formatDecimal(value);
