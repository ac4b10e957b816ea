/** What Chatwoot's report CSVs share: the period line and the duration text of Reports::TimeFormatPresenter. */
import type { IsoDate } from '@ladder/core';
import { type Parsed, fail, ok, parseDay } from '../values.js';

/** "Reporting period 2024-05-01 to 2024-05-31" (en) or "报告周期 2024-05-01 至 2024-05-31" (zh_CN). */
export function readPeriodLine(cells: readonly string[]): { from: IsoDate; to: IsoDate } | 'not-a-period' | 'bad-period' {
  const text = cells
    .filter((c) => c.trim() !== '')
    .join(',')
    .trim();
  if (!/^(reporting period|报告周期)/i.test(text)) return 'not-a-period';
  const m = /^(?:reporting period|报告周期)\s*(\S+)\s*(?:to|至)\s*(\S+)$/i.exec(text);
  const from = m ? parseDay(m[1] ?? '') : null;
  const to = m ? parseDay(m[2] ?? '') : null;
  return from?.ok && to?.ok ? { from: from.value, to: to.value } : 'bad-period';
}

const UNIT_SECONDS: Record<string, number> = {
  day: 86_400,
  days: 86_400,
  天: 86_400,
  hour: 3600,
  hours: 3600,
  小时: 3600,
  minute: 60,
  minutes: 60,
  分钟: 60,
  second: 1,
  seconds: 1,
  秒: 1,
};

/**
 * Chatwoot's report durations: "12 minutes 5 seconds", "1 hour 2 minutes", "1 day 1 hour", "45 秒",
 * or "--" for none. The presenter keeps only the two largest units, so this is a lower bound of the
 * real average. A leading apostrophe (csv-safe's injection guard) is ignored.
 */
export function parseChatwootDuration(text: string): Parsed<number | null> {
  const t = text.trim().replace(/^'/, '');
  if (t === '--' || t === '-' || t === '') return ok(null);
  const parts = t.match(/\d+(?:\.\d+)?\s*[a-z\u4e00-\u9fff]+/gi);
  if (!parts || parts.join('').replace(/\s/g, '') !== t.replace(/\s/g, ''))
    return fail('must be a duration like "12 minutes 5 seconds" or --', '必须是时长,例如 "12 minutes 5 seconds" 或 --');
  let seconds = 0;
  for (const part of parts) {
    const m = /^(\d+(?:\.\d+)?)\s*(\S+)$/.exec(part) as RegExpExecArray;
    const unit = UNIT_SECONDS[(m[2] as string).toLowerCase()];
    if (unit === undefined) return fail(`unknown time unit "${m[2]}"`, `未知的时间单位“${m[2]}”`);
    seconds += Number(m[1]) * unit;
  }
  return ok(seconds);
}

/** "Alice Chen (alice@acme.io)" → "alice@acme.io"; a name without an e-mail stays as it is. */
export function chatwootAgentAccount(text: string): string {
  const m = /\(([^()\s]+@[^()\s]+)\)\s*$/.exec(text.trim());
  return m ? (m[1] as string).toLowerCase() : text.trim();
}
