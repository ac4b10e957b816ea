import { type Decimal, firstDayOf, lastDayOf, type Month, yuanToFen } from '@ladder/core';
import type { EmployeeStatus, Position } from '../db/schema.js';
import { audit } from './audit.js';
import { AppError, type Db, type ServiceContext } from './context.js';
import { rowArrays, type SqliteConnection } from './row-arrays.js';

export interface EmployeeRecord {
  employeeNo: string;
  name: string;
  group: string;
  level: string;
  position?: Position;
  team?: string;
  hiredOn: string;
  probationEnd?: string | null;
  juniorSince?: string | null;
  /** Overrides the level's base pay (yuan). */
  basePay?: Decimal | null;
  /** Defaults to hiredOn. */
  effectiveFrom?: string;
  status?: EmployeeStatus;
  transferTo?: string | null;
}

async function teamId(db: Db, code: string, group: string): Promise<number> {
  const existing = await db.selectFrom('teams').select('id').where('code', '=', code).executeTakeFirst();
  if (existing) return existing.id;
  const row = await db.insertInto('teams').values({ code, name: code, group_code: group }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Creates or updates employees as effective-dated history: a new state is a new row from its
 * effective day; restating a day that already has a row replaces it, audited with before and after.
 */
export async function upsertEmployees(
  db: Db,
  ctx: ServiceContext,
  records: readonly EmployeeRecord[],
  reason: string,
): Promise<{ created: number; changed: number; unchanged: number }> {
  const counts = { created: 0, changed: 0, unchanged: 0 };
  for (const record of records) {
    let employee = await db
      .selectFrom('employees')
      .select(['id', 'name', 'hired_on'])
      .where('employee_no', '=', record.employeeNo)
      .executeTakeFirst();
    if (!employee) {
      employee = await db
        .insertInto('employees')
        .values({ employee_no: record.employeeNo, name: record.name, hired_on: record.hiredOn, created_at: ctx.now() })
        .returning(['id', 'name', 'hired_on'])
        .executeTakeFirstOrThrow();
      counts.created += 1;
      await audit(db, ctx, {
        action: 'employee.created',
        entity: 'employees',
        key: record.employeeNo,
        reason,
        details: { name: record.name, hiredOn: record.hiredOn },
      });
    } else if (employee.name !== record.name || employee.hired_on !== record.hiredOn) {
      await db.updateTable('employees').set({ name: record.name, hired_on: record.hiredOn }).where('id', '=', employee.id).execute();
      await audit(db, ctx, {
        action: 'employee.changed',
        entity: 'employees',
        key: record.employeeNo,
        reason,
        details: { before: { name: employee.name, hiredOn: employee.hired_on }, after: { name: record.name, hiredOn: record.hiredOn } },
      });
    }
    const state = {
      group_code: record.group,
      level: record.level,
      position: record.position ?? 'agent',
      team_id: record.team ? await teamId(db, record.team, record.group) : null,
      base_pay_fen: record.basePay ? yuanToFen(record.basePay) : null,
      probation_end: record.probationEnd ?? null,
      junior_since: record.juniorSince ?? null,
      status: record.status ?? 'active',
      transfer_to: record.transferTo ?? null,
    };
    const effectiveFrom = record.effectiveFrom ?? record.hiredOn;
    const current = await db
      .selectFrom('employee_history')
      .selectAll()
      .where('employee_id', '=', employee.id)
      .where('effective_from', '<=', effectiveFrom)
      .orderBy('effective_from', 'desc')
      .limit(1)
      .executeTakeFirst();
    const same = current && (Object.keys(state) as (keyof typeof state)[]).every((key) => current[key] === state[key]);
    if (same) {
      counts.unchanged += 1;
      continue;
    }
    if (current && current.effective_from === effectiveFrom) {
      await db
        .updateTable('employee_history')
        .set({ ...state, recorded_at: ctx.now(), recorded_by: ctx.actor, reason })
        .where('id', '=', current.id)
        .execute();
    } else {
      await db
        .insertInto('employee_history')
        .values({
          employee_id: employee.id,
          effective_from: effectiveFrom,
          ...state,
          recorded_at: ctx.now(),
          recorded_by: ctx.actor,
          reason,
        })
        .execute();
    }
    if (current) counts.changed += 1;
    await audit(db, ctx, {
      action: 'employee.state',
      entity: 'employee_history',
      key: `${record.employeeNo}@${effectiveFrom}`,
      reason,
      details: { before: current ?? null, after: state },
    });
  }
  return counts;
}

export interface PayrollEmployee {
  id: number;
  employeeNo: string;
  name: string;
  hiredOn: string;
  group: string;
  level: string;
  position: Position;
  teamId: number | null;
  basePayFen: number | null;
  status: EmployeeStatus;
}

/** Employees whose id is in [from, to]: a run reads a large department slice by slice. */
export interface EmployeeRange {
  from: number;
  to: number;
}

/**
 * Who is paid for a month: hired by its last day and not gone before its first day. Their
 * group and level are those in force on the first day of the month (or on the hire day).
 */
export async function employeesOnPayroll(
  db: Db,
  month: Month,
  range?: EmployeeRange,
  sqlite?: SqliteConnection,
): Promise<PayrollEmployee[]> {
  const first = firstDayOf(month);
  const last = lastDayOf(month);
  type HistoryRow = [
    id: number,
    employeeNo: string,
    name: string,
    hiredOn: string,
    effectiveFrom: string,
    group: string,
    level: string,
    position: Position,
    teamId: number | null,
    basePayFen: number | null,
    status: EmployeeStatus,
  ];
  const rows = await rowArrays<HistoryRow>(
    sqlite,
    db
      .selectFrom('employee_history as h')
      .innerJoin('employees as e', 'e.id', 'h.employee_id')
      .select([
        'e.id',
        'e.employee_no',
        'e.name',
        'e.hired_on',
        'h.effective_from',
        'h.group_code',
        'h.level',
        'h.position',
        'h.team_id',
        'h.base_pay_fen',
        'h.status',
      ])
      .where('e.hired_on', '<=', last)
      .where('h.effective_from', '<=', last)
      .where('e.id', '>=', range?.from ?? 0)
      .where('e.id', '<=', range?.to ?? Number.MAX_SAFE_INTEGER)
      .orderBy('e.id')
      .orderBy('h.effective_from'),
  );
  const result: PayrollEmployee[] = [];
  let index = 0;
  while (index < rows.length) {
    const id = rows[index]?.[0];
    let inForce: HistoryRow | undefined;
    for (; index < rows.length && rows[index]?.[0] === id; index += 1) {
      const row = rows[index] as HistoryRow;
      const hiredOn = row[3];
      const payFrom = hiredOn > first ? hiredOn : first;
      // The state on the first paid day; a state recorded only later in the month counts when there is none before.
      if (inForce === undefined || row[4] <= payFrom) inForce = row;
    }
    // Someone who left or transferred before the month began is not paid for it; leaving during it still is.
    if (!inForce || inForce[10] !== 'active') continue;
    const [employeeId, employeeNo, name, hiredOn, , group, level, position, teamId, basePayFen, status] = inForce;
    result.push({ id: employeeId, employeeNo, name, hiredOn, group, level, position, teamId, basePayFen, status });
  }
  return result;
}

/** employee_no → id for the given numbers; unknown numbers are absent. */
export async function employeeIdsByNo(db: Db, numbers: readonly string[]): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  const unique = [...new Set(numbers)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('employees')
      .select(['id', 'employee_no'])
      .where('employee_no', 'in', unique.slice(i, i + 500))
      .execute();
    for (const row of rows) map.set(row.employee_no, row.id);
  }
  return map;
}

/** employee_no → id, refusing the whole call with every unknown number listed. */
export async function knownEmployeeIds(db: Db, numbers: readonly string[]): Promise<Map<string, number>> {
  const ids = await employeeIdsByNo(db, numbers);
  const unknown = [...new Set(numbers.filter((no) => !ids.has(no)))];
  if (unknown.length > 0) {
    throw new AppError(
      'unknown_employee',
      `unknown employee number(s): ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ' …' : ''}`,
      unknown,
    );
  }
  return ids;
}
