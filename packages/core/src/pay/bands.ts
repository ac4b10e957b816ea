import type { Decimal } from '../money/decimal.js';
import type { Band } from '../policy/model.js';
import { num } from './line.js';

/** R-PAY-6: the first band whose upper bound holds the deductions; the last band is open-ended. */
export function findBand(bands: readonly Band[], deductions: Decimal): { band: Band; index: number } {
  for (let index = 0; index < bands.length; index += 1) {
    const band = bands[index] as Band;
    if (band.upTo !== undefined && deductions.lessThanOrEqualTo(band.upTo)) return { band, index };
    if (band.below !== undefined && deductions.lessThan(band.below)) return { band, index };
    if (band.upTo === undefined && band.below === undefined) return { band, index };
  }
  throw new Error('a validated band table always ends with an open band');
}

/** The band's range as a person reads it: "≤ 20", "20 < d ≤ 30", "≥ 70". */
export function describeBand(bands: readonly Band[], index: number): string {
  const band = bands[index] as Band;
  const previous = bands[index - 1];
  const lower = previous ? (previous.upTo !== undefined ? `${num(previous.upTo)} <` : `${num(previous.below as Decimal)} ≤`) : '';
  const upper = band.upTo !== undefined ? `≤ ${num(band.upTo)}` : band.below !== undefined ? `< ${num(band.below)}` : '';
  if (!upper) return previous ? (previous.upTo !== undefined ? `> ${num(previous.upTo)}` : `≥ ${num(previous.below as Decimal)}`) : 'all';
  return lower ? `${lower} d ${upper}` : upper;
}
