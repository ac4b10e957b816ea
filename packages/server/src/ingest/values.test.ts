import { describe, expect, it } from 'vitest';
import {
  chinaDay,
  civilFromDays,
  daysFromCivil,
  formatChinaTime,
  normaliseNumber,
  parseBoolean,
  parseCount,
  parseDay,
  parseDecimalText,
  parseInstant,
  parseMonthText,
  parsePeriod,
  parseRate,
  parseRating,
  parseSeconds,
  parseText,
  parseYuan,
} from './values.js';
import fc from 'fast-check';

const value = <T>(p: { ok: true; value: T } | { ok: false }) => (p.ok ? p.value : undefined);

describe('numbers', () => {
  it('normalises what people type', () => {
    expect(normaliseNumber('1,234.50')).toBe('1234.5');
    expect(normaliseNumber('+3')).toBe('3');
    expect(normaliseNumber('.5')).toBe('0.5');
    expect(normaliseNumber('007')).toBe('7');
    expect(normaliseNumber('１２')).toBe('12'); // full-width digits from a Chinese IME
    expect(normaliseNumber('1,23')).toBeUndefined();
    expect(normaliseNumber('1e3')).toBeUndefined();
    expect(normaliseNumber('abc')).toBeUndefined();
  });

  it('counts are whole numbers ≥ 0', () => {
    expect(value(parseCount('12'))).toBe(12);
    expect(value(parseCount('1,234'))).toBe(1234);
    expect(value(parseCount('12.0'))).toBe(12);
    expect(parseCount('-1')).toEqual({ ok: false, reason: { en: 'must be a whole number ≥ 0', zh: '必须是 ≥ 0 的整数' } });
    expect(parseCount('1.5').ok).toBe(false);
    expect(parseCount('2000000000').ok).toBe(false);
  });

  it('decimals stay exact strings', () => {
    expect(value(parseDecimalText('0.10'))).toBe('0.1');
    expect(value(parseDecimalText('-2.5'))).toBe('-2.5');
    expect(parseDecimalText('-1', { min: '0' }).ok).toBe(false);
    expect(parseDecimalText('0.125', { places: 2 }).ok).toBe(false);
    expect(parseDecimalText('32', { max: '31' }).ok).toBe(false);
  });

  it('money is integer fen and never rounded', () => {
    expect(value(parseYuan('3000'))).toBe(300000);
    expect(value(parseYuan('3,000.50'))).toBe(300050);
    expect(value(parseYuan('¥3000'))).toBe(300000);
    expect(value(parseYuan('3000元'))).toBe(300000);
    expect(value(parseYuan('0.1'))).toBe(10);
    expect(parseYuan('0.001').ok).toBe(false);
    expect(parseYuan('-5').ok).toBe(false);
    expect(parseYuan('0', { positive: true }).ok).toBe(false);
  });

  it('rates accept fractions and percents', () => {
    expect(value(parseRate('96.5%'))).toBe('0.965');
    expect(value(parseRate('0.965'))).toBe('0.965');
    expect(value(parseRate('100%'))).toBe('1');
    expect(value(parseRate('96.30 %'))).toBe('0.963');
    expect(parseRate('96.5').ok).toBe(false);
    expect(parseRate('101%').ok).toBe(false);
  });

  it('ratings, seconds, booleans', () => {
    expect(value(parseRating('5'))).toBe(5);
    expect(value(parseRating('5.0'))).toBe(5);
    expect(parseRating('0').ok).toBe(false);
    expect(parseRating('4.5').ok).toBe(false);
    expect(value(parseSeconds('11.2'))).toBe(11.2);
    expect(value(parseSeconds('1:23'))).toBe(83);
    expect(value(parseSeconds('1:02:03'))).toBe(3723);
    expect(parseSeconds('-1').ok).toBe(false);
    for (const yes of ['是', '1', 'TRUE', 'yes', 'Y', '有效']) expect(value(parseBoolean(yes))).toBe(true);
    for (const no of ['否', '0', 'false', 'No', '无效']) expect(value(parseBoolean(no))).toBe(false);
    expect(parseBoolean('maybe').ok).toBe(false);
  });

  it('text refuses control characters and overlong values', () => {
    expect(value(parseText('  张三 '))).toBe('张三');
    expect(parseText('a\u0007b').ok).toBe(false);
    expect(parseText('x'.repeat(201)).ok).toBe(false);
  });
});

describe('dates', () => {
  it('reads days in the forms Excel and people write', () => {
    for (const text of ['2026-10-08', '2026/10/8', '2026.10.08', '2026年10月8日', '20261008', '2026-10-08 00:00:00', '46303'])
      expect(value(parseDay(text)), text).toBe('2026-10-08');
    expect(parseDay('2026-02-30').ok).toBe(false);
    expect(parseDay('2026-10-08 09:00').ok).toBe(false);
  });

  it('reads months, and the first of a month Excel made from one', () => {
    for (const text of ['2026-10', '2026/10', '2026年10月', '202610', '2026-10-01'])
      expect(value(parseMonthText(text)), text).toBe('2026-10');
    expect(parseMonthText('2026-10-15').ok).toBe(false);
    expect(parseMonthText('2026-13').ok).toBe(false);
  });

  it('reads quarters and years', () => {
    for (const text of ['2026-Q3', '2026Q3', '2026年第3季度', '2026年Q3', '2026 q3'])
      expect(value(parsePeriod(text)), text).toBe('2026-Q3');
    expect(value(parsePeriod('2026'))).toBe('2026');
    expect(value(parsePeriod('2026年'))).toBe('2026');
    expect(parsePeriod('2026-Q5').ok).toBe(false);
  });

  it('reads instants: China time without an offset', () => {
    const at = Date.UTC(2026, 9, 8, 1, 12, 33);
    for (const text of [
      '2026-10-08 09:12:33',
      '2026-10-08T09:12:33',
      '2026/10/8 9:12:33',
      '2026-10-08T01:12:33Z',
      '2026-10-08T09:12:33+08:00',
      '2026-10-08 01:12:33 UTC',
      '2026年10月8日 9:12:33',
    ])
      expect(value(parseInstant(text)), text).toBe(at);
    expect(value(parseInstant('2026-10-08 09:12'))).toBe(at - 33_000);
    expect(value(parseInstant('2026-10-08T09:12:33.250+08:00'))).toBe(at + 250);
    expect(parseInstant('2026-10-08').ok).toBe(false);
    expect(parseInstant('2026-10-08 24:00:00').ok).toBe(false);
  });

  it('formats China time and days', () => {
    expect(formatChinaTime(Date.UTC(2026, 9, 8, 1, 12, 33, 999))).toBe('2026-10-08T09:12:33+08:00');
    expect(chinaDay(Date.UTC(2026, 9, 7, 16, 0, 0))).toBe('2026-10-08');
    expect(chinaDay(Date.UTC(2026, 9, 7, 15, 59, 59))).toBe('2026-10-07');
  });

  it('civil day arithmetic round-trips (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30000, max: 400000 }), (days) => {
        const text = civilFromDays(days);
        const [y, m, d] = text.split('-').map(Number) as [number, number, number];
        expect(daysFromCivil(y, m, d)).toBe(days);
        expect(new Date(days * 86_400_000).toISOString().slice(0, 10)).toBe(text);
      }),
    );
  });
});
