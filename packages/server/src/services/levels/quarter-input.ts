/**
 * A quarter's level-evaluation input read from the store (R-LVL-2…4, R-EXT-1, R-EXT-3): the
 * same `QuarterInput` that `ladder evaluate` reads from a file, so the decisions come from the
 * one pure `evaluateQuarter`.
 *
 * Who and which months:
 * - Evaluated: everyone whose state in force on the quarter's last day is active, an agent, in a
 *   group of the policy whose level is on the group's track. Team leads and the other positions
 *   are on the management track (R-POS-1, by application) and are listed as not evaluated.
 * - A month counts for a person (a record in the input) only when they were an active agent of
 *   the same group for the whole month: hired on or before the 1st, and every state in force
 *   during the month active, agent, that group. R-LVL-3's peer average is over exactly these
 *   records (core averages over the records it is given), so someone hired or moved during a
 *   month is in nobody's average for it — including their own: their basic indicator for that
 *   month does not hold ("no record"), and the month's figures stay out of their means.
 * - People who left before the quarter's end, or were in another group for some months, still
 *   count in the peer averages of the months they worked whole; they are given to
 *   `evaluateQuarter` as extra entries whose decisions are dropped.
 *
 * Figures per month, read set-wise for the whole department:
 * - conversations: agent_day_stats of the month + agent_period_stats whose period is exactly it;
 * - deductions: non-revoked deductions, added exactly (Decimal), 0 when there are none;
 * - CSAT, first source found: the month's sales figures (sales_months.csat, as on the payslip);
 *   else csat_ratings as the share of ratings of 4 or 5 (of 5); else the agent-daily platform's
 *   daily satisfaction rates averaged weighted by the day's conversations; else no figure;
 * - handle time (only when the policy asks for it): the mean handle_s of the month's conversations.
 * Per quarter: the knowledge test is the latest exam result taken in the quarter; courses are
 * those completed by its last day; certificates those held on it; the 360 ratings those given
 * for the quarter (mean per role; all three roles are needed for a score).
 */
import {
  type Bilingual,
  Decimal,
  firstDayOf,
  formatDecimal,
  type IsoDate,
  lastDayOf,
  type LevelMonth,
  type LevelPerson,
  type LevelRules,
  type Month,
  MONTH_HOLD_INDICATORS,
  monthsOfQuarter,
  type Policy,
  type Quarter,
  type QuarterInput,
  type Requirement,
  type Review360Ratings,
} from '@ladder/core';
import { sql } from 'kysely';
import type { Db } from '../context.js';
import { handleTimes } from '../conversations/blocks.js';
import { levelDb } from './db.js';

export interface HistoryState {
  id: number;
  effective_from: string;
  group_code: string;
  level: string;
  position: string;
  status: string;
  junior_since: string | null;
}

interface StoredPerson {
  id: number;
  employeeNo: string;
  name: string;
  hiredOn: string;
  rows: HistoryState[];
}

/** A figure and how it was read, shown with the proposal. */
export interface MonthFigures {
  month: Month;
  /** Active agent of the person's group the whole month; the month has figures only then. */
  wholeMonth: boolean;
  conversations: string | null;
  deductions: string | null;
  csat: string | null;
  csatSource: Bilingual | null;
  handleTime?: string | null;
}

export interface PersonFigures {
  hiredOn: string;
  levelSince: string;
  juniorSince: string | null;
  knowledgeTest: { score: string; exam: string; takenOn: string } | null;
  review360: { self: string | null; manager: string | null; peers: string | null; ratings: number } | null;
  trainingCourses: string[];
  certificates: string[];
  months: MonthFigures[];
  /** What could not be read, and months that do not count. */
  notes: Bilingual[];
}

export interface EvaluatedPerson {
  /** Index of the person's entry in `input.employees`. */
  index: number;
  employeeId: number;
  employeeNo: string;
  name: string;
  figures: PersonFigures;
}

