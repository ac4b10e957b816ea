import type { Decimal } from '../money/decimal.js';
import { formatDecimal, formatPlaces } from '../money/decimal.js';
import { type Fen, formatYuan } from '../money/fen.js';
import type { Bilingual } from '../policy/model.js';

/** One payslip line: an amount rounded once to the fen, and how it came about (R-RUN-3). */
export interface PayLine {
  code: string;
  amount: Fen;
  rule: string;
  /** The arithmetic with the values filled in, e.g. "3000.00 × 2 ÷ 21.75". */
  formula: string;
  inputs: Record<string, string>;
  explain: Bilingual;
}

export const num = (value: Decimal): string => formatDecimal(value);
export const yuan = (amount: Fen): string => formatYuan(amount);
/** A yuan amount that is not yet rounded, shown as the policy or input gave it, with two places at least. */
export function money(value: Decimal): string {
  return value.decimalPlaces() < 2 ? formatPlaces(value, 2) : formatDecimal(value);
}
export function percent(rate: Decimal): string {
  return `${formatDecimal(rate.times(100).toDecimalPlaces(2))}%`;
}
