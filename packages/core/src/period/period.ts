/** Months as "YYYY-MM", days as "YYYY-MM-DD", quarters as "YYYY-Qn" — plain strings, one module. */

export type Month = string & { readonly __month: true };
export type IsoDate = string & { readonly __isoDate: true };
export type Quarter = string & { readonly __quarter: true };

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

export function parseMonth(text: string): Month | undefined {
  const match = MONTH.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  return year >= 1900 && year <= 2999 ? (text as Month) : undefined;
}

export function parseDate(text: string): IsoDate | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || year > 2999 || month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return text as IsoDate;
}

export function parseQuarter(text: string): Quarter | undefined {
  const match = QUARTER.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  return year >= 1900 && year <= 2999 ? (text as Quarter) : undefined;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function monthParts(month: Month): { year: number; month: number } {
  return { year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) };
}

export function makeMonth(year: number, month: number): Month {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}` as Month;
}

export function addMonths(month: Month, count: number): Month {
  const { year, month: m } = monthParts(month);
  const index = year * 12 + (m - 1) + count;
  return makeMonth(Math.floor(index / 12), (index % 12) + 1);
}

export function firstDayOf(month: Month): IsoDate {
  return `${month}-01` as IsoDate;
}

export function lastDayOf(month: Month): IsoDate {
  const { year, month: m } = monthParts(month);
  return `${month}-${String(daysInMonth(year, m)).padStart(2, '0')}` as IsoDate;
}

export function monthOf(date: IsoDate): Month {
  return date.slice(0, 7) as Month;
}

export function isQuarterEnd(month: Month): boolean {
  return monthParts(month).month % 3 === 0;
}

export function isYearEnd(month: Month): boolean {
  return monthParts(month).month === 12;
}

export function quarterOf(month: Month): Quarter {
  const { year, month: m } = monthParts(month);
  return `${year}-Q${Math.ceil(m / 3)}` as Quarter;
}

export function monthsOfQuarter(quarter: Quarter): [Month, Month, Month] {
  const year = Number(quarter.slice(0, 4));
  const first = (Number(quarter.slice(6)) - 1) * 3 + 1;
  return [makeMonth(year, first), makeMonth(year, first + 1), makeMonth(year, first + 2)];
}

/** Adds calendar months to a day, clamping to the month's end (2026-01-31 + 1 → 2026-02-28). */
export function addMonthsToDate(date: IsoDate, count: number): IsoDate {
  const target = addMonths(monthOf(date), count);
  const { year, month } = monthParts(target);
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(year, month));
  return `${target}-${String(day).padStart(2, '0')}` as IsoDate;
}

export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
