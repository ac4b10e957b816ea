/** The Chinese statutory working-day calendar (R-APP-2, R-DSP-1). */
export {
  addDays,
  addWorkingDays,
  CalendarError,
  type CalendarErrorCode,
  chinaCalendar,
  createCalendar,
  type DayInfo,
  dayInfo,
  type DayKind,
  isoWeekday,
  isWorkingDay,
  workingDaysBetween,
  type WorkingCalendar,
} from './calendar.js';
export { CHINESE_DAYS_DATA, type StatutoryCalendarData } from './data.js';
export { isWithinWindow, type WindowPosition, windowPosition, workingDayWindow, type WorkingDayWindow } from './window.js';
