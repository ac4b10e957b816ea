import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  CalendarError,
  chinaCalendar,
  createCalendar,
  dayInfo,
  isoWeekday,
  isWorkingDay,
  workingDaysBetween,
} from './calendar.js';
import { isWithinWindow, windowPosition, workingDayWindow } from './window.js';

function refusal(action: () => unknown): CalendarError {
  try {
    action();
  } catch (error) {
    if (error instanceof CalendarError) return error;
    throw error;
  }
  throw new Error('expected a CalendarError');
}

describe('the statutory calendar data (chinese-days)', () => {
  it('knows 2024, 2025 and 2026', () => {
    expect(chinaCalendar.years).toEqual(expect.arrayContaining([2024, 2025, 2026]));
    expect(chinaCalendar.source).toBe('chinese-days');
  });

  it('reads weekdays in UTC, whatever the process time zone', () => {
    expect(isoWeekday('2025-10-01' as never)).toBe(3); // Wednesday
    expect(isoWeekday('2026-02-15' as never)).toBe(7); // Sunday
    expect(isoWeekday('2026-02-23' as never)).toBe(1); // Monday
  });

  it('National Day 2025: Oct 1–8 off, Sep 28 (Sun) and Oct 11 (Sat) worked', () => {
    for (let day = 1; day <= 8; day += 1) expect(isWorkingDay(`2025-10-0${day}`)).toBe(false);
    expect(dayInfo('2025-10-01')).toMatchObject({ kind: 'holiday', working: false, holiday: { zh: '国庆节', en: 'National Day' } });
    expect(dayInfo('2025-09-28')).toMatchObject({ kind: 'make_up_workday', working: true, weekday: 7 });
    expect(dayInfo('2025-10-11')).toMatchObject({ kind: 'make_up_workday', working: true, weekday: 6 });
    expect(dayInfo('2025-10-09')).toMatchObject({ kind: 'workday', working: true });
    expect(dayInfo('2025-10-12')).toMatchObject({ kind: 'weekend', working: false });
  });

  it('Spring Festival 2026: Feb 15–23 off, Feb 14 and Feb 28 (Saturdays) worked', () => {
    for (let day = 15; day <= 23; day += 1) expect(dayInfo(`2026-02-${day}`)).toMatchObject({ kind: 'holiday', holiday: { zh: '春节' } });
    expect(dayInfo('2026-02-14')).toMatchObject({ kind: 'make_up_workday', working: true });
    expect(dayInfo('2026-02-28')).toMatchObject({ kind: 'make_up_workday', working: true });
    expect(isWorkingDay('2026-02-24')).toBe(true);
  });

  it('the rest of the official 2026 schedule', () => {
    expect(['2026-01-01', '2026-01-02', '2026-01-03'].map(isWorkingDay)).toEqual([false, false, false]);
    expect(isWorkingDay('2026-01-04')).toBe(true); // Sunday worked
    expect(['2026-05-01', '2026-05-05', '2026-06-19', '2026-09-25', '2026-10-07'].map(isWorkingDay)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(['2026-05-09', '2026-09-20', '2026-10-10'].map(isWorkingDay)).toEqual([true, true, true]);
  });
});

describe('addWorkingDays: the day an N-working-day period ends, counted from the day after', () => {
  it('a 5-working-day notice published just before National Day 2025 (Tue 30 Sep) ends on Tue 14 Oct', () => {
    // Oct 1–8 off; Oct 9 (1), 10 (2), Sat 11 make-up (3), 13 (4), 14 (5)
    expect(addWorkingDays('2025-09-30', 5)).toBe('2025-10-14');
  });

  it('published on Fri 26 Sep 2025 it counts the make-up Sunday 28 Sep and ends on Fri 10 Oct', () => {
    // Sun 28 (1), Mon 29 (2), Tue 30 (3), Oct 9 (4), Oct 10 (5)
    expect(addWorkingDays('2025-09-26', 5)).toBe('2025-10-10');
  });

  it('across Spring Festival 2026: published Thu 12 Feb, 5 working days end on Thu 26 Feb', () => {
    // Fri 13 (1), Sat 14 make-up (2), Feb 15–23 off, Tue 24 (3), Wed 25 (4), Thu 26 (5)
    expect(addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
  });

  it('a 3-working-day dispute window published on Wed 25 Feb 2026 ends on the make-up Saturday 28 Feb', () => {
    expect(addWorkingDays('2026-02-25', 3)).toBe('2026-02-28');
    expect(addWorkingDays('2026-02-26', 3)).toBe('2026-03-02'); // Fri 27, Sat 28 make-up, Mon 2 Mar
  });

  it('a window published on a holiday starts counting after it', () => {
    expect(addWorkingDays('2026-02-16', 1)).toBe('2026-02-24');
    expect(addWorkingDays('2025-10-03', 3)).toBe('2025-10-11');
  });

  it('0 working days is the day itself; a negative count goes back', () => {
    expect(addWorkingDays('2025-10-04', 0)).toBe('2025-10-04');
    expect(addWorkingDays('2025-10-09', -1)).toBe('2025-09-30');
    expect(addWorkingDays('2026-02-24', -2)).toBe('2026-02-13');
  });

  it('refuses a count that is not a whole number', () => {
    expect(refusal(() => addWorkingDays('2025-10-09', 1.5)).code).toBe('invalid_count');
    expect(refusal(() => addWorkingDays('2025-10-09', Number.NaN)).code).toBe('invalid_count');
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after a up to and including b', () => {
    expect(workingDaysBetween('2025-09-30', '2025-10-14')).toBe(5);
    expect(workingDaysBetween('2025-09-30', '2025-10-08')).toBe(0);
    expect(workingDaysBetween('2026-02-12', '2026-02-28')).toBe(7); // 13, 14, 24–28
    expect(workingDaysBetween('2026-02-28', '2026-02-12')).toBe(-7);
    expect(workingDaysBetween('2026-03-02', '2026-03-02')).toBe(0);
  });

  it('is the inverse of addWorkingDays over the known years', () => {
    const first = Date.UTC(2024, 0, 1);
    const days = (Date.UTC(2026, 10, 1) - first) / 86_400_000; // + 25 working days stays within 2026
    fc.assert(
      fc.property(fc.integer({ min: 0, max: days }), fc.integer({ min: 0, max: 25 }), (offset, n) => {
        const date = new Date(first + offset * 86_400_000).toISOString().slice(0, 10);
        const end = addWorkingDays(date, n);
        expect(workingDaysBetween(date, end)).toBe(n);
        if (n > 0) expect(isWorkingDay(end)).toBe(true);
        expect(addWorkingDays(end, -n) <= date).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('years the data does not hold', () => {
  it('refuses a date in an unknown year, naming the year', () => {
    const error = refusal(() => isWorkingDay('2099-06-01'));
    expect(error.code).toBe('unknown_year');
    expect(error.year).toBe(2099);
    expect(error.message).toContain('2099');
    expect(error.reason.zh).toContain('2099 年');
  });

  it('refuses a period that runs into an unknown year instead of guessing weekends', () => {
    const last = Math.max(...chinaCalendar.years);
    const error = refusal(() => addWorkingDays(`${last}-12-28`, 5));
    expect(error.code).toBe('unknown_year');
    expect(error.year).toBe(last + 1);
    expect(refusal(() => workingDaysBetween(`${last}-12-01`, `${last + 1}-01-10`)).year).toBe(last + 1);
  });

  it('a calendar over other data knows only the years it holds', () => {
    const calendar = createCalendar(
      { holidays: { '2030-01-01': "New Year's Day,元旦,1" }, workdays: { '2030-01-05': "New Year's Day,元旦,1" } },
      'test',
    );
    expect(calendar.years).toEqual([2030]);
    expect(calendar.isWorkingDay('2030-01-05')).toBe(true);
    expect(calendar.isWorkingDay('2030-01-01')).toBe(false);
    expect(refusal(() => calendar.isWorkingDay('2029-12-31')).reason.en).toContain('known years: 2030–2030');
  });

  it('refuses what is not a date', () => {
    expect(refusal(() => isWorkingDay('2025-02-30')).code).toBe('invalid_date');
    expect(refusal(() => isWorkingDay('2025/10/01')).code).toBe('invalid_date');
  });
});

describe('working-day windows', () => {
  it('explains the National Day 2025 notice window', () => {
    const window = workingDayWindow('2025-09-30', 5);
    expect(window.closesOn).toBe('2025-10-14');
    expect(window.counted.map((d) => d.date)).toEqual(['2025-10-09', '2025-10-10', '2025-10-11', '2025-10-13', '2025-10-14']);
    expect(window.skipped.map((d) => d.date)).toHaveLength(9);
    expect(window.explain.zh).toBe(
      '2025-09-30 发布,自次日起算 5 个工作日,截至 2025-10-14(含)(不计节假日 国庆节 10-01–10-05、中秋 10-06、国庆节 10-07–10-08;不计周末 1 天;调休上班日 10-11 计入)',
    );
    expect(window.explain.en).toContain('ending on 2025-10-14 inclusive');
    expect(window.explain.en).toContain('make-up working day 10-11 counted');
  });

  it('is open from the publication day through its last day', () => {
    const window = workingDayWindow('2026-02-12', 5);
    expect(windowPosition(window, '2026-02-11')).toBe('before');
    expect(windowPosition(window, '2026-02-12')).toBe('open');
    expect(windowPosition(window, '2026-02-26')).toBe('open');
    expect(windowPosition(window, '2026-02-27')).toBe('closed');
    expect(isWithinWindow(window, '2026-02-20')).toBe(true);
    expect(window.explain.zh).toContain('春节 02-15–02-23');
  });

  it('refuses a negative window', () => {
    expect(() => workingDayWindow('2026-02-12', -1)).toThrow(RangeError);
  });
});
