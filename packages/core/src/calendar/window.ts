/**
 * A period of N working days opened by a publication: the dispute window of a QA result (R-DSP-1)
 * and the public notice of a promotion (R-APP-2). The count starts on the day after publication;
 * the window is open from the publication day through its last working day, inclusive.
 */
import type { IsoDate } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import { addDays, chinaCalendar, type DayInfo, requireDate, type WorkingCalendar } from './calendar.js';

export interface WorkingDayWindow {
  /** The publication day; the window is open from this day. */
  opensOn: IsoDate;
  workingDays: number;
  /** The last day of the window (inclusive): the N-th working day after opensOn. */
  closesOn: IsoDate;
  /** The working days counted, in order (make-up working days included). */
  counted: DayInfo[];
  /** The days passed over between opensOn and closesOn: weekends and holidays. */
  skipped: DayInfo[];
  explain: Bilingual;
}

export type WindowPosition = 'before' | 'open' | 'closed';

function shortDate(date: IsoDate): string {
  return date.slice(5);
}

/** Groups consecutive holiday days of the same holiday: "国庆节 10-01–10-08". */
function holidayRuns(days: readonly DayInfo[]): { zh: string[]; en: string[] } {
  const zh: string[] = [];
  const en: string[] = [];
  let run: DayInfo[] = [];
  const flush = () => {
    const first = run[0];
    const last = run[run.length - 1];
    if (first?.holiday && last) {
      const span = first === last ? shortDate(first.date) : `${shortDate(first.date)}–${shortDate(last.date)}`;
      zh.push(`${first.holiday.zh} ${span}`);
      en.push(`${first.holiday.en} ${span}`);
    }
    run = [];
  };
  for (const day of days) {
    const previous = run[run.length - 1];
    const continues = previous !== undefined && addDays(previous.date, 1) === day.date && previous.holiday?.en === day.holiday?.en;
    if (!continues) flush();
    run.push(day);
  }
  flush();
  return { zh, en };
}

/** The window of `workingDays` working days opened on `opensOn`, with what it skipped and why. */
export function workingDayWindow(opensOn: string, workingDays: number, calendar: WorkingCalendar = chinaCalendar): WorkingDayWindow {
  const start = requireDate(opensOn);
  if (!Number.isSafeInteger(workingDays) || workingDays < 0) {
    throw new RangeError(`a window of working days needs a whole number ≥ 0, got ${String(workingDays)}`);
  }
  const closesOn = calendar.addWorkingDays(start, workingDays);
  const counted: DayInfo[] = [];
  const skipped: DayInfo[] = [];
  for (let day = addDays(start, 1); day <= closesOn; day = addDays(day, 1)) {
    const info = calendar.dayInfo(day);
    (info.working ? counted : skipped).push(info);
  }
  const holidays = holidayRuns(skipped.filter((d) => d.kind === 'holiday'));
  const weekends = skipped.filter((d) => d.kind === 'weekend').length;
  const madeUp = counted.filter((d) => d.kind === 'make_up_workday');
  const zhParts: string[] = [];
  const enParts: string[] = [];
  if (holidays.zh.length > 0) {
    zhParts.push(`不计节假日 ${holidays.zh.join('、')}`);
    enParts.push(`holidays not counted: ${holidays.en.join(', ')}`);
  }
  if (weekends > 0) {
    zhParts.push(`不计周末 ${weekends} 天`);
    enParts.push(`${weekends} weekend day${weekends === 1 ? '' : 's'} not counted`);
  }
  if (madeUp.length > 0) {
    zhParts.push(`调休上班日 ${madeUp.map((d) => shortDate(d.date)).join('、')} 计入`);
    enParts.push(`make-up working day${madeUp.length === 1 ? '' : 's'} ${madeUp.map((d) => shortDate(d.date)).join(', ')} counted`);
  }
  const zhNote = zhParts.length > 0 ? `(${zhParts.join(';')})` : '';
  const enNote = enParts.length > 0 ? ` (${enParts.join('; ')})` : '';
  return {
    opensOn: start,
    workingDays,
    closesOn,
    counted,
    skipped,
    explain: {
      zh: `${start} 发布,自次日起算 ${workingDays} 个工作日,截至 ${closesOn}(含)${zhNote}`,
      en: `published on ${start}; ${workingDays} working day${workingDays === 1 ? '' : 's'} counted from the next day, ending on ${closesOn} inclusive${enNote}`,
    },
  };
}

/** Where a day falls relative to a window: before publication, open (inclusive), or closed. */
export function windowPosition(window: Pick<WorkingDayWindow, 'opensOn' | 'closesOn'>, on: string): WindowPosition {
  const day = requireDate(on);
  if (day < window.opensOn) return 'before';
  return day <= window.closesOn ? 'open' : 'closed';
}

export function isWithinWindow(window: Pick<WorkingDayWindow, 'opensOn' | 'closesOn'>, on: string): boolean {
  return windowPosition(window, on) === 'open';
}
