import {
  calculatePayslip,
  type EmployeeMonth,
  type Fen,
  fen,
  formatYuan,
  lastDayOf,
  type Month,
  type PayLine,
  type Policy,
} from '@ladder/core';
import type { Compilable } from 'kysely';
import type { Db, ServiceContext } from '../context.js';
import type { Store } from '../../db/connect.js';
import { storedPolicies } from '../policies.js';
import { inputSnapshot } from './compute.js';
import { gatherMonthInputs } from './inputs.js';

type SinceLockCheck = Compilable & { execute(): Promise<unknown[]> };

/** The questions `changedSinceLock` asks, one per kind of input; any row answered means a change. */
export function sinceLockChecks(db: Db, month: Month, lockedAt: string): SinceLockCheck[] {
  const first = `${month}-01`;
  const last = lastDayOf(month);
  const checks: SinceLockCheck[] = [
    db.selectFrom('attendance_months').select('employee_id').where('month', '=', month).where('updated_at', '>', lockedAt).limit(1),
    db.selectFrom('lead_points').select('employee_id').where('month', '=', month).where('updated_at', '>', lockedAt).limit(1),
    db
      .selectFrom('sales_months')
      .select('employee_id')
      .where('month', '>=', `${month.slice(0, 4)}-01`)
      .where('month', '<=', month)
      .where('updated_at', '>', lockedAt)
      .limit(1),
    db.selectFrom('sales_targets').select('employee_id').where('updated_at', '>', lockedAt).limit(1),
    db
      .selectFrom('deductions')
      .select('employee_id')
      .where('day', '>=', first)
      .where('day', '<=', last)
      .where((eb) => eb.or([eb('created_at', '>', lockedAt), eb('revoked_at', '>', lockedAt)]))
      .limit(1),
    db
      .selectFrom('employee_history')
      .select('employee_id')
      .where('recorded_at', '>', lockedAt)
      .where('effective_from', '<=', last)
      .limit(1),
  ];
  for (const table of ['tickets', 'conversation_blocks'] as const) {
    checks.push(
      db
        .selectFrom(table)
        .select('import_id')
        .where('day', '>=', first)
        .where('day', '<=', last)
        .where('import_id', 'in', (eb) => eb.selectFrom('import_files').select('id').where('imported_at', '>', lockedAt))
        .limit(1),
    );
  }
  return checks;
}

/** Did anything a locked month's pay depends on change after it was locked? A cheap test before any recomputation. */
async function changedSinceLock(db: Db, month: Month, lockedAt: string): Promise<boolean> {
  for (const query of sinceLockChecks(db, month, lockedAt)) if ((await query.execute()).length > 0) return true;
  return false;
}

function changedFields(before: string, after: string): { field: string; before: unknown; after: unknown }[] {
  const flatten = (value: unknown, prefix: string, into: Map<string, string>) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
    } else into.set(prefix, JSON.stringify(value));
  };
  const left = new Map<string, string>();
  const right = new Map<string, string>();
  flatten(JSON.parse(before), '', left);
  flatten(JSON.parse(after), '', right);
  const fields = new Set([...left.keys(), ...right.keys()]);
  return [...fields]
    .filter((f) => left.get(f) !== right.get(f))
    .map((f) => ({ field: f, before: JSON.parse(left.get(f) ?? 'null'), after: JSON.parse(right.get(f) ?? 'null') }));
}

/**
 * The retro lines of one code already paid in locked runs. Only retro lines have a cause, and the
 * condition lets both databases answer from the small partial index of those lines
 * (`payslip_lines_retro`) instead of reading every payslip line of every month.
 */
export function retroPaidQuery(db: Db, code: string) {
  return db
    .selectFrom('payslip_lines as l')
    .innerJoin('payroll_runs as r', 'r.id', 'l.run_id')
    .innerJoin('payslips as p', 'p.id', 'l.payslip_id')
    .innerJoin('employees as e', 'e.id', 'p.employee_id')
    .select(['e.employee_no', 'l.amount_fen'])
    .where('l.cause', 'is not', null)
    .where('l.code', '=', code)
    .where('r.status', '=', 'locked');
}

/**
 * What the audit log says changed a person's month after it was locked: entries keyed by the
 * person's month (`E001/2026-10`) or by one of their days (`E001@2026-10-15`). Both are looked up
 * by the key's index: on SQLite the day keys as the range of keys that begin with `E001@` ('A' follows
 * '@'), on PostgreSQL as a prefix `LIKE`, its wildcards in the employee number escaped.
 */
