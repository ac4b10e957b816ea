import { Decimal, formatDecimal, formatPlaces } from '../money/decimal.js';
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

// Policy values (points, coefficients, multipliers, level bases) and the inputs a run shares
// between people (the same 0, 8 or 1.5 read for many) are the same objects on every payslip:
// their text is made once (rememberPolicyValues, rememberText), not on every payslip.
const policyText = new WeakMap<Decimal, string>();
const policyMoney = new WeakMap<Decimal, string>();
const remembered = new WeakSet<object>();

export function num(value: Decimal): string {
  return policyText.get(value) ?? formatDecimal(value);
}

/** Formats a decimal that many payslips will show (a shared input) once; `num` and `money` read it back. */
export function rememberText(value: Decimal): Decimal {
  if (!policyText.has(value)) {
    policyText.set(value, formatDecimal(value));
    policyMoney.set(value, moneyText(value));
  }
  return value;
}

/** Formats every decimal of a policy once; later payslips under it read the text back. */
export function rememberPolicyValues(policy: object): void {
  if (remembered.has(policy)) return;
  remembered.add(policy);
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value instanceof Decimal) rememberText(value);
    else if (value !== null && typeof value === 'object' && !seen.has(value)) {
      seen.add(value);
      for (const child of Object.values(value)) visit(child);
    }
  };
  visit(policy);
}

/**
 * A template literal made as one flat string: its parts joined once. Built by `+` or a plain
 * template literal, a long explanation is a tree of small strings that V8 copies into one again
 * before SQLite can store it — for the performance line that cost more than building it (measured:
 * flattening a run's explanations 0.79–0.95 s per 100,000 payslips, 0.41–0.55 s with this).
 */
export function flat(strings: TemplateStringsArray, ...values: string[]): string {
  const parts: string[] = [strings[0] as string];
  for (let i = 0; i < values.length; i++) parts.push(values[i] as string, strings[i + 1] as string);
  return parts.join('');
}

export const yuan = (amount: Fen): string => formatYuan(amount);
/** A yuan amount that is not yet rounded, shown as the policy or input gave it, with two places at least. */
function moneyText(value: Decimal): string {
  return value.decimalPlaces() < 2 ? formatPlaces(value, 2) : formatDecimal(value);
}
export function money(value: Decimal): string {
  return policyMoney.get(value) ?? moneyText(value);
}
export function percent(rate: Decimal): string {
  return `${formatDecimal(rate.times(100).toDecimalPlaces(2))}%`;
}
