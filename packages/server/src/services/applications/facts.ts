/**
 * R-APP-1 from stored data: what core's `checkEligibility` needs of an applicant on the day of
 * submission, each figure with where it came from.
 *
 * - hiredOn: the employee record; levelSince / positionSince: the first day of the unbroken run of
 *   employee_history rows holding the current level / position (an agent holds no position).
 * - The performance period is the `performancePeriodMonths` whole months before the month of
 *   submission. CSAT: the share of csat_ratings of 4 or 5 in it; handle time: the mean
 *   conversations.handle_s in it.
 * - Test score: the latest exam_results score taken on or before the day.
 * - Anything the store has no data for (complaint resolution rate and internal complaints always)
 *   comes from the latest figure a manager recorded on or before the day (application_figures);
 *   with neither, the indicator has no figure and core reports it as not met.
 */
import { addMonths, type ApplicantFacts, Decimal, type IsoDate, type Month, monthOf } from '@ladder/core';
import { sql } from 'kysely';
import type { EmployeeHistoryRow } from '../../db/schema.js';
import { AppError, type Db } from '../context.js';
import { handleTimes } from '../conversations/blocks.js';
import { levelDb } from '../levels/index.js';
import { appDb } from './db.js';

export type FactName = keyof ApplicantFacts;

export interface GatheredFacts {
  facts: ApplicantFacts;
  /** Where each figure came from, in words. */
  sources: Partial<Record<FactName, string>>;
  period: { from: Month; to: Month };
  current: EmployeeHistoryRow;
}

function since(rows: readonly EmployeeHistoryRow[], same: (row: EmployeeHistoryRow) => boolean): IsoDate | undefined {
  let first: EmployeeHistoryRow | undefined;
  for (let i = rows.length - 1; i >= 0; i -= 1) {
    const row = rows[i] as EmployeeHistoryRow;
    if (!same(row)) break;
    first = row;
  }
  return first?.effective_from as IsoDate | undefined;
}

export async function gatherFacts(
  db: Db,
  employee: { id: number; employee_no: string; hired_on: string },
  on: IsoDate,
  periodMonths: number,
): Promise<GatheredFacts> {
  const history = await db
    .selectFrom('employee_history')
    .selectAll()
    .where('employee_id', '=', employee.id)
    .where('effective_from', '<=', on)
    .orderBy('effective_from')
    .execute();
  const current = history.at(-1);
  if (!current) throw new AppError('no_state', `${employee.employee_no} has no employee state on ${on}`);
  if (current.status !== 'active') throw new AppError('not_active', `${employee.employee_no} is ${current.status} on ${on}`);

  const facts: ApplicantFacts = { hiredOn: employee.hired_on as IsoDate };
  const sources: GatheredFacts['sources'] = { hiredOn: 'employees.hired_on' };
  const levelSince = since(history, (r) => r.level === current.level && r.group_code === current.group_code);
  if (levelSince) {
    facts.levelSince = levelSince;
    sources.levelSince = `employee_history: ${current.level} since ${levelSince}`;
  }
  if (current.position !== 'agent') {
    const positionSince = since(history, (r) => r.position === current.position);
    if (positionSince) {
      facts.positionSince = positionSince;
      sources.positionSince = `employee_history: ${current.position} since ${positionSince}`;
    }
  }

  const to = addMonths(monthOf(on), -1);
  const from = addMonths(monthOf(on), -periodMonths);
  const firstDay = `${from}-01`;
  const lastDay = `${to}-31`;

  const ratings = await db
    .selectFrom('csat_ratings')
    .select([sql<number>`count(*)`.as('total'), sql<number>`sum(case when rating >= 4 then 1 else 0 end)`.as('satisfied')])
    .where('employee_id', '=', employee.id)
    .where('day', '>=', firstDay)
    .where('day', '<=', lastDay)
    .executeTakeFirst();
  const total = Number(ratings?.total ?? 0);
  if (total > 0) {
    const satisfied = Number(ratings?.satisfied ?? 0);
    facts.csat = new Decimal(satisfied).dividedBy(total);
    sources.csat = `csat_ratings ${from}…${to}: ${satisfied} of ${total} ratings are 4 or 5`;
  }

  let handled = 0;
  let handleSum = 0;
  for (const sums of (await handleTimes(db, firstDay, lastDay, employee.id)).get(employee.id)?.values() ?? []) {
    handled += sums.count;
    handleSum += sums.sum;
  }
  if (handled > 0) {
    facts.handleTime = new Decimal(handleSum).dividedBy(handled).toDecimalPlaces(2);
    sources.handleTime = `conversations ${from}…${to}: mean handle time of ${handled} conversations`;
  }

  const exam = await levelDb(db)
    .selectFrom('exam_results as r')
    .innerJoin('exams as x', 'x.id', 'r.exam_id')
    .select(['r.score', 'r.taken_on', 'x.code'])
    .where('r.employee_id', '=', employee.id)
    .where('r.taken_on', '<=', on)
    .orderBy('r.taken_on', 'desc')
    .orderBy('r.id', 'desc')
    .executeTakeFirst();
  if (exam) {
    facts.testScore = new Decimal(exam.score);
    sources.testScore = `exam_results: ${exam.code} on ${exam.taken_on}`;
  }

  const recorded = await appDb(db)
    .selectFrom('application_figures')
    .selectAll()
    .where('employee_id', '=', employee.id)
    .where('recorded_on', '<=', on)
    .orderBy('recorded_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const fill = <K extends FactName>(name: K, pick: (row: (typeof recorded)[number]) => ApplicantFacts[K] | undefined) => {
    if (facts[name] !== undefined) return;
    for (const row of recorded) {
      const value = pick(row);
      if (value !== undefined) {
        facts[name] = value;
        sources[name] = `recorded by ${row.recorded_by} on ${row.recorded_on}`;
        return;
      }
    }
  };
  const dec = (v: string | null) => (v === null ? undefined : new Decimal(v));
  fill('csat', (r) => dec(r.csat));
  fill('complaintResolutionRate', (r) => dec(r.complaint_resolution_rate));
  fill('handleTime', (r) => dec(r.handle_time_s));
  fill('testScore', (r) => dec(r.test_score));
  fill('internalComplaints', (r) => r.internal_complaints ?? undefined);

  return { facts, sources, period: { from, to }, current };
}