export function changeHistoryQuery(db: Db, dialect: Store['dialect'], employeeNo: string, month: string, lockedAt: string) {
  const prefix = `${employeeNo}@`;
  return db
    .selectFrom('audit_log')
    .select(['at', 'actor', 'action', 'entity', 'reason'])
    .where('at', '>', lockedAt)
    .where((eb) =>
      eb.or([
        eb('entity_key', '=', `${employeeNo}/${month}`),
        dialect === 'sqlite'
          ? eb.and([eb('entity_key', '>=', prefix), eb('entity_key', '<', `${employeeNo}A`)])
          : eb('entity_key', 'like', `${employeeNo.replace(/[\\%_]/g, '\\$&')}@%`),
      ]),
    )
    .orderBy('id');
}

export interface RetroLine extends PayLine {
  cause: string;
}

/**
 * R-RUN-2: for every locked month whose inputs changed after locking, recompute it under its own
 * policy and pay the difference (less what earlier retro lines already paid) as a traced line.
 */
export async function retroAdjustments(db: Db, ctx: ServiceContext, month: Month): Promise<Map<string, RetroLine[]>> {
  const result = new Map<string, RetroLine[]>();
  const lockedRuns = await db
    .selectFrom('payroll_runs')
    .select(['id', 'month', 'locked_at', 'policy_version_id'])
    .where('status', '=', 'locked')
    .where('month', '<', month)
    .orderBy('month')
    .execute();
  if (lockedRuns.length === 0) return result;
  const policies = await storedPolicies(db, ctx);
  for (const run of lockedRuns) {
    if (!run.locked_at || !(await changedSinceLock(db, run.month as Month, run.locked_at))) continue;
    const policy = policies.find((p) => p.id === run.policy_version_id)?.policy as Policy;
    const { employees } = await gatherMonthInputs(db, run.month as Month, policy);
    const locked = new Map(
      (
        await db
          .selectFrom('payslips as p')
          .innerJoin('employees as e', 'e.id', 'p.employee_id')
          .select(['e.employee_no', 'p.gross_fen', 'p.inputs'])
          .where('p.run_id', '=', run.id)
          .execute()
      ).map((row) => [row.employee_no, row]),
    );
    const code = `retro_${run.month}`;
    const alreadyPaid = new Map<string, number>();
    const paidRows = await retroPaidQuery(db, code).execute();
    for (const row of paidRows) alreadyPaid.set(row.employee_no, (alreadyPaid.get(row.employee_no) ?? 0) + row.amount_fen);

    for (const { employee, input } of employees) {
      const before = locked.get(employee.employeeNo);
      const snapshot = inputSnapshot(input);
      if (before && before.inputs === snapshot) continue;
      const recomputed = calculatePayslip(policy, run.month as Month, input as EmployeeMonth);
      const paid = (before?.gross_fen ?? 0) + (alreadyPaid.get(employee.employeeNo) ?? 0);
      const difference = recomputed.gross - paid;
      if (difference === 0) continue;
      const changes = before
        ? changedFields(before.inputs, snapshot)
        : [{ field: 'payslip', before: null, after: 'missing from the locked run' }];
      const history = await changeHistoryQuery(db, ctx.store.dialect, employee.employeeNo, run.month, run.locked_at).execute();
      const changeText = changes.map((c) => `${c.field} ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`).join(', ');
      const amount: Fen = fen(difference);
      const line: RetroLine = {
        code,
        amount,
        rule: 'R-RUN-2',
        formula: `${formatYuan(recomputed.gross)} − ${formatYuan(fen(paid))}`,
        inputs: { month: run.month, recomputedGross: formatYuan(recomputed.gross), alreadyPaid: formatYuan(fen(paid)) },
        explain: {
          zh: `${run.month} 工资追溯调整:该月锁定后输入有变更(${changeText}),按原政策重算应发 ${formatYuan(recomputed.gross)} 元,已发 ${formatYuan(fen(paid))} 元,差额 ${formatYuan(amount)} 元`,
          en: `Retro adjustment for ${run.month}: inputs changed after the month was locked (${changeText}); recomputed under its policy the gross is ${formatYuan(recomputed.gross)}, ${formatYuan(fen(paid))} was paid, difference ${formatYuan(amount)}`,
        },
        cause: JSON.stringify({ lockedRun: run.month, lockedAt: run.locked_at, changes, history }),
      };
      result.set(employee.employeeNo, [...(result.get(employee.employeeNo) ?? []), line]);
    }
  }
  return result;
}
