/**
 * The statutory calendar's data: public holidays (放假) and make-up working days (调休上班) as the
 * State Council publishes them each year, from the maintained `chinese-days` package. Only its
 * data is read: its functions read dates in the process's local time zone, ours never do.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** Each map is keyed by `YYYY-MM-DD`; a value reads "English name,中文名,statutory days". */
export interface StatutoryCalendarData {
  /** Days off: statutory holidays and the rest days moved next to them. */
  holidays: Readonly<Record<string, string>>;
  /** Weekend days that are working days (调休上班). */
  workdays: Readonly<Record<string, string>>;
}

export const CHINESE_DAYS_DATA: StatutoryCalendarData = {
  holidays: chineseDays.holidays as Record<string, string>,
  workdays: chineseDays.workdays as Record<string, string>,
};
