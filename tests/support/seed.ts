import { Decimal, type Month } from '@ladder/core';
import type { Store } from '../../packages/server/src/db/connect.js';
import { type Db, type ServiceContext } from '../../packages/server/src/services/context.js';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { addDeductions, upsertAttendance, upsertLeadPoints, upsertSales } from '../../packages/server/src/services/inputs.js';

const d = (value: string | number) => new Decimal(value);

/** A clock the test moves by hand, so "after the lock" is a fact, not a race. */
export function testContext(store: Store, actor = 'hr.li'): ServiceContext & { advance: (ms?: number) => void; at: (iso: string) => void } {
  let time = Date.parse('2026-11-01T02:00:00.000Z');
  return {
    store,
    actor,
    now: () => new Date(time).toISOString(),
    advance: (ms = 60_000) => {
      time += ms;
    },
    at: (iso: string) => {
      time = Date.parse(iso);
    },
  };
}

export function attendance(employeeNo: string, month: string, unpaidDays = 0, overtimeWorkday = 0, lateCount = 0) {
  return {
    employeeNo,
    month,
    unpaidDays: d(unpaidDays),
    lateCount,
    overtimeWorkday: d(overtimeWorkday),
    overtimeRestDay: d(0),
    overtimeHoliday: d(0),
    leaveDays: {},
  };
}

/** Conversations per day as a help-desk import would leave them: one day's total per agent. */
export async function conversationsOn(store: Store, employeeNo: string, day: string, count: number): Promise<void> {
  const employee = await store.db.selectFrom('employees').select('id').where('employee_no', '=', employeeNo).executeTakeFirstOrThrow();
  await store.db
    .insertInto('agent_day_stats')
    .values({
      employee_id: employee.id,
      day,
      source: 'test',
      conversations: count,
      valid_conversations: count,
      first_response_sum_s: 0,
      first_response_count: 0,
      rating_sum: 0,
      rating_count: 0,
    })
    .execute();
}

export async function ticketsOn(store: Store, employeeNo: string, day: string, count: number, wrong: number): Promise<void> {
  const employee = await store.db.selectFrom('employees').select('id').where('employee_no', '=', employeeNo).executeTakeFirstOrThrow();
  const rows = Array.from({ length: count }, (_, i) => ({
    source: 'test',
    external_id: `${employeeNo}-${day}-${i}`,
    employee_id: employee.id,
    day,
    wrong: i < wrong ? 1 : 0,
    import_id: null,
  }));
  await store.db.insertInto('tickets').values(rows).execute();
}

/** The four people of SPEC §14, in October 2026. */
export async function seedSpecExamples(ctx: ServiceContext, month: Month = '2026-10' as Month): Promise<void> {
  const { store } = ctx;
  await upsertEmployees(
    store.db,
    ctx,
    [
      { employeeNo: 'E001', name: '张伟', group: 'basic', level: 'intermediate', team: 'T1', hiredOn: '2024-03-01' },
      { employeeNo: 'E002', name: '李娜', group: 'basic', level: 'junior', team: 'T1', hiredOn: '2025-06-01' },
      { employeeNo: 'V001', name: '王芳', group: 'vip', level: 'vip_senior', team: 'V1', hiredOn: '2023-01-01' },
      { employeeNo: 'S001', name: '刘洋', group: 'sales', level: 'intermediate', team: 'S1', hiredOn: '2024-01-01' },
    ],
    'seed',
  );
  await upsertAttendance(store.db, ctx, [
    attendance('E001', month),
    attendance('E002', month, 2, 4),
    attendance('V001', month),
    attendance('S001', month),
  ]);
  await conversationsOn(store, 'E001', `${month}-08`, 1200);
  await conversationsOn(store, 'E001', `${month}-20`, 800);
  await conversationsOn(store, 'E002', `${month}-09`, 1500);
  await conversationsOn(store, 'V001', `${month}-09`, 1800);
  await ticketsOn(store, 'E001', `${month}-10`, 30, 2);
  await ticketsOn(store, 'E002', `${month}-11`, 10, 0);
  await addDeductions(store.db, ctx, [
    { employeeNo: 'E001', day: `${month}-03`, points: d(10), category: 'efficiency', reason: '超时未回复', enteredBy: 'lead.zhao' },
    { employeeNo: 'E001', day: `${month}-15`, points: d(8), category: 'discipline', reason: '迟交日报', enteredBy: 'lead.zhao' },
    { employeeNo: 'E002', day: `${month}-16`, points: d(25), category: 'efficiency', reason: '效率不达标', enteredBy: 'lead.zhao' },
    { employeeNo: 'V001', day: `${month}-17`, points: d('51'), category: 'efficiency', reason: '多次违规', enteredBy: 'qa.sun' },
  ]);
  await upsertLeadPoints(store.db, ctx, [
    { employeeNo: 'E001', month, execution: d(50), rewards: d(0), excellentCases: 1, extra: d(0) },
    { employeeNo: 'E002', month, execution: d(40), rewards: d(0), excellentCases: 0, extra: d(0) },
  ]);
  await upsertSales(store.db, ctx, [
    { employeeNo: 'S001', month, amount: d(120000), target: d(100000), csat: d('0.95'), complaintRate: d('0.02'), teamwork: d(90) },
  ]);
}

/** A bare draft run of `month` under a placeholder policy version, for tests of storage rules (no payroll computed); its id. */
export async function insertDraftRun(db: Db, month: string, now: string): Promise<number> {
  const policy = await db
    .insertInto('policy_versions')
    .values({
      policy: 'p',
      version: month,
      effective_from: `${month}-01`,
      source_text: '',
      sha256: month,
      created_at: now,
      created_by: 't',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const run = await db
    .insertInto('payroll_runs')
    .values({
      month,
      status: 'draft',
      policy_version_id: policy.id,
      revision: 1,
      employee_count: 0,
      gross_total_fen: 0,
      problems: '[]',
      created_at: now,
      created_by: 't',
      computed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return run.id;
}
