import { describe, expect, it } from 'vitest';
import { divideRounded, formatDecimal, parseDecimal, toDecimal } from './decimal.js';
import fc from 'fast-check';
import { addFen, fen, fenOfYuanText, formatYuan, yuanToFen } from './fen.js';

describe('fen', () => {
  it('rounds half-up to the fen exactly once, away from zero at .5', () => {
    expect(yuanToFen('0.005')).toBe(1);
    expect(yuanToFen('0.0049999')).toBe(0);
    expect(yuanToFen('-0.005')).toBe(-1);
    expect(yuanToFen('275.862068965517')).toBe(27586);
    expect(yuanToFen('1.005')).toBe(101); // a binary float would make this 100
  });

  it('formats yuan with two places and a sign', () => {
    expect(formatYuan(fen(435500))).toBe('4355.00');
    expect(formatYuan(fen(-27586))).toBe('-275.86');
    expect(formatYuan(fen(5))).toBe('0.05');
    expect(formatYuan(fen(-5))).toBe('-0.05');
    expect(formatYuan(fen(0))).toBe('0.00');
  });

  it('refuses a fraction of a fen', () => {
    expect(() => fen(1.5)).toThrow(RangeError);
    expect(() => fen(Number.MAX_SAFE_INTEGER + 2)).toThrow(RangeError);
  });

  it('adds amounts', () => {
    expect(addFen(fen(1), fen(2), fen(-3))).toBe(0);
  });
});

describe('decimal', () => {
  it('reads plain decimals only', () => {
    expect(parseDecimal('18.5')?.toFixed()).toBe('18.5');
    expect(parseDecimal('-2')?.toFixed()).toBe('-2');
    for (const bad of ['1e3', 'NaN', 'Infinity', '', '1.', '.5', '01', '1,000', '0x10']) expect(parseDecimal(bad)).toBeUndefined();
  });

  it('reads JSON numbers through their shortest text, so 0.1 is exactly one tenth', () => {
    expect(
      toDecimal(0.1)
        ?.plus(toDecimal(0.2) ?? 0)
        .toFixed(),
    ).toBe('0.3');
    expect(toDecimal(Number.NaN)).toBeUndefined();
    expect(toDecimal(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('prints without trailing zeros or exponents', () => {
    expect(formatDecimal(parseDecimal('1.20') ?? fail())).toBe('1.2');
    expect(formatDecimal(parseDecimal('0.0000001') ?? fail())).toBe('0.0000001');
    expect(formatDecimal(parseDecimal('-0') ?? fail())).toBe('0');
  });
});

function fail(): never {
  throw new Error('unexpected undefined');
}

describe('divideRounded', () => {
  const d = (text: string) => parseDecimal(text) ?? fail();
  it('rounds exact quotients half-up, away from zero', () => {
    expect(divideRounded(d('1'), d('8'), 2).toFixed()).toBe('0.13'); // 0.125
    expect(divideRounded(d('-1'), d('8'), 2).toFixed()).toBe('-0.13');
    expect(divideRounded(d('1'), d('-8'), 2).toFixed()).toBe('-0.13');
    expect(divideRounded(d('6000'), d('21.75'), 2).toFixed()).toBe('275.86');
    expect(divideRounded(d('18000'), d('174'), 4).toFixed()).toBe('103.4483');
    expect(divideRounded(d('0'), d('3'), 2).toFixed()).toBe('0');
  });

  it('is exact where a truncated quotient would round the wrong way', () => {
    // 0.004999…(30 nines)5 rounds to 0.00 at two places, 0.005 exactly to 0.01
    const justBelowHalf = d(`0.00${'4'.padEnd(31, '9')}`);
    expect(divideRounded(justBelowHalf, d('1'), 2).toFixed()).toBe('0');
    expect(divideRounded(d('1'), d('200'), 2).toFixed()).toBe('0.01');
    // 1 ÷ 3 × 3 cases: (2/3) → 0.67, (1/3) → 0.33
    expect(divideRounded(d('2'), d('3'), 2).toFixed()).toBe('0.67');
    expect(divideRounded(d('1000000000.005'), d('1'), 2).toFixed()).toBe('1000000000.01');
  });

  it('agrees with exact rational rounding on random quotients', () => {
    for (let i = 1; i < 2000; i += 1) {
      const n = BigInt(i * 7919 - 5_000_000);
      const den = BigInt((i % 97) + 1) * 25n;
      const exact = (2n * (n < 0n ? -n : n) * 100n + den) / (2n * den);
      const expected = (n < 0n ? -exact : exact).toString();
      const got = divideRounded(d(n.toString()), d(den.toString()), 2).times(100).toFixed();
      expect(got).toBe(expected === '-0' ? '0' : expected);
    }
  });
});

describe('fenOfYuanText', () => {
  it('reads back every amount formatYuan writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e15, max: 1e15 }), (amount) => {
        expect(fenOfYuanText(formatYuan(fen(amount)))).toBe(amount);
      }),
    );
    expect(Object.is(fenOfYuanText('-0.00'), 0)).toBe(true);
  });

  it('rounds any other decimal text as yuanToFen does', () => {
    for (const text of ['0.005', '-0.005', '12', '3.1', '275.862068965517', '1.005']) expect(fenOfYuanText(text)).toBe(yuanToFen(text));
    expect(() => fenOfYuanText('12,00')).toThrow();
  });
});
