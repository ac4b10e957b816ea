import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.js';
import { fen, fenToYuan } from '../money/fen.js';
import { ROUNDING_MODES, ROUNDING_UNITS } from './city-rates.js';
import { roundBaseTimesRate, roundByRule } from './rounding.js';

describe('a contribution rounded in whole fen', () => {
  it('is what rounding the exact yuan amount gives, for every unit and mode', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }), // up to 100 million yuan
        fc
          .integer({ min: 0, max: 9 })
          .chain((places) =>
            fc.integer({ min: 0, max: 10 ** Math.min(places, 6) }).map((digits) => new Decimal(digits).dividedBy(10 ** places)),
          ),
        fc.constantFrom(...ROUNDING_UNITS),
        fc.constantFrom(...ROUNDING_MODES),
        (base, rate, to, mode) => {
          const rule = { to, mode };
          expect(roundBaseTimesRate(fen(base), rate, rule)).toBe(roundByRule(fenToYuan(fen(base)).times(rate), rule));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('agrees at the halves and just beside them', () => {
    const rate = new Decimal('0.005'); // 0.5 %: 1 fen × 0.5 % is 0.005 fen
    for (const base of [100, 99, 101, 1_000, 999_999, 1_000_001]) {
      for (const to of ROUNDING_UNITS)
        for (const mode of ROUNDING_MODES)
          expect(roundBaseTimesRate(fen(base), rate, { to, mode })).toBe(roundByRule(fenToYuan(fen(base)).times(rate), { to, mode }));
    }
    // A rate with more places than whole numbers can carry exactly is worked out in decimals.
    const fine = new Decimal('0.0000000000123');
    expect(roundBaseTimesRate(fen(123_456_789), fine, { to: 'fen', mode: 'up' })).toBe(1);
  });
});
