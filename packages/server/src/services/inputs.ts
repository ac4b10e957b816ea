import type { Decimal } from '@ladder/core';
import { audit } from './audit.js';
import { AppError, type Db, type ServiceContext } from './context.js';
import { knownEmployeeIds } from './employees.js';

/** Monthly pay inputs, one row per employee and month; a changed row is audited with before and after. */

export interface AttendanceRecord {
  employeeNo: string;
  month: string;
  unpaidDays: Decimal;
  lateCount: number;
  overtimeWorkday: Decimal;
  overtimeRestDay: Decimal;
  overtimeHoliday: Decimal;
  leaveDays: Record<string, Decimal>;
}

export interface LeadPointsRecord {
  employeeNo: string;
  month: string;
  execution: Decimal;
  rewards: Decimal;
  excellentCases: number;
  extra: Decimal;
  note?: string | null;
}

export interface SalesRecord {
  employeeNo: string;
  month: string;
  amount: Decimal;
  target: Decimal;
  csat: Decimal;
  complaintRate: Decimal;
  teamwork: Decimal;
}

export interface SalesTargetRecord {
  employeeNo: string;
  period: string;
  target: Decimal;
}

export interface DeductionRecord {
  employeeNo: string;
  day: string;
  points: Decimal;
  category: string;
  reason: string;
  enteredBy: string;
}

export interface UpsertCounts {
  inserted: number;
  changed: number;
  unchanged: number;
}

type MonthTable = 'attendance_months' | 'lead_points' | 'sales_months' | 'sales_targets';

/** Upserts rows keyed by (employee, period column); only real changes are written and audited. */
async function upsertKeyed(
  db: Db,
  ctx: ServiceContext,
  table: MonthTable,
  periodColumn: 'month' | 'period',
  rows: { employeeNo: string; period: string; values: Record<string, string | number | null> }[],
  importId: number | null,
): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, changed: 0, unchanged: 0 };
  const ids = await knownEmployeeIds(
    db,
    rows.map((r) => r.employeeNo),
  );
  for (const row of rows) {
    const employeeId = ids.get(row.employeeNo) as number;
    // The dynamic table name defeats Kysely's row typing; the columns are this module's own.
    const existing = (await db
      .selectFrom(table)
      .selectAll()
      .where('employee_id', '=', employeeId)
      .where(periodColumn as 'month', '=', row.period)
      .executeTakeFirst()) as Record<string, unknown> | undefined;
    const stamp = { updated_at: ctx.now(), updated_by: ctx.actor, import_id: importId };
    if (!existing) {
      await db
        .insertInto(table)
        .values({ employee_id: employeeId, [periodColumn]: row.period, ...row.values, ...stamp } as never)
        .execute();
      counts.inserted += 1;
      continue;
    }
    const before = Object.fromEntries(Object.keys(row.values).map((key) => [key, existing[key] ?? null]));
    const changedKeys = Object.keys(row.values).filter((key) => String(before[key]) !== String(row.values[key]));
    if (changedKeys.length === 0) {
      counts.unchanged += 1;
      continue;
    }
    await db
      .updateTable(table)
      .set({ ...row.values, ...stamp } as never)
      .where('employee_id', '=', employeeId)
      .where(periodColumn as 'month', '=', row.period)
      .execute();
    counts.changed += 1;
    await audit(db, ctx, {
      action: 'input.changed',
      entity: table,
      key: `${row.employeeNo}/${row.period}`,
      reason: importId === null ? 'entered by hand' : `import #${importId}`,
      details: {
        before: Object.fromEntries(changedKeys.map((k) => [k, before[k]])),
        after: Object.fromEntries(changedKeys.map((k) => [k, row.values[k]])),
      },
    });
  }
  return counts;
}

const text = (value: Decimal) => value.toFixed();