export interface NotEvaluated {
  employeeNo: string;
  zh: string;
  en: string;
}

export interface StoreQuarter {
  quarter: Quarter;
  /** Evaluated people first (in employee-number order), then the entries that only feed the peer averages. */
  input: QuarterInput;
  evaluated: EvaluatedPerson[];
  notEvaluated: NotEvaluated[];
}

const ZERO = new Decimal(0);
const key = (employeeId: number, month: string) => `${employeeId}|${month}`;

/** The state in force on a day: the latest row effective on or before it (rows in date order). */
export function stateOn(rows: readonly HistoryState[], day: string): HistoryState | undefined {
  let found: HistoryState | undefined;
  for (const row of rows) {
    if (row.effective_from <= day) found = row;
    else break;
  }
  return found;
}

type MonthStanding = { group: string } | { cause: Bilingual };

/** Whether a person was an active agent of one group for the whole month, and which group. */
function monthStanding(person: StoredPerson, month: Month): MonthStanding {
  const first = firstDayOf(month);
  const last = lastDayOf(month);
  if (person.hiredOn > first) return { cause: { zh: `${person.hiredOn} 入职`, en: `hired on ${person.hiredOn}` } };
  const start = stateOn(person.rows, first);
  if (!start) return { cause: { zh: `${first} 无在职记录`, en: `no employment record on ${first}` } };
  const states = [start, ...person.rows.filter((r) => r.effective_from > first && r.effective_from <= last)];
  for (const state of states) {
    const day = state.effective_from > first ? state.effective_from : first;
    if (state.status !== 'active') return { cause: { zh: `${day} 起状态为 ${state.status}`, en: `${state.status} from ${day}` } };
    if (state.position !== 'agent')
      return { cause: { zh: `${day} 起岗位为 ${state.position}`, en: `position ${state.position} from ${day}` } };
    if (state.group_code !== start.group_code)
      return { cause: { zh: `${day} 起转到 ${state.group_code} 组`, en: `moved to the ${state.group_code} group on ${day}` } };
  }
  return { group: start.group_code };
}

function trackOf(policy: Policy, group: string): string | undefined {
  return policy.groups[group]?.track;
}

/** The first day of the current level's uninterrupted run (same track and level, active), never before the hire. */
function levelSinceOf(person: StoredPerson, policy: Policy, endIndex: number): string {
  const end = person.rows[endIndex] as HistoryState;
  const track = trackOf(policy, end.group_code);
  let since = end.effective_from;
  for (let i = endIndex - 1; i >= 0; i -= 1) {
    const row = person.rows[i] as HistoryState;
    if (row.status !== 'active' || row.level !== end.level || trackOf(policy, row.group_code) !== track) break;
    since = row.effective_from;
  }
  return since < person.hiredOn ? person.hiredOn : since;
}

/** The index of a track's junior level: the first level after the probation level (the first level when there is none). */
export function juniorIndexOf(levels: LevelRules, track: string): number {
  return levels.tracks[track]?.probation ? 1 : 0;
}

/** The day the person first reached the track's junior level: recorded on the state, else the first such state in history. */
function juniorSinceOf(person: StoredPerson, policy: Policy, levels: LevelRules, endIndex: number): string | undefined {
  const end = person.rows[endIndex] as HistoryState;
  if (end.junior_since) return end.junior_since;
  const track = trackOf(policy, end.group_code);
  if (track === undefined) return undefined;
  const codes = policy.tracks[track]?.levels.map((l) => l.code) ?? [];
  const juniorIndex = juniorIndexOf(levels, track);
  for (let i = 0; i <= endIndex; i += 1) {
    const row = person.rows[i] as HistoryState;
    if (row.status === 'active' && trackOf(policy, row.group_code) === track && codes.indexOf(row.level) >= juniorIndex) {
      return row.effective_from < person.hiredOn ? person.hiredOn : row.effective_from;
    }
  }
  return undefined;
}

