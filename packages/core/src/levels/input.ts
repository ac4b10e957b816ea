/** The input of `ladder evaluate` (CALC-FORMAT.md, evaluate): one quarter of figures per person. */
import type { Decimal } from '../money/decimal.js';
import {
  addMonths,
  compareDates,
  firstDayOf,
  type IsoDate,
  lastDayOf,
  type Month,
  monthOf,
  monthsOfQuarter,
  parseDate,
  parseMonth,
  parseQuarter,
  type Quarter,
} from '../period/period.js';
import { ValidationError } from '../validate/problems.js';
import { count, decimal, type Field, list, nonNegative, object, Reader, text } from '../validate/schema.js';
import type { LevelCatalog, LevelRules, MonthlyIndicator, Requirement, TrackLevelRules } from './policy.js';
import { MONTH_HOLD_INDICATORS, MONTHLY_INDICATORS } from './policy.js';

/** One month of a person's figures. Only `conversations` is always needed; the others when a checked level asks for them. */
export interface LevelMonth {
  month: Month;
  conversations: Decimal;
  deductions?: Decimal;
  /** Customer satisfaction, 0–1. */
  csat?: Decimal;
  /** Complaint resolution rate, 0–1. */
  complaintResolutionRate?: Decimal;
  /** Average handle time, in seconds. */
  handleTime?: Decimal;
}

/** 360 ratings (R-EXT-1), each 0–100; `peers` is the mean of the peers' ratings. */
export interface Review360Ratings {
  self: Decimal;
  manager: Decimal;
  peers: Decimal;
}

export interface LevelPerson {
  id: string;
  group: string;
  level: string;
  hiredOn: IsoDate;
  /** The day the current level took effect. */
  levelSince: IsoDate;
  /** The day the person first reached the junior level of their track; the senior tenure counts from it (else hiredOn). */
  juniorSince?: IsoDate;
  knowledgeTest?: Decimal;
  internalComplaints?: Decimal;
  review360?: Review360Ratings;
  /** Codes of the training courses completed (R-EXT-3). */
  trainingCourses?: string[];
  /** Codes of the certificates held (R-EXT-3). */
  certificates?: string[];
  months: LevelMonth[];
}

export interface QuarterInput {
  quarter: Quarter;
  employees: LevelPerson[];
}

