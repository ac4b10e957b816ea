import { Decimal } from '../money/decimal.js';
import { type Fen, fen, fenToYuan, yuanToFen } from '../money/fen.js';
import type { Bilingual } from '../policy/model.js';
import type { RoundingRule, RoundingUnit } from './city-rates.js';

const PLACES: Record<RoundingUnit, number> = { fen: 2, jiao: 1, yuan: 0 };
const UNIT_NAMES: Record<RoundingUnit, Bilingual> = {
  fen: { zh: '分', en: 'fen' },
  jiao: { zh: '角', en: 'jiao' },
  yuan: { zh: '元', en: 'yuan' },
};

/** Rounds a non-negative yuan amount by a city's rule (to the fen, jiao or yuan; half-up or up). */
export function roundByRule(yuan: Decimal, rule: RoundingRule): Fen {
  const mode = rule.mode === 'half-up' ? Decimal.ROUND_HALF_UP : Decimal.ROUND_UP;
  return yuanToFen(yuan.toDecimalPlaces(PLACES[rule.to], mode));
}

const UNIT_FEN: Record<RoundingUnit, number> = { fen: 1, jiao: 10, yuan: 100 };

// A rate as an exact fraction of integers ("0.005" → 5 / 1000), worked out once per rate.
// null when the rate has too many places for that to stay exact.
const fractions = new WeakMap<Decimal, { numerator: number; denominator: number } | null>();
function fractionOf(rate: Decimal): { numerator: number; denominator: number } | null {
  let fraction = fractions.get(rate);
  if (fraction === undefined) {
    const places = rate.decimalPlaces();
    const numerator = rate.times(10 ** places).toNumber();
    fraction = places <= 9 && Number.isSafeInteger(numerator) ? { numerator, denominator: 10 ** places } : null;
    fractions.set(rate, fraction);
  }
  return fraction;
}

/** ⌊a ÷ b⌋ for safe non-negative integers: the floating quotient, corrected where it rounded across a whole number. */
function floorDivide(a: number, b: number): number {
  let quotient = Math.floor(a / b);
  while (quotient * b > a) quotient -= 1;
  while ((quotient + 1) * b <= a) quotient += 1;
  return quotient;
}

/**
 * base × rate rounded by the city's rule: the same as roundByRule(base in yuan × rate, rule), in
 * whole numbers of fen while they stay exact (a contribution is worked out for every person and
 * month of a run); in decimals otherwise.
 */
export function roundBaseTimesRate(base: Fen, rate: Decimal, rule: RoundingRule): Fen {
  const fraction = fractionOf(rate);
  const exact = fraction ? base * fraction.numerator : Number.NaN; // the amount in 1/denominator fen
  const unit = fraction ? fraction.denominator * UNIT_FEN[rule.to] : Number.NaN;
  if (!fraction || base < 0 || exact < 0 || !Number.isSafeInteger(exact) || !Number.isSafeInteger(2 * exact + 2 * unit)) {
    return roundByRule(fenToYuan(base).times(rate), rule);
  }
  const units = rule.mode === 'half-up' ? floorDivide(2 * exact + unit, 2 * unit) : floorDivide(exact + unit - 1, unit);
  return fen(units * UNIT_FEN[rule.to]);
}

export function describeRounding(rule: RoundingRule): Bilingual {
  const unit = UNIT_NAMES[rule.to];
  return rule.mode === 'half-up'
    ? { zh: `按${unit.zh}四舍五入`, en: `rounded half-up to the ${unit.en}` }
    : { zh: `按${unit.zh}进位`, en: `rounded up to the ${unit.en}` };
}