function percent(value: Decimal): string {
  return `${formatDecimal(value.times(100).toDecimalPlaces(2))}%`;
}

/** Which figures the evaluation of this person will read: the current level's monthly ones and all of the next level's. */
function neededFigures(levels: LevelRules, policy: Policy, group: string, level: string): Set<keyof Requirement> {
  const needed = new Set<keyof Requirement>();
  const track = trackOf(policy, group);
  const rules = track === undefined ? undefined : levels.tracks[track];
  const codes = track === undefined ? [] : (policy.tracks[track]?.levels.map((l) => l.code) ?? []);
  if (!rules) return needed;
  const current = rules.requirements[level];
  if (current) for (const k of MONTH_HOLD_INDICATORS) if (current[k] !== undefined) needed.add(k);
  const next = codes[codes.indexOf(level) + 1];
  const requirement = next === undefined ? undefined : rules.requirements[next];
  if (requirement) for (const k of Object.keys(requirement) as (keyof Requirement)[]) if (requirement[k] !== undefined) needed.add(k);
  return needed;
}

function usesIndicator(levels: LevelRules, indicator: keyof Requirement): boolean {
  return Object.values(levels.tracks).some((t) => Object.values(t.requirements).some((r) => r[indicator] !== undefined));
}

/** Reads everything a quarter's evaluation needs, set-wise, and builds the evaluation input. */
export async function readQuarterFromStore(db: Db, policy: Policy, levels: LevelRules, quarter: Quarter): Promise<StoreQuarter> {
  const ldb = levelDb(db);
  const months = monthsOfQuarter(quarter);
  const first = firstDayOf(months[0]);
  const last = lastDayOf(months[2]);

  const historyRows = await db
    .selectFrom('employee_history as h')
    .innerJoin('employees as e', 'e.id', 'h.employee_id')
    .select([
      'e.id as employee_id',
      'e.employee_no',
      'e.name',
      'e.hired_on',
      'h.id',
      'h.effective_from',
      'h.group_code',
      'h.level',
      'h.position',
      'h.status',
      'h.junior_since',
    ])
    .where('e.hired_on', '<=', last)
    .where('h.effective_from', '<=', last)
    .orderBy('e.employee_no')
    .orderBy('h.effective_from')
    .execute();
  const people: StoredPerson[] = [];
  for (const row of historyRows) {
    let person = people.at(-1);
    if (!person || person.id !== row.employee_id) {
      person = { id: row.employee_id, employeeNo: row.employee_no, name: row.name, hiredOn: row.hired_on, rows: [] };
      people.push(person);
    }
    person.rows.push({
      id: row.id,
      effective_from: row.effective_from,
      group_code: row.group_code,
      level: row.level,
      position: row.position,
      status: row.status,
      junior_since: row.junior_since,
    });
  }

  // Conversations: daily statistics, plus platforms that report exactly the month as one period.
  const monthOfDay = sql<string>`substr(day, 1, 7)`;
  const conversations = new Map<string, number>();
  const dayTotals = await db
    .selectFrom('agent_day_stats')
    .select(['employee_id', monthOfDay.as('month'), (eb) => eb.fn.sum<number>('conversations').as('total')])
    .where('day', '>=', first)
    .where('day', '<=', last)
    .groupBy(['employee_id', monthOfDay])
    .execute();
  for (const row of dayTotals) conversations.set(key(row.employee_id, row.month), Number(row.total));
  const periodRows = await db
    .selectFrom('agent_period_stats')
    .select(['employee_id', 'from_day', 'to_day', 'conversations'])
    .where('from_day', '>=', first)
    .where('to_day', '<=', last)
    .execute();
  for (const row of periodRows) {
    const month = months.find((m) => row.from_day === firstDayOf(m) && row.to_day === lastDayOf(m));
    if (month === undefined) continue;
    const k = key(row.employee_id, month);
    conversations.set(k, (conversations.get(k) ?? 0) + Number(row.conversations));
  }

  // Deductions are exact decimals kept as text: added here, not by the database.
  const deductions = new Map<string, Decimal>();
  const deductionRows = await db
    .selectFrom('deductions')
    .select(['employee_id', 'day', 'points'])
    .where('day', '>=', first)
    .where('day', '<=', last)
    .where('revoked_at', 'is', null)
    .execute();
  for (const row of deductionRows) {
    const k = key(row.employee_id, row.day.slice(0, 7));
    deductions.set(k, (deductions.get(k) ?? ZERO).plus(row.points));
  }

  // CSAT, source 1: the month's sales figures (the CSAT the sales payslip used).
  const salesCsat = new Map<string, string>();
  const salesRows = await db.selectFrom('sales_months').select(['employee_id', 'month', 'csat']).where('month', 'in', months).execute();
  for (const row of salesRows) salesCsat.set(key(row.employee_id, row.month), row.csat);

  // CSAT, source 2: ratings of 1–5; satisfied = 4 or 5.
  const ratings = new Map<string, { total: number; satisfied: number }>();
  const ratingMonth = sql<string>`substr(day, 1, 7)`;
  const ratingRows = await db
    .selectFrom('csat_ratings')
    .select([
      'employee_id',
      ratingMonth.as('month'),
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`sum(case when rating >= 4 then 1 else 0 end)`.as('satisfied'),
    ])
    .where('day', '>=', first)
    .where('day', '<=', last)
    .groupBy(['employee_id', ratingMonth])
    .execute();
  for (const row of ratingRows)
    ratings.set(key(row.employee_id, row.month), { total: Number(row.total), satisfied: Number(row.satisfied) });

  // CSAT, source 3: an agent-daily platform's satisfaction rate per day, weighted by the day's conversations.
  const platform = new Map<string, { weighted: Decimal; weight: Decimal; plain: Decimal; days: number }>();
  const rateRows = await ldb
    .selectFrom('agent_day_stats')
    .select(['employee_id', 'day', 'conversations', 'satisfaction_rate'])
    .where('day', '>=', first)
    .where('day', '<=', last)
    .where('satisfaction_rate', 'is not', null)
    .execute();
  for (const row of rateRows) {
    if (row.satisfaction_rate === null) continue;
    const k = key(row.employee_id, row.day.slice(0, 7));
    const entry = platform.get(k) ?? { weighted: ZERO, weight: ZERO, plain: ZERO, days: 0 };
    const rate = new Decimal(row.satisfaction_rate);
    platform.set(k, {
      weighted: entry.weighted.plus(rate.times(row.conversations)),
      weight: entry.weight.plus(row.conversations),
      plain: entry.plain.plus(rate),
      days: entry.days + 1,
    });
  }

  // Handle time, only when a requirement uses it: the mean of the month's conversations' handle_s.
  const handle = new Map<string, { sum: number; count: number }>();
  const wantsHandleTime = usesIndicator(levels, 'handleTime');
  if (wantsHandleTime) {
    for (const [employeeId, months] of await handleTimes(db, first, last))
      for (const [month, sums] of months) handle.set(key(employeeId, month), sums);
  }

  // Per quarter: the latest knowledge test taken in it, courses completed and certificates held by its last day, 360 ratings for it.
  const exams = new Map<number, { score: string; exam: string; takenOn: string }>();
  const examRows = await ldb
    .selectFrom('exam_results as r')
    .innerJoin('exams as x', 'x.id', 'r.exam_id')
    .select(['r.employee_id', 'r.taken_on', 'r.score', 'x.code'])
    .where('r.taken_on', '>=', first)
    .where('r.taken_on', '<=', last)
    .orderBy('r.taken_on')
    .orderBy('r.id')
    .execute();
  for (const row of examRows) exams.set(row.employee_id, { score: row.score, exam: row.code, takenOn: row.taken_on });

  const courses = new Map<number, string[]>();
  const courseRows = await ldb
    .selectFrom('course_completions as c')
    .innerJoin('training_courses as t', 't.id', 'c.course_id')
    .select(['c.employee_id', 't.code'])
    .where('c.completed_on', '<=', last)
    .orderBy('t.code')
    .execute();
  for (const row of courseRows) courses.set(row.employee_id, [...(courses.get(row.employee_id) ?? []), row.code]);

  const certificates = new Map<number, string[]>();
  const certificateRows = await ldb
    .selectFrom('certificates')
    .select(['employee_id', 'code'])
    .where('issued_on', '<=', last)
    .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', last)]))
    .orderBy('code')
    .execute();
  for (const row of certificateRows) certificates.set(row.employee_id, [...(certificates.get(row.employee_id) ?? []), row.code]);

  const reviews = new Map<number, Record<'self' | 'manager' | 'peer', Decimal[]>>();
  const reviewRows = await ldb
    .selectFrom('reviews_360')
    .select(['employee_id', 'reviewer_role', 'score'])
    .where('quarter', '=', quarter)
    .orderBy('id')
    .execute();
  for (const row of reviewRows) {
    const entry = reviews.get(row.employee_id) ?? { self: [], manager: [], peer: [] };
    entry[row.reviewer_role].push(new Decimal(row.score));
    reviews.set(row.employee_id, entry);
  }

  const monthRecord = (employeeId: number, month: Month): { record: LevelMonth; figures: MonthFigures } => {
    const k = key(employeeId, month);
    const record: LevelMonth = {
      month,
      conversations: new Decimal(conversations.get(k) ?? 0),
      deductions: deductions.get(k) ?? ZERO,
    };
    let csatSource: Bilingual | null = null;
    const sales = salesCsat.get(k);
    const rated = ratings.get(k);
    const rates = platform.get(k);
    if (sales !== undefined) {
      record.csat = new Decimal(sales);
      csatSource = {
        zh: `${month} 满意度 ${percent(record.csat)}:取自当月销售数据(与工资单一致)`,
        en: `${month} CSAT ${percent(record.csat)}: from the month's sales figures (as on the payslip)`,
      };
    } else if (rated && rated.total > 0) {
      record.csat = new Decimal(rated.satisfied).dividedBy(rated.total);
      csatSource = {
        zh: `${month} 满意度 ${percent(record.csat)}:${rated.total} 条评价中 ${rated.satisfied} 条为 4 或 5 分(满分 5 分)`,
        en: `${month} CSAT ${percent(record.csat)}: ${rated.satisfied} of ${rated.total} ratings are 4 or 5 (of 5)`,
      };
    } else if (rates && rates.days > 0) {
      const weighted = rates.weight.greaterThan(0);
      record.csat = weighted ? rates.weighted.dividedBy(rates.weight) : rates.plain.dividedBy(rates.days);
      csatSource = weighted
        ? {
            zh: `${month} 满意度 ${percent(record.csat)}:客服平台 ${rates.days} 天的每日满意率按接待量加权平均`,
            en: `${month} CSAT ${percent(record.csat)}: the platform's daily satisfaction rates of ${rates.days} day(s), weighted by conversations`,
          }
        : {
            zh: `${month} 满意度 ${percent(record.csat)}:客服平台 ${rates.days} 天的每日满意率的平均(无接待量可加权)`,
            en: `${month} CSAT ${percent(record.csat)}: the mean of the platform's daily satisfaction rates of ${rates.days} day(s) (no conversations to weight by)`,
          };
    }
    const figures: MonthFigures = {
      month,
      wholeMonth: true,
      conversations: formatDecimal(record.conversations),
      deductions: formatDecimal(record.deductions ?? ZERO),
      csat: record.csat === undefined ? null : formatDecimal(record.csat),
      csatSource,
    };
    const handled = handle.get(k);
    if (handled) record.handleTime = new Decimal(handled.sum).dividedBy(handled.count);
    if (wantsHandleTime) figures.handleTime = record.handleTime === undefined ? null : formatDecimal(record.handleTime);
    return { record, figures };
  };

  const evaluatedEntries: { person: StoredPerson; entry: LevelPerson; figures: PersonFigures }[] = [];
  const peerEntries: LevelPerson[] = [];
  const notEvaluated: NotEvaluated[] = [];
  for (const person of people) {
    const standings = months.map((month) => ({ month, standing: monthStanding(person, month) }));
    const endIndex = person.rows.findLastIndex((r) => r.effective_from <= last);
    const end = person.rows[endIndex];
    let evaluatedGroup: string | undefined;
    if (end && end.status === 'active') {
      const group = policy.groups[end.group_code];
      const track = group ? policy.tracks[group.track] : undefined;
      if (end.position !== 'agent') {
        notEvaluated.push({
          employeeNo: person.employeeNo,
          zh: `岗位为 ${end.position}:属管理序列(R-POS-1,按申请晋升),不参加季度等级评定`,
          en: `position ${end.position}: on the management track (R-POS-1, by application), not in the quarterly evaluation`,
        });
      } else if (!group || !track) {
        notEvaluated.push({
          employeeNo: person.employeeNo,
          zh: `客服组 ${end.group_code} 不在政策中`,
          en: `group ${end.group_code} is not in the policy`,
        });
      } else if (!levels.tracks[group.track]) {
        notEvaluated.push({
          employeeNo: person.employeeNo,
          zh: `政策没有 ${group.track} 序列的等级规则`,
          en: `the policy has no level rules for the ${group.track} track`,
        });
      } else if (!track.levels.some((l) => l.code === end.level)) {
        notEvaluated.push({
          employeeNo: person.employeeNo,
          zh: `等级 ${end.level} 不在 ${end.group_code} 组的序列中`,
          en: `level ${end.level} is not on the ${end.group_code} group's track`,
        });
      } else {
        evaluatedGroup = end.group_code;
      }
    }

    if (evaluatedGroup !== undefined && end) {
      const group = evaluatedGroup;
      const notes: Bilingual[] = [];
      const records: LevelMonth[] = [];
      const monthFigures: MonthFigures[] = [];
      for (const { month, standing } of standings) {
        if ('group' in standing && standing.group === group) {
          const { record, figures } = monthRecord(person.id, month);
          records.push(record);
          monthFigures.push(figures);
          continue;
        }
        const cause = 'cause' in standing ? standing.cause : { zh: `在 ${standing.group} 组`, en: `in the ${standing.group} group` };
        monthFigures.push({ month, wholeMonth: false, conversations: null, deductions: null, csat: null, csatSource: null });
        if (person.hiredOn <= lastDayOf(month)) {
          notes.push({
            zh: `${month} 未整月在 ${group} 组任客服(${cause.zh}):该月不计数据,也不计入同组平均;基本指标不成立`,
            en: `${month}: not an agent of the ${group} group for the whole month (${cause.en}): no figures taken and not in the group average; the basic indicator does not hold`,
          });
        }
      }
      const entry: LevelPerson = {
        id: person.employeeNo,
        group,
        level: end.level,
        hiredOn: person.hiredOn as IsoDate,
        levelSince: levelSinceOf(person, policy, endIndex) as IsoDate,
        trainingCourses: courses.get(person.id) ?? [],
        certificates: certificates.get(person.id) ?? [],
        months: records,
      };
      const trackName = policy.groups[group]?.track as string;
      const onProbation = levels.tracks[trackName]?.probation?.level === end.level;
      const junior = onProbation ? undefined : juniorSinceOf(person, policy, levels, endIndex);
      if (junior !== undefined) entry.juniorSince = junior as IsoDate;
      const exam = exams.get(person.id);
      if (exam) entry.knowledgeTest = new Decimal(exam.score);
      const review = reviews.get(person.id);
      const mean = (values: Decimal[] | undefined) =>
        values && values.length > 0 ? values.reduce((a, b) => a.plus(b), ZERO).dividedBy(values.length) : undefined;
      const [self, manager, peers] = [mean(review?.self), mean(review?.manager), mean(review?.peer)];
      if (self && manager && peers) entry.review360 = { self, manager, peers } satisfies Review360Ratings;

      const needed = neededFigures(levels, policy, group, end.level);
      for (const figures of monthFigures) {
        if (!figures.wholeMonth) continue;
        if (needed.has('csat') && figures.csat === null)
          notes.push({
            zh: `${figures.month} 无满意度数据(无销售数据、无评价、无平台满意率)`,
            en: `${figures.month}: no CSAT figure (no sales figures, no ratings, no platform rate)`,
          });
        if (needed.has('handleTime') && figures.handleTime === null)
          notes.push({ zh: `${figures.month} 无处理时长数据`, en: `${figures.month}: no handle times` });
      }
      if (needed.has('knowledgeTest') && !exam)
        notes.push({ zh: `${quarter} 无知识考试成绩`, en: `no knowledge test result taken in ${quarter}` });
      if (needed.has('review360') && !entry.review360) {
        const missing = (['self', 'manager', 'peer'] as const).filter((role) => (review?.[role].length ?? 0) === 0);
        notes.push({
          zh: `${quarter} 360 评价不完整,缺少:${missing.join('、')}`,
          en: `the ${quarter} 360 review is incomplete: no ${missing.join(', ')} rating`,
        });
      }
      for (const indicator of ['complaintResolutionRate', 'internalComplaints'] as const) {
        if (needed.has(indicator))
          notes.push({
            zh: `数据库尚无 ${indicator} 的数据来源:该指标视为未提供`,
            en: `the store has no source for ${indicator} yet: the indicator is not given`,
          });
      }
      evaluatedEntries.push({
        person,
        entry,
        figures: {
          hiredOn: person.hiredOn,
          levelSince: entry.levelSince,
          juniorSince: entry.juniorSince ?? null,
          knowledgeTest: exam ?? null,
          review360: review
            ? {
                self: self ? formatDecimal(self) : null,
                manager: manager ? formatDecimal(manager) : null,
                peers: peers ? formatDecimal(peers) : null,
                ratings: review.self.length + review.manager.length + review.peer.length,
              }
            : null,
          trainingCourses: entry.trainingCourses ?? [],
          certificates: entry.certificates ?? [],
          months: monthFigures,
          notes,
        },
      });
    }

    // Months worked whole in a group other than the one evaluated in (or by someone not evaluated) still feed that group's average.
    const byGroup = new Map<string, LevelMonth[]>();
    for (const { month, standing } of standings) {
      if (!('group' in standing) || standing.group === evaluatedGroup) continue;
      const group = policy.groups[standing.group];
      if (!group || !levels.tracks[group.track]) continue;
      byGroup.set(standing.group, [...(byGroup.get(standing.group) ?? []), monthRecord(person.id, month).record]);
    }
    for (const [group, records] of byGroup) {
      const trackName = policy.groups[group]?.track as string;
      const firstLevel = policy.tracks[trackName]?.levels[0]?.code;
      if (firstLevel === undefined) continue;
      peerEntries.push({
        id: person.employeeNo,
        group,
        level: firstLevel,
        hiredOn: person.hiredOn as IsoDate,
        levelSince: person.hiredOn as IsoDate,
        months: records,
      });
    }
  }

  return {
    quarter,
    input: { quarter, employees: [...evaluatedEntries.map((e) => e.entry), ...peerEntries] },
    evaluated: evaluatedEntries.map((e, index) => ({
      index,
      employeeId: e.person.id,
      employeeNo: e.person.employeeNo,
      name: e.person.name,
      figures: e.figures,
    })),
    notEvaluated,
  };
}
