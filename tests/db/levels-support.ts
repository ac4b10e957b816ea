/** Helpers of the level-review store tests (tests/db/levels*.test.ts). */
import { Decimal, type Month } from '@ladder/core';
import type { Store } from '../../packages/server/src/db/connect.js';
import type { EmployeeStatus, Position } from '../../packages/server/src/db/schema.js';
import { AppError, type ServiceContext } from '../../packages/server/src/services/context.js';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { addDeductions } from '../../packages/server/src/services/inputs.js';
import { levelDb } from '../../packages/server/src/services/levels/index.js';

export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function idOf(store: Store, employeeNo: string): Promise<number> {
  const row = await store.db.selectFrom('employees').select('id').where('employee_no', '=', employeeNo).executeTakeFirstOrThrow();
  return row.id;
}

export interface State {
  from: string;
  level?: string;
  group?: string;
  position?: Position;
  status?: EmployeeStatus;
  team?: string;
  basePay?: number;
}

/** An employee hired at a level, then each later state (fields not given carry over). */
export async function employee(
  ctx: ServiceContext,
  person: { no: string; name?: string; group: string; level: string; hiredOn: string; position?: Position; basePay?: number },
  states: State[] = [],
): Promise<void> {
  let current = {
    employeeNo: person.no,
    name: person.name ?? person.no,
    group: person.group,
    level: person.level,
    hiredOn: person.hiredOn,
    position: person.position ?? ('agent' as Position),
    team: `${person.group}-1`,
    status: 'active' as EmployeeStatus,
    basePay: person.basePay === undefined ? null : new Decimal(person.basePay),
    effectiveFrom: person.hiredOn,
  };
  await upsertEmployees(ctx.store.db, ctx, [current], 'hired');
  for (const state of states) {
    current = {
      ...current,
      ...(state.level ? { level: state.level } : {}),
      ...(state.group ? { group: state.group } : {}),
      ...(state.position ? { position: state.position } : {}),
      ...(state.status ? { status: state.status } : {}),
      ...(state.team ? { team: state.team } : {}),
      ...(state.basePay !== undefined ? { basePay: new Decimal(state.basePay) } : {}),
      effectiveFrom: state.from,
    };
    await upsertEmployees(ctx.store.db, ctx, [current], 'state changed');
  }
}

/** One day of an agent's help-desk statistics, with the platform's satisfaction rate when given. */
export async function dayStats(store: Store, employeeNo: string, day: string, conversations: number, rate?: string): Promise<void> {
  await levelDb(store.db)
    .insertInto('agent_day_stats')
    .values({
      employee_id: await idOf(store, employeeNo),
      day,
      source: 'test',
      conversations,
      valid_conversations: conversations,
      first_response_sum_s: 0,
      first_response_count: 0,
      rating_sum: 0,
      rating_count: 0,
      satisfaction_rate: rate ?? null,
    })
    .execute();
}

/** A month's conversations on two days (the 5th and the 20th). */
export async function monthConversations(store: Store, employeeNo: string, month: string, total: number): Promise<void> {
  const first = Math.floor(total / 2);
  await dayStats(store, employeeNo, `${month}-05`, first);
  await dayStats(store, employeeNo, `${month}-20`, total - first);
}

/** A month's deduction points, in two halves on two days (exact decimals). */
export async function monthDeductions(ctx: ServiceContext, employeeNo: string, month: string, points: string | number): Promise<void> {
  const total = new Decimal(points);
  if (total.isZero()) return;
  const half = total.dividedBy(2);
  await addDeductions(ctx.store.db, ctx, [
    { employeeNo, day: `${month}-03`, points: half, category: 'efficiency', reason: '效率', enteredBy: 'lead.zhao' },
    { employeeNo, day: `${month}-17`, points: total.minus(half), category: 'discipline', reason: '纪律', enteredBy: 'lead.zhao' },
  ]);
}

/** `total` CSAT ratings in a month, `satisfied` of them 4 or 5, the rest 3 or 1. */
export async function monthRatings(store: Store, employeeNo: string, month: string, satisfied: number, total: number): Promise<void> {
  const employeeId = await idOf(store, employeeNo);
  const rows = Array.from({ length: total }, (_, i) => ({
    source: 'test',
    external_id: `${employeeNo}-${month}-${i}`,
    employee_id: employeeId,
    day: `${month}-${String((i % 28) + 1).padStart(2, '0')}`,
    rating: i < satisfied ? (i % 2 === 0 ? 5 : 4) : i % 2 === 0 ? 3 : 1,
    comment: null,
    import_id: null,
  }));
  for (let i = 0; i < rows.length; i += 100)
    await store.db
      .insertInto('csat_ratings')
      .values(rows.slice(i, i + 100))
      .execute();
}

/** A sales month with the CSAT HR entered (amount on target). */
export async function salesMonth(ctx: ServiceContext, employeeNo: string, month: Month | string, csat: string): Promise<void> {
  await ctx.store.db
    .insertInto('sales_months')
    .values({
      employee_id: await idOf(ctx.store, employeeNo),
      month,
      amount: '100000',
      target: '100000',
      csat,
      complaint_rate: '0.01',
      teamwork: '90',
      import_id: null,
      updated_at: ctx.now(),
      updated_by: 'test',
    })
    .execute();
}

export async function historyOf(store: Store, employeeNo: string) {
  return store.db
    .selectFrom('employee_history as h')
    .innerJoin('employees as e', 'e.id', 'h.employee_id')
    .select(['h.effective_from', 'h.level', 'h.group_code', 'h.team_id', 'h.base_pay_fen', 'h.junior_since', 'h.reason', 'h.recorded_by'])
    .where('e.employee_no', '=', employeeNo)
    .orderBy('h.effective_from')
    .execute();
}
