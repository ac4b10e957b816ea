/**
 * Cell readers: each takes the text of one non-empty cell and returns a typed value or a reason
 * in English and Chinese. Money and decimals never pass through a binary float: money becomes
 * integer fen, decimals become canonical decimal strings ("1.5", "0.965").
 */
import { type Fen, type IsoDate, type Month, formatDecimal, parseDate, parseDecimal, parseMonth, yuanToFen } from '@ladder/core';
import { type Reason, reason } from './problems.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: Reason };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = (en: string, zh: string): Parsed<never> => ({ ok: false, reason: reason(en, zh) });

/** Any input number beyond this size is refused (the core's limit for score inputs). */
export const MAX_NUMBER = 1_000_000_000;

/**
 * A numbered id is a decimal integer without a leading zero of at most this many digits: below
 * 2^53, so each is its number exactly, and ids of one length sort as numbers as they do as text.
 */
export const MAX_NUMBERED_ID_DIGITS = 15;

/** The value of the id text[start, end) when it is a numbered id, else NaN. */
export function numberedIdValue(text: string, start: number, end: number): number {
  const width = end - start;
  if (width === 0 || width > MAX_NUMBERED_ID_DIGITS || (width > 1 && text.charCodeAt(start) === 0x30)) return NaN;
  let value = 0;
  for (let at = start; at < end; at++) {
    const d = text.charCodeAt(at) - 0x30;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return value;
}
/** China Standard Time, UTC+8, no daylight saving: the zone of a time written without an offset. */
export const CHINA_OFFSET_MINUTES = 480;

/** Trims and, when the text has non-ASCII characters, folds full-width digits, letters and signs (NFKC). */
export function fold(text: string): string {
  const trimmed = text.trim();
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(trimmed) ? trimmed : trimmed.normalize('NFKC').trim();
}

// ---------------------------------------------------------------------------------------------
// Numbers

const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** A decimal text as written ("1,234.50", "+3", ".5", "007") to its canonical form, or undefined. */
export function normaliseNumber(text: string): string | undefined {
  let t = fold(text);
  if (GROUPED.test(t)) t = t.replace(/,/g, '');
  else if (!PLAIN.test(t)) return undefined;
  let sign = '';
  if (t.startsWith('+')) t = t.slice(1);
  else if (t.startsWith('-')) {
    sign = '-';
    t = t.slice(1);
  }
  if (t.endsWith('.')) t = t.slice(0, -1);
  if (t.startsWith('.')) t = `0${t}`;
  t = t.replace(/^0+(?=\d)/, '');
  const parsed = parseDecimal(sign + t);
  return parsed === undefined ? undefined : formatDecimal(parsed);
}

/** A whole number ≥ 0 ("12", "1,234", "12.0"). */
export function parseCount(text: string): Parsed<number> {
  const canonical = normaliseNumber(text);
  if (canonical === undefined || !/^\d+$/.test(canonical)) return fail('must be a whole number ≥ 0', '必须是 ≥ 0 的整数');
  const value = Number(canonical);
  if (value > MAX_NUMBER) return fail(`must be at most ${MAX_NUMBER}`, `不能超过 ${MAX_NUMBER}`);
  return ok(value);
}

export interface DecimalRule {
  min?: string;
  max?: string;
  /** At most this many decimal places. */
  places?: number;
}

function describeRange(rule: DecimalRule): Reason {
  if (rule.min !== undefined && rule.max !== undefined)
    return reason(`must be a number from ${rule.min} to ${rule.max}`, `必须是 ${rule.min} 到 ${rule.max} 之间的数`);
  if (rule.min !== undefined) return reason(`must be a number ≥ ${rule.min}`, `必须是 ≥ ${rule.min} 的数`);
  return reason('must be a number', '必须是数字');
}

/** An exact decimal as a canonical decimal string ("1.5", "-20", "0.25"). */
export function parseDecimalText(text: string, rule: DecimalRule = {}): Parsed<string> {
  const canonical = normaliseNumber(text);
  if (canonical === undefined) return { ok: false, reason: describeRange(rule) };
  const value = parseDecimal(canonical);
  if (value === undefined) return { ok: false, reason: describeRange(rule) };
  if ((rule.min !== undefined && value.lessThan(rule.min)) || (rule.max !== undefined && value.greaterThan(rule.max)))
    return { ok: false, reason: describeRange(rule) };
  if (value.abs().greaterThan(MAX_NUMBER)) return fail(`must be at most ${MAX_NUMBER} in size`, `绝对值不能超过 ${MAX_NUMBER}`);
  if (rule.places !== undefined && value.decimalPlaces() > rule.places)
    return fail(`has more than ${rule.places} decimal places`, `小数位数不能超过 ${rule.places} 位`);
  return ok(canonical);
}

/** A non-money quantity such as seconds, as a JS number (after an exact decimal check). */
export function parseSeconds(text: string): Parsed<number> {
  const t = fold(text);
  const clock = /^(?:(\d+):)?(\d{1,2}):(\d{2})(?:\.(\d+))?$/.exec(t);
  if (clock) {
    const [hours, minutes, seconds] = [Number(clock[1] ?? 0), Number(clock[2]), Number(clock[3])];
    if (minutes < 60 && seconds < 60) return ok(hours * 3600 + minutes * 60 + seconds + Number(`0.${clock[4] ?? '0'}`));
  }
  const decimal = parseDecimalText(t, { min: '0' });
  if (!decimal.ok) return fail('must be a number of seconds ≥ 0 (or h:mm:ss)', '必须是 ≥ 0 的秒数(或 时:分:秒)');
  return ok(Number(decimal.value));
}

/** Yuan ("3000", "3,000.50", "¥3000", "3000元") to integer fen; refuses fractions of a fen. */
export function parseYuan(text: string, options: { min?: number; positive?: boolean } = {}): Parsed<Fen> {
  let t = fold(text)
    .replace(/^[¥￥]\s*/, '')
    .replace(/\s*元$/, '');
  if (t.startsWith('-')) t = `-${t.slice(1).replace(/^[¥￥]\s*/, '')}`;
  const canonical = normaliseNumber(t);
  const value = canonical === undefined ? undefined : parseDecimal(canonical);
  if (value === undefined) return fail('must be an amount in yuan, like 3000 or 3000.50', '必须是以元为单位的金额,例如 3000 或 3000.50');
  if (value.decimalPlaces() > 2) return fail('has more than 2 decimal places (fen)', '金额最多两位小数(分)');
  if (options.positive && !value.greaterThan(0)) return fail('must be an amount greater than 0', '金额必须大于 0');
  if (value.lessThan(options.min ?? 0)) return fail('must be an amount ≥ 0', '金额不能为负');
  if (value.abs().greaterThan(MAX_NUMBER)) return fail(`must be at most ${MAX_NUMBER} yuan`, `金额不能超过 ${MAX_NUMBER} 元`);
  return ok(yuanToFen(value));
}

/** A rate between 0 and 1, written as a fraction ("0.965") or a percent ("96.5%"), as a decimal string. */
export function parseRate(text: string): Parsed<string> {
  const t = fold(text);
  const bad = () => fail('must be a rate between 0 and 1 or a percent like 96.5%', '必须是 0 到 1 之间的比率或百分数,例如 96.5%');
  const percent = /^(.*?)\s*%$/.exec(t);
  const canonical = normaliseNumber(percent ? (percent[1] ?? '') : t);
  const value = canonical === undefined ? undefined : parseDecimal(canonical);
  if (value === undefined) return bad();
  const rate = percent ? value.dividedBy(100) : value;
  if (rate.lessThan(0) || rate.greaterThan(1)) return bad();
  return ok(formatDecimal(rate));
}

/** A whole number from 1 to 5 ("5", "5.0"). */
export function parseRating(text: string): Parsed<number> {
  const canonical = normaliseNumber(text);
  if (canonical === undefined || !/^[1-5]$/.test(canonical)) return fail('must be a whole number from 1 to 5', '必须是 1 到 5 的整数');
  return ok(Number(canonical));
}

const TRUE_WORDS = new Set(['是', '1', 'true', 'yes', 'y', 't', '有效', '对', '√', '✓']);
const FALSE_WORDS = new Set(['否', '0', 'false', 'no', 'n', 'f', '无效', '错', '×', '✗']);

/** 是/否, 1/0, true/false, yes/no. */
export function parseBoolean(text: string): Parsed<boolean> {
  const t = fold(text).toLowerCase();
  if (TRUE_WORDS.has(t)) return ok(true);
  if (FALSE_WORDS.has(t)) return ok(false);
  return fail('must be 是/否, 1/0 or true/false', '必须是 是/否、1/0 或 true/false');
}

// ---------------------------------------------------------------------------------------------
// Dates and times

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isoDay(year: number, month: number, day: number): IsoDate | undefined {
  return parseDate(`${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`);
}

/** Excel's serial day number (1900 date system, with its phantom 1900-02-29) to a date. */
export function excelSerialToDay(serial: number): IsoDate | undefined {
  if (!Number.isInteger(serial) || serial < 61) return undefined;
  const date = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000);
  return isoDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

const DAY_FORMS = [/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/, /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/, /^(\d{4})(\d{2})(\d{2})$/];
const MIDNIGHT = /^(.*?)(?:[ T]+0{1,2}:00(?::00(?:\.0+)?)?(?:Z|[+-]0{2}:?0{2})?)$/;

/** A day: 2026-10-08, 2026/10/8, 2026.10.8, 2026年10月8日, 20261008, an Excel serial day, or any of these at 00:00. */
export function parseDay(text: string): Parsed<IsoDate> {
  let t = fold(text);
  const midnight = MIDNIGHT.exec(t);
  if (midnight && midnight[1]) t = midnight[1];
  for (const form of DAY_FORMS) {
    const m = form.exec(t);
    if (m) {
      const day = isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
      if (day) return ok(day);
      break;
    }
  }
  if (/^\d{5}$/.test(t)) {
    const day = excelSerialToDay(Number(t));
    if (day) return ok(day);
  }
  return fail('must be a date like 2026-10-08', '必须是日期,例如 2026-10-08');
}

const MONTH_FORMS = [/^(\d{4})[-/.](\d{1,2})$/, /^(\d{4})年(\d{1,2})月?$/, /^(\d{4})(\d{2})$/];

/** A month: 2026-10, 2026/10, 2026年10月, 202610, or the first day of it (Excel turns "2026-10" into 2026-10-01). */
export function parseMonthText(text: string): Parsed<Month> {
  const t = fold(text);
  for (const form of MONTH_FORMS) {
    const m = form.exec(t);
    if (m) {
      const month = parseMonth(`${m[1]}-${pad2(Number(m[2]))}`);
      if (month) return ok(month);
      break;
    }
  }
  const day = parseDay(t);
  if (day.ok && day.value.endsWith('-01')) return ok(day.value.slice(0, 7) as Month);
  return fail('must be a month like 2026-10', '必须是月份,例如 2026-10');
}

/** A sales period: a quarter (2026-Q3, 2026Q3, 2026年第3季度, 2026年Q3) or a year (2026, 2026年). */
export function parsePeriod(text: string): Parsed<string> {
  const t = fold(text).toUpperCase();
  const quarter = /^(\d{4})\s*(?:-|年)?\s*(?:Q|第)([1-4])(?:季度?)?$/.exec(t);
  if (quarter) return ok(`${quarter[1]}-Q${quarter[2]}`);
  const year = /^(\d{4})(?:年(?:度)?)?$/.exec(t);
  if (year && Number(year[1]) >= 1900 && Number(year[1]) <= 2999) return ok(String(year[1]));
  return fail('must be a quarter like 2026-Q3 or a year like 2026', '必须是季度(例如 2026-Q3)或年份(例如 2026)');
}

const DATE_TIME =
  /^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日)[ T]*(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:[.,](\d+))?秒?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/** An instant as epoch milliseconds; a time without an offset is China time. */
