import { Decimal as DecimalBase } from 'decimal.js';

/**
 * Exact decimal arithmetic for rates, coefficients, scores and intermediate yuan
 * amounts. Precision is far beyond any value a payroll produces, so a quotient is
 * exact to well past the fen before the one half-up rounding per line.
 */
export const Decimal = DecimalBase.clone({
  precision: 60,
  rounding: DecimalBase.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = InstanceType<typeof Decimal>;

export type DecimalInput = Decimal | string | number;

const DECIMAL_TEXT = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** Parses a plain decimal string ("18", "-2.5", "0.95"); refuses exponents, NaN, spaces. */
export function parseDecimal(text: string): Decimal | undefined {
  const trimmed = text.trim();
  if (!DECIMAL_TEXT.test(trimmed)) return undefined;
  return new Decimal(trimmed);
}

/** A decimal from a JSON number or a decimal string; undefined when it is not one. */
export function toDecimal(value: unknown): Decimal | undefined {
  if (value instanceof Decimal) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return new Decimal(String(value));
  }
  if (typeof value === 'string') return parseDecimal(value);
  return undefined;
}

export function dec(value: DecimalInput): Decimal {
  const result = toDecimal(value);
  if (result === undefined) throw new TypeError(`not a decimal: ${String(value)}`);
  return result;
}

/** "1.2", "2710", "0.98": a decimal without trailing zeros, never in exponent form. */
export function formatDecimal(value: Decimal): string {
  const text = value.toFixed();
  return text === '-0' ? '0' : text;
}