export function upsertAttendance(
  db: Db,
  ctx: ServiceContext,
  records: readonly AttendanceRecord[],
  importId: number | null = null,
): Promise<UpsertCounts> {
  return upsertKeyed(
    db,
    ctx,
    'attendance_months',
    'month',
    records.map((r) => ({
      employeeNo: r.employeeNo,
      period: r.month,
      values: {
        unpaid_days: text(r.unpaidDays),
        late_count: r.lateCount,
        overtime_workday: text(r.overtimeWorkday),
        overtime_rest_day: text(r.overtimeRestDay),
        overtime_holiday: text(r.overtimeHoliday),
        leave_days: JSON.stringify(
          Object.fromEntries(
            Object.entries(r.leaveDays)
              .filter(([, days]) => !days.isZero())
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([type, days]) => [type, text(days)]),
          ),
        ),
      },
    })),
    importId,
  );
}

export function upsertLeadPoints(
  db: Db,
  ctx: ServiceContext,
  records: readonly LeadPointsRecord[],
  importId: number | null = null,
): Promise<UpsertCounts> {
  return upsertKeyed(
    db,
    ctx,
    'lead_points',
    'month',
    records.map((r) => ({
      employeeNo: r.employeeNo,
      period: r.month,
      values: {
        execution: text(r.execution),
        rewards: text(r.rewards),
        excellent_cases: r.excellentCases,
        extra: text(r.extra),
        note: r.note ?? null,
      },
    })),
    importId,
  );
}

export function upsertSales(
  db: Db,
  ctx: ServiceContext,
  records: readonly SalesRecord[],
  importId: number | null = null,
): Promise<UpsertCounts> {
  return upsertKeyed(
    db,
    ctx,
    'sales_months',
    'month',
    records.map((r) => ({
      employeeNo: r.employeeNo,
      period: r.month,
      values: {
        amount: text(r.amount),
        target: text(r.target),
        csat: text(r.csat),
        complaint_rate: text(r.complaintRate),
        teamwork: text(r.teamwork),
      },
    })),
    importId,
  );
}

export function upsertSalesTargets(
  db: Db,
  ctx: ServiceContext,
  records: readonly SalesTargetRecord[],
  importId: number | null = null,
): Promise<UpsertCounts> {
  return upsertKeyed(
    db,
    ctx,
    'sales_targets',
    'period',
    records.map((r) => ({ employeeNo: r.employeeNo, period: r.period, values: { target: text(r.target) } })),
    importId,
  );
}

/** Efficiency and discipline deductions (R-QA-4); the same deduction entered twice is kept once. */
export async function addDeductions(
  db: Db,
  ctx: ServiceContext,
  records: readonly DeductionRecord[],
  importId: number | null = null,
  origin = 'lead',
): Promise<UpsertCounts> {
  const ids = await knownEmployeeIds(
    db,
    records.map((r) => r.employeeNo),
  );
  const counts: UpsertCounts = { inserted: 0, changed: 0, unchanged: 0 };
  for (const r of records) {
    const result = await db
      .insertInto('deductions')
      .values({
        employee_id: ids.get(r.employeeNo) as number,
        day: r.day,
        points: text(r.points),
        category: r.category,
        reason: r.reason,
        entered_by: r.enteredBy,
        origin,
        import_id: importId,
        created_at: ctx.now(),
        revoked_at: null,
        revoked_by: null,
        revoke_reason: null,
      })
      .onConflict((oc) => oc.columns(['employee_id', 'day', 'category', 'reason', 'points', 'entered_by', 'origin']).doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) counts.inserted += 1;
    else counts.unchanged += 1;
  }
  return counts;
}

/** Withdraws a deduction (e.g. a dispute overturned it): kept, marked revoked, audited. */
export async function revokeDeduction(db: Db, ctx: ServiceContext, id: number, reason: string): Promise<void> {
  const row = await db.selectFrom('deductions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `no deduction #${id}`);
  if (row.revoked_at) throw new AppError('already_revoked', `deduction #${id} was already revoked on ${row.revoked_at}`);
  await db
    .updateTable('deductions')
    .set({ revoked_at: ctx.now(), revoked_by: ctx.actor, revoke_reason: reason })
    .where('id', '=', id)
    .execute();
  await audit(db, ctx, {
    action: 'deduction.revoked',
    entity: 'deductions',
    key: String(id),
    reason,
    details: { day: row.day, points: row.points },
  });
}
