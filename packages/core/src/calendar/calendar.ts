/**
 * The Chinese statutory working-day calendar (R-APP-2, R-DSP-1): weekends, public holidays and the
 * make-up working days (调休上班) that the State Council publishes for each year. Dates are
 * `YYYY-MM-DD` strings of China's calendar day; nothing here reads a clock or a time zone.
 *
 * A year the data does not hold is refused with a CalendarError naming the year: guessing from
 * weekends alone would silently count a National Day week as working days.
 */
import { parseDate, type IsoDate } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import { CHINESE_DAYS_DATA, type StatutoryCalendarData } from './data.js';

export type CalendarErrorCode = 'unknown_year' | 'invalid_date' | 'invalid_count';

/** A date the calendar cannot answer for; `reason` is the bilingual text for people. */
export class CalendarError extends Error {
  readonly code: CalendarErrorCode;
  readonly reason: Bilingual;
  /** The year the calendar has no data for (code unknown_year). */
  readonly year?: number;

  constructor(code: CalendarErrorCode, reason: Bilingual, year?: number) {
    super(reason.en);
    this.name = 'CalendarError';
    this.code = code;
    this.reason = reason;
    if (year !== undefined) this.year = year;
  }
}

/**
 * workday: Monday to Friday, not a holiday; weekend: Saturday or Sunday, not a make-up day;
 * holiday: a day off of a public holiday period (including its moved rest days);
 * make_up_workday: a weekend day worked in exchange for a holiday (调休上班).
 */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'make_up_workday';

export interface DayInfo {
  date: IsoDate;
  working: boolean;
  kind: DayKind;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** The holiday a holiday or make-up day belongs to, e.g. { zh: 国庆节, en: National Day }. */
  holiday?: Bilingual;
}

export interface WorkingCalendar {
  /** Where the holiday data comes from, for explanations and audits. */
  readonly source: string;
  /** The years whose holidays and make-up days the calendar knows, ascending. */
  readonly years: readonly number[];
  dayInfo(date: string): DayInfo;
  isWorkingDay(date: string): boolean;
  /**
   * The day on which a period of `n` working days ends, counting from the day after `date`
   * (a notice published on `date` for 5 working days ends on addWorkingDays(date, 5)).
   * n = 0 gives `date` itself; a negative n counts back (the n-th working day before `date`).
   */
  addWorkingDays(date: string, n: number): IsoDate;
  /**
   * The working days d with a < d ≤ b (negative when b is before a), so that
   * workingDaysBetween(a, addWorkingDays(a, n)) = n for every n ≥ 0.
   */
  workingDaysBetween(a: string, b: string): number;
}

const DAY_MS = 86_400_000;

export function toDayNumber(date: IsoDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10) as IsoDate;
}

/** Calendar days later (or earlier, for a negative count). */
export function addDays(date: IsoDate, count: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + count);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: IsoDate): number {
  const day = new Date(toDayNumber(date) * DAY_MS).getUTCDay();
  return day === 0 ? 7 : day;
}

export function requireDate(text: string): IsoDate {
  const date = typeof text === 'string' ? parseDate(text) : undefined;
  if (date === undefined) {
    throw new CalendarError('invalid_date', {
      zh: `日期 ${JSON.stringify(text)} 无效,应为 YYYY-MM-DD`,
      en: `${JSON.stringify(text)} is not a date YYYY-MM-DD`,
    });
  }
  return date;
}

function holidayName(value: string): Bilingual {
  const [en = value, zh = en] = value.split(',');
  return { zh, en };
}

/** A calendar over the given holiday data; years without any entry are unknown and refused. */
export function createCalendar(data: StatutoryCalendarData, source = 'chinese-days'): WorkingCalendar {
  const years = new Set<number>();
  for (const key of Object.keys(data.holidays)) years.add(Number(key.slice(0, 4)));
  const sortedYears = [...years].sort((a, b) => a - b);
  const first = sortedYears[0];
  const last = sortedYears[sortedYears.length - 1];
  const range = first === undefined || last === undefined ? 'none' : `${first}–${last}`;

  function dayInfo(text: string): DayInfo {
    const date = requireDate(text);
    const year = Number(date.slice(0, 4));
    if (!years.has(year)) {
      throw new CalendarError(
        'unknown_year',
        {
          zh: `法定节假日日历(${source})没有 ${year} 年的放假与调休安排(已知年份:${range}),无法判断 ${date} 是否为工作日;请更新日历数据`,
          en: `the statutory calendar (${source}) has no holidays or make-up working days for ${year} (known years: ${range}), so it cannot tell whether ${date} is a working day; update the calendar data`,
        },
        year,
      );
    }
    const weekday = isoWeekday(date);
    const madeUp = data.workdays[date];
    if (madeUp !== undefined) return { date, working: true, kind: 'make_up_workday', weekday, holiday: holidayName(madeUp) };
    const off = data.holidays[date];
    if (off !== undefined) return { date, working: false, kind: 'holiday', weekday, holiday: holidayName(off) };
    return weekday <= 5 ? { date, working: true, kind: 'workday', weekday } : { date, working: false, kind: 'weekend', weekday };
  }

  function requireCount(n: number): number {
    if (!Number.isSafeInteger(n)) {
      throw new CalendarError('invalid_count', {
        zh: `工作日天数必须是整数,得到 ${String(n)}`,
        en: `a number of working days must be a whole number, got ${String(n)}`,
      });
    }
    return n;
  }

  return {
    source,
    years: sortedYears,
    dayInfo,
    isWorkingDay: (date) => dayInfo(date).working,
    addWorkingDays(date, n) {
      let day = requireDate(date);
      let left = Math.abs(requireCount(n));
      const step = n < 0 ? -1 : 1;
      while (left > 0) {
        day = addDays(day, step);
        if (dayInfo(day).working) left -= 1;
      }
      return day;
    },
    workingDaysBetween(a, b) {
      const from = requireDate(a);
      const to = requireDate(b);
      const sign = from <= to ? 1 : -1;
      const [low, high] = sign === 1 ? [from, to] : [to, from];
      let count = 0;
      for (let day = addDays(low, 1); day <= high; day = addDays(day, 1)) if (dayInfo(day).working) count += 1;
      return sign * count;
    },
  };
}

/** The mainland-China statutory calendar of the `chinese-days` package. */
export const chinaCalendar: WorkingCalendar = createCalendar(CHINESE_DAYS_DATA);

export const isWorkingDay = (date: string): boolean => chinaCalendar.isWorkingDay(date);
export const addWorkingDays = (date: string, n: number): IsoDate => chinaCalendar.addWorkingDays(date, n);
export const workingDaysBetween = (a: string, b: string): number => chinaCalendar.workingDaysBetween(a, b);
export const dayInfo = (date: string): DayInfo => chinaCalendar.dayInfo(date);
