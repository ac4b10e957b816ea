import { describe, expect, it } from 'vitest';
import {
  addMonths,
  addMonthsToDate,
  firstDayOf,
  isQuarterEnd,
  isYearEnd,
  lastDayOf,
  monthsOfQuarter,
  parseDate,
  parseMonth,
  parseQuarter,
  quarterOf,
  type IsoDate,
  type Month,
} from './period.js';

const m = (text: string) => parseMonth(text) as Month;

describe('periods', () => {
  it('accepts only real months, days and quarters', () => {
    expect(parseMonth('2026-10')).toBe('2026-10');
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-10', '2026-10-01', '']) expect(parseMonth(bad)).toBeUndefined();
    expect(parseDate('2028-02-29')).toBe('2028-02-29');
    expect(parseDate('2026-02-29')).toBeUndefined();
    expect(parseDate('2026-04-31')).toBeUndefined();
    expect(parseQuarter('2026-Q3')).toBe('2026-Q3');
    expect(parseQuarter('2026-Q5')).toBeUndefined();
  });

  it('moves across years', () => {
    expect(addMonths(m('2026-11'), 2)).toBe('2027-01');
    expect(addMonths(m('2026-01'), -1)).toBe('2025-12');
    expect(addMonthsToDate('2026-01-31' as IsoDate, 1)).toBe('2026-02-28');
    expect(firstDayOf(m('2026-02'))).toBe('2026-02-01');
    expect(lastDayOf(m('2028-02'))).toBe('2028-02-29');
  });

  it('knows quarter ends and December', () => {
    expect(['2026-03', '2026-06', '2026-09', '2026-12'].map((x) => isQuarterEnd(m(x)))).toEqual([true, true, true, true]);
    expect(['2026-01', '2026-08', '2026-11'].map((x) => isQuarterEnd(m(x)))).toEqual([false, false, false]);
    expect(isYearEnd(m('2026-12'))).toBe(true);
    expect(quarterOf(m('2026-08'))).toBe('2026-Q3');
    expect(monthsOfQuarter('2026-Q4' as ReturnType<typeof quarterOf>)).toEqual(['2026-10', '2026-11', '2026-12']);
  });
});