const quarterField: Field<Quarter> = (reader, value, path) => {
  if (typeof value !== 'string' || parseQuarter(value) === undefined) {
    reader.report(path, `must be a quarter YYYY-Qn (n 1–4), got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value as Quarter;
};

const monthField: Field<Month> = (reader, value, path) => {
  if (typeof value !== 'string' || parseMonth(value) === undefined) {
    reader.report(path, `must be a month YYYY-MM (01–12), got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value as Month;
};

const dateField: Field<IsoDate> = (reader, value, path) => {
  if (typeof value !== 'string' || parseDate(value) === undefined) {
    reader.report(path, `must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value as IsoDate;
};

const rate = () => decimal({ min: 0, max: 1 });
const score = () => decimal({ min: 0, max: 100 });

const monthRecord = object(
  {
    month: monthField,
    conversations: count(),
    deductions: nonNegative(),
    csat: rate(),
    complaintResolutionRate: rate(),
    handleTime: nonNegative(),
  },
  { optional: ['deductions', 'csat', 'complaintResolutionRate', 'handleTime'] },
);

const person = object(
  {
    id: text(),
    group: text(),
    level: text(),
    hiredOn: dateField,
    levelSince: dateField,
    juniorSince: dateField,
    knowledgeTest: score(),
    internalComplaints: count(),
    review360: object({ self: score(), manager: score(), peers: score() }),
    trainingCourses: list(text()),
    certificates: list(text()),
    months: list(monthRecord),
  },
  { optional: ['juniorSince', 'knowledgeTest', 'internalComplaints', 'review360', 'trainingCourses', 'certificates'] },
);

const quarterInput = object({ quarter: quarterField, employees: list(person, { nonEmpty: true }) });

/** The day after the quarter's last day: tenures and probations complete on or before it (CALC-FORMAT.md). */
export function dayAfterQuarter(quarter: Quarter): IsoDate {
  const last = monthsOfQuarter(quarter)[2];
  return firstDayOf(addMonths(last, 1));
}

/** The track, its level rules and where the person stands on it. */
export interface Placement {
  trackName: string;
  rules: TrackLevelRules;
  levels: string[];
  index: number;
  /** The next level up, absent at the top of the track. */
  next?: string;
  onProbationLevel: boolean;
}

/** Finds a person's track and level; undefined when the group, level or track rules are unknown. */
export function placementOf(rules: LevelRules, catalog: LevelCatalog, group: string, level: string): Placement | undefined {
  const trackName = catalog.groups[group]?.track;
  if (trackName === undefined) return undefined;
  const track = catalog.tracks[trackName];
  const trackRules = rules.tracks[trackName];
  if (!track || !trackRules) return undefined;
  const levels = track.levels.map((l) => l.code);
  const index = levels.indexOf(level);
  if (index < 0) return undefined;
  const placement: Placement = {
    trackName,
    rules: trackRules,
    levels,
    index,
    onProbationLevel: trackRules.probation !== undefined && trackRules.probation.level === level,
  };
  const next = levels[index + 1];
  if (next !== undefined) placement.next = next;
  return placement;
}

const FIGURE_NAMES: Record<string, string> = {
  deductions: 'deductions',
  csat: 'CSAT',
  complaintResolutionRate: 'the complaint resolution rate',
  handleTime: 'the handle time',
  knowledgeTest: 'a knowledge test',
  review360: 'the 360 score',
  internalComplaints: 'internal complaints',
  trainingCourses: 'training courses',
  certificates: 'certificates',
};

/**
 * Reads and validates a quarter's evaluation input against the level rules: every problem is
 * reported with its JSON path. Besides the shape it checks that each group, level and track is
 * known, ids are unique, dates are consistent with the quarter, every month of the quarter from the
 * hire month on has exactly one record, and every figure a checked level needs is given (the
 * current level's monthly deductions and CSAT, and every indicator of the next level).
 */
export function readQuarterInput(data: unknown, rules: LevelRules, catalog: LevelCatalog): QuarterInput {
  const reader = new Reader();
  const raw = quarterInput(reader, data, []);
  if (raw === undefined) throw new ValidationError(reader.problems, 'input is invalid');
  const quarterMonths = monthsOfQuarter(raw.quarter);
  const firstDay = firstDayOf(quarterMonths[0]);
  const lastDay = lastDayOf(quarterMonths[2]);
  const seen = new Map<string, number>();

  raw.employees.forEach((p, index) => {
    const at = ['employees', index];
    const earlier = seen.get(p.id);
    if (earlier !== undefined) reader.report([...at, 'id'], `duplicate employee id "${p.id}" (also employees[${earlier}])`);
    else seen.set(p.id, index);

    const group = catalog.groups[p.group];
    if (!group) {
      reader.report([...at, 'group'], `unknown group "${p.group}" (groups: ${Object.keys(catalog.groups).join(', ')})`);
      return;
    }
    const track = catalog.tracks[group.track];
    const codes = track?.levels.map((l) => l.code) ?? [];
    if (!codes.includes(p.level)) {
      reader.report([...at, 'level'], `"${p.level}" is not a level of the ${p.group} group's track (${codes.join(', ')})`);
      return;
    }
    const placement = placementOf(rules, catalog, p.group, p.level);
    if (!placement) {
      reader.report([...at, 'group'], `the policy has no level rules for track "${group.track}"`);
      return;
    }

    if (compareDates(p.hiredOn, lastDay) > 0)
      reader.report([...at, 'hiredOn'], `${p.hiredOn} is after the quarter ${raw.quarter} (ends ${lastDay})`);
    if (compareDates(p.levelSince, p.hiredOn) < 0) reader.report([...at, 'levelSince'], `${p.levelSince} is before hiredOn ${p.hiredOn}`);
    if (compareDates(p.levelSince, lastDay) > 0)
      reader.report([...at, 'levelSince'], `${p.levelSince} is after the quarter ${raw.quarter} (ends ${lastDay})`);
    if (p.juniorSince !== undefined) {
      if (placement.onProbationLevel) {
        reader.report(
          [...at, 'juniorSince'],
          `a person at the probation level "${p.level}" has not reached junior yet; remove juniorSince`,
        );
      } else {
        if (compareDates(p.juniorSince, p.hiredOn) < 0)
          reader.report([...at, 'juniorSince'], `${p.juniorSince} is before hiredOn ${p.hiredOn}`);
        if (compareDates(p.juniorSince, p.levelSince) > 0) {
          reader.report(
            [...at, 'juniorSince'],
            `${p.juniorSince} is after levelSince ${p.levelSince} (the junior level is reached before or with the current one)`,
          );
        }
      }
    }

    const hireMonth = monthOf(p.hiredOn);
    const months = new Map<string, number>();
    p.months.forEach((m, j) => {
      const where = [...at, 'months', j, 'month'];
      if (!quarterMonths.includes(m.month)) {
        reader.report(where, `${m.month} is not a month of ${raw.quarter} (${quarterMonths.join(', ')})`);
        return;
      }
      const before = months.get(m.month);
      if (before !== undefined) reader.report(where, `${m.month} is given twice (also months[${before}])`);
      else months.set(m.month, j);
      if (m.month < hireMonth) reader.report(where, `${m.month} is before the hire month (hiredOn ${p.hiredOn})`);
    });
    if (compareDates(p.hiredOn, lastDay) <= 0) {
      const missing = quarterMonths.filter((m) => m >= hireMonth && !months.has(m));
      if (missing.length > 0) {
        const from =
          compareDates(p.hiredOn, firstDay) <= 0 ? 'every month of the quarter' : `every month from the hire month ${hireMonth} on`;
        reader.report([...at, 'months'], `no record for ${missing.join(', ')} (${from} needs one)`);
      }
    }

    // The figures the evaluation will read: the current level's month indicators and all of the next level's.
    const current = placement.rules.requirements[p.level];
    const next = placement.next !== undefined ? placement.rules.requirements[placement.next] : undefined;
    const needed = new Map<string, string>();
    if (current) for (const key of MONTH_HOLD_INDICATORS) if (current[key] !== undefined) needed.set(key, `${p.level} (the current level)`);
    if (next && placement.next !== undefined) {
      for (const key of Object.keys(next) as (keyof Requirement)[])
        if (next[key] !== undefined && !needed.has(key)) needed.set(key, `${placement.next} (the next level)`);
    }
    for (const [key, level] of needed) {
      const why = `the requirements for ${level} include ${FIGURE_NAMES[key] ?? key}`;
      if ((MONTHLY_INDICATORS as readonly string[]).includes(key)) {
        p.months.forEach((m, j) => {
          if (m[key as MonthlyIndicator] === undefined) reader.report([...at, 'months', j, key], `is required: ${why}`);
        });
      } else if (key !== 'tenure' && p[key as 'knowledgeTest'] === undefined) {
        const hint =
          key === 'trainingCourses' || key === 'certificates'
            ? ' (give [] when there are none)'
            : key === 'internalComplaints'
              ? ' (give 0 when there are none)'
              : '';
        reader.report([...at, key], `is required: ${why}${hint}`);
      }
    }
  });
  reader.throwIfProblems('input is invalid');

  const employees = raw.employees.map((p) => {
    const result: LevelPerson = { ...p, months: [...p.months].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0)) };
    return result;
  });
  return { quarter: raw.quarter, employees };
}
