/** Formatting for the bilingual explanations of the net-pay figures. */
import { type Decimal, formatDecimal } from '../money/decimal.js';
import { type Fen, formatYuan } from '../money/fen.js';
import type { Bilingual } from '../policy/model.js';

/** What a figure computed only to carry the year forward says: nothing. */
export const UNEXPLAINED: Bilingual = Object.freeze({ zh: '', en: '' });

// Rates are a city's or a table's own decimals, shown on every payslip: each is written once.
const percents = new WeakMap<Decimal, string>();

/** "8%", "0.16%", "9.8%". */
export function percent(value: Decimal): string {
  let text = percents.get(value);
  if (text === undefined) percents.set(value, (text = `${formatDecimal(value.times(100))}%`));
  return text;
}

/** "10000.00". */
export const yuan = (amount: Fen): string => formatYuan(amount);

/** A yuan figure given as a decimal (a threshold, a quick deduction): "36000", "2520". */
export const figure = (value: Decimal): string => formatDecimal(value);
