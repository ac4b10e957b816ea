import { Decimal as DecimalBase } from 'decimal.js';

/**
 * Exact decimal arithmetic for rates, coefficients, scores and intermediate yuan amounts.
 * Sums and products of inputs (at most 10⁹, a few decimals) stay far inside 40 digits, so
 * they are exact; quotients go through divideRounded, which rounds exactly, once.
 */
export const Decimal = DecimalBase.clone({
  precision: 40,
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
  // toString is plain notation here: the clone's toExpNeg/toExpPos keep exponents away.
  const text = value.toString();
  return text === '-0' ? '0' : text;
}

/** A decimal with exactly `places` decimals ("3000.00"), rounded half-up when it has more. */
export function formatPlaces(value: Decimal, places: number): string {
  const text = formatDecimal(value.toDecimalPlaces(places, Decimal.ROUND_HALF_UP));
  if (places === 0) return text;
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(places, '0')}`;
}

/** A short-precision twin used only for a first guess at a quotient; the guess is then checked exactly. */
const QuotientGuess = DecimalBase.clone({ precision: 24, rounding: DecimalBase.ROUND_DOWN });

const steps: { unit: Decimal; half: Decimal }[] = [];
function stepOf(places: number): { unit: Decimal; half: Decimal } {
  let step = steps[places];
  if (!step) {
    const unit = new Decimal(`1e-${places}`);
    step = { unit, half: unit.times('0.5') };
    steps[places] = step;
  }
  return step;
}

/**
 * numerator ÷ denominator rounded half-up (away from zero) to `places` decimals, exactly.
 * A quick quotient is rounded, then checked and corrected by multiplication, which is exact
 * here, so a quotient truncated near a half-way point can never round the wrong way.
 */
export function divideRounded(numerator: Decimal, denominator: Decimal, places: number): Decimal {
  if (denominator.isZero()) throw new RangeError('division by zero');
  const negative = numerator.isNegative() !== denominator.isNegative() && !numerator.isZero();
  const n = numerator.abs();
  const d = denominator.abs();
  const { unit, half } = stepOf(places);
  let rounded = new Decimal(QuotientGuess.div(n, d)).toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
  // rounded is right when (rounded − half) × d ≤ n < (rounded + half) × d.
  while (rounded.minus(half).times(d).greaterThan(n)) rounded = rounded.minus(unit);
  while (rounded.plus(half).times(d).lessThanOrEqualTo(n)) rounded = rounded.plus(unit);
  return negative ? rounded.negated() : rounded;
}