export function parseInstant(text: string): Parsed<number> {
  const t = fold(text);
  const m = DATE_TIME.exec(t);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2] ?? m[4]), Number(m[3] ?? m[5])];
    const [hour, minute, second] = [Number(m[6]), Number(m[7]), Number(m[8] ?? 0)];
    const date = isoDay(year, month, day);
    if (date && hour < 24 && minute < 60 && second < 60) {
      const millis = m[9] === undefined ? 0 : Math.floor(Number(`0.${m[9]}`) * 1000);
      const zone = (m[10] ?? '').toUpperCase();
      let offset = CHINA_OFFSET_MINUTES;
      if (zone === 'Z' || zone === 'UTC' || zone === 'GMT') offset = 0;
      else if (zone !== '') {
        const digits = zone.replace(':', '');
        offset = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
      }
      const days = daysFromCivil(year, month, day);
      return ok((((days * 24 + hour) * 60 + minute - offset) * 60 + second) * 1000 + millis);
    }
  } else if (/^\d{5}\.\d+$/.test(t)) {
    // An Excel serial date-time that lost its date format: China wall-clock time.
    const serial = Number(t);
    const day = excelSerialToDay(Math.floor(serial));
    if (day) {
      const seconds = Math.round((serial - Math.floor(serial)) * 86_400);
      const days = daysFromCivil(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10)));
      return ok((days * 86_400 + seconds - CHINA_OFFSET_MINUTES * 60) * 1000);
    }
  }
  return fail(
    'must be a date and time like 2026-10-08 09:12:33 (China time) or ISO 8601',
    '必须是日期时间,例如 2026-10-08 09:12:33(北京时间)或 ISO 8601',
  );
}

/** Epoch milliseconds to "2026-10-08T09:12:33+08:00": China time, whole seconds (truncated). */
export function formatChinaTime(epochMs: number): string {
  const local = Math.floor(epochMs / 1000) + CHINA_OFFSET_MINUTES * 60;
  const days = Math.floor(local / 86_400);
  const secondOfDay = local - days * 86_400;
  return `${civilFromDays(days)}T${pad2(Math.floor(secondOfDay / 3600))}:${pad2(Math.floor(secondOfDay / 60) % 60)}:${pad2(secondOfDay % 60)}+08:00`;
}

/** The China business day of an instant, as days since 1970-01-01. */
export function chinaDayNumber(epochMs: number): number {
  return Math.floor((Math.floor(epochMs / 1000) + CHINA_OFFSET_MINUTES * 60) / 86_400);
}

/** The China business day of an instant. */
export function chinaDay(epochMs: number): IsoDate {
  return civilFromDays(chinaDayNumber(epochMs));
}

/** Days since 1970-01-01 to "YYYY-MM-DD" (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): IsoDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}` as IsoDate;
}

// ---------------------------------------------------------------------------------------------
// Text and codes

/** Trimmed text of at most `max` characters without control characters. */
export function parseText(text: string, max = 200): Parsed<string> {
  const t = text.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(t)) return fail('has control characters', '含有控制字符');
  if (t.length > max) return fail(`is longer than ${max} characters`, `超过 ${max} 个字符`);
  return ok(t);
}

/** Normalises a word for alias lookup: NFKC, lower case, no spaces, underscores or hyphens. */
export function normaliseWord(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-·.]+/g, '');
}

/** A closed set of codes, each with accepted words in English and Chinese. */
export function enumParser<T extends string>(choices: Record<T, readonly string[]>, describe: Reason): (text: string) => Parsed<T> {
  const lookup = new Map<string, T>();
  for (const [code, words] of Object.entries(choices) as [T, readonly string[]][]) {
    lookup.set(normaliseWord(code), code);
    for (const word of words) lookup.set(normaliseWord(word), code);
  }
  return (text) => {
    const code = lookup.get(normaliseWord(text));
    return code === undefined ? { ok: false, reason: describe } : ok(code);
  };
}
