/**
 * The director's sign-off of below-qualified months (R-PAY-7, R-DSP-3) and what keeps a month's
 * payroll from being approved on the QA side: open disputes, open sign-offs, below-qualified
 * payslips nobody asked the director about, and critical-item forfeitures not yet acknowledged.
 *
 * Where the spec is silent:
 * - The grade is the one on the run's payslips (`performance.grade`, R-PAY-7); sales payslips
 *   have none and need no sign-off.
 * - Requests are created for every below-qualified payslip of the draft whenever QA recomputes
 *   it, or by HR (`requestSignOffs`); a request whose month became qualified again stays until HR
 *   withdraws it with a reason (core's sign-off machine), and it blocks approval meanwhile.
 * - A critical hit that forfeits the month (R-QA-2) is not applied by the pay engine, which has no
 *   input for it: it blocks approval until the director acknowledges it, with a note saying how
 *   the payslip was corrected (e.g. HR's extra points), or a dispute overturns the item.
 */
import {
  type Bilingual,
  type DisputeState,
  type Month,
  needsSignOff,
  newSignOff,
  parseMonth,
  payrollBlockers,
  type SignOffCase,
  type SignOffEventType,
  signOffMachine,
  type SignOffState,
  transition,
} from '@ladder/core';
import { audit } from '../audit.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { type RunSummary } from '../payroll/runs.js';
import { chinaDay, loadSteps, qaDb, refusalError, saveStep } from './db.js';
import { recomputeDraft, runPolicy } from './policy.js';
import { actingAs } from './users.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

export function requireMonth(value: string | undefined): Month {
  const month = value === undefined ? undefined : parseMonth(value);
  if (!month) throw new AppError('invalid_input', `expected a month YYYY-MM, got ${JSON.stringify(value ?? null)}`);
  return month;
}

interface BelowQualified {
  employeeId: number;
  employeeNo: string;
  grade: string;
}

/** The run's payslips whose grade is below qualified (R-PAY-7). */
export async function belowQualifiedPayslips(db: Db, month: string): Promise<BelowQualified[]> {
  const run = await runPolicy(db, month);
  if (!run) return [];
  const slips = await db
    .selectFrom('payslips as p')
    .innerJoin('employees as e', 'e.id', 'p.employee_id')
    .select(['p.employee_id', 'e.employee_no', 'p.performance'])
    .where('p.run_id', '=', run.runId)
    .orderBy('e.employee_no')
    .execute();
  const result: BelowQualified[] = [];
  for (const slip of slips) {
    const grade = (JSON.parse(slip.performance) as { grade?: unknown }).grade;
    if (typeof grade !== 'string' || !(grade in run.policy.grades)) continue;
    if (needsSignOff(run.policy.grades, grade)) result.push({ employeeId: slip.employee_id, employeeNo: slip.employee_no, grade });
  }
  return result;
}

export interface SignOffView {
  id: number;
  employeeNo: string;
  month: string;
  grade: string;
  status: SignOffState;
  history: { event: string; by: string; as: string; on: string; opinion?: string }[];
}

/** Creates the missing sign-off requests of the month's below-qualified payslips (inside the caller's transaction). */
async function syncSignOffs(db: Db, ctx: ServiceContext, month: Month): Promise<{ created: string[]; stale: string[] }> {
  const q = qaDb(db);
  const below = await belowQualifiedPayslips(db, month);
  const open = await q
    .selectFrom('qa_sign_offs as s')
    .innerJoin('employees as e', 'e.id', 's.employee_id')
    .select(['s.employee_id', 'e.employee_no', 's.status'])
    .where('s.month', '=', month)
    .where('s.status', 'in', ['pending', 'returned', 'signed'])
    .execute();
  const created: string[] = [];
  for (const b of below) {
    if (open.some((o) => o.employee_id === b.employeeId)) continue;
    const c = newSignOff({ agentId: b.employeeNo, month, grade: b.grade });
    await q
      .insertInto('qa_sign_offs')
      .values({
        employee_id: b.employeeId,
        month,
        grade: b.grade,
        status: c.status,
        created_at: ctx.now(),
        created_by: ctx.actor,
        updated_at: ctx.now(),
      })
      .execute();
    await audit(db, ctx, {
      action: 'qa.sign_off_requested',
      entity: 'qa_sign_offs',
      key: `${b.employeeNo}/${month}`,
      reason: 'R-PAY-7: below qualified',
      details: { grade: b.grade },
    });
    created.push(b.employeeNo);
  }
  const stale = open.filter((o) => o.status !== 'signed' && !below.some((b) => b.employeeId === o.employee_id)).map((o) => o.employee_no);
  return { created, stale };
}

/** HR asks the director to sign off every below-qualified payslip of the month's run. */
export async function requestSignOffs(ctx: ServiceContext, monthText: string): Promise<{ created: string[]; stale: string[] }> {
  const month = requireMonth(monthText);
  return writeTransaction(ctx.store.db).execute(async (trx) => {
    await actingAs(trx, ctx, ['hr', 'director']);
    const run = await runPolicy(trx, month);
    if (!run) throw new AppError('run_missing', `there is no ${month} payroll run; compute it first (ladder payroll run ${month})`);
    if (run.status === 'approved' || run.status === 'locked') throw new AppError('run_closed', `the ${month} payroll run is ${run.status}`);
    return syncSignOffs(trx, ctx, month);
  });
}

/** Recomputes the month's draft (when there is one, not approved or locked) and requests the sign-offs it now needs. */
export async function recomputeAndSync(ctx: ServiceContext, month: Month, reason: string): Promise<RunSummary | null> {
  const summary = await recomputeDraft(ctx, month, reason);
  if (summary) await writeTransaction(ctx.store.db).execute((trx) => syncSignOffs(trx, ctx, month));
  return summary;
}

async function signOffCase(db: Db, id: number): Promise<{ c: SignOffCase; month: string }> {
  const row = await qaDb(db)
    .selectFrom('qa_sign_offs as s')
    .innerJoin('employees as e', 'e.id', 's.employee_id')
    .select(['s.id', 's.month', 's.grade', 's.status', 'e.employee_no'])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `no sign-off #${id}`);
  const history = await loadSteps(db, 'sign_off', id);
  return {
    c: {
      agentId: row.employee_no,
      month: row.month as Month,
      grade: row.grade,
      status: row.status,
      history: history as SignOffCase['history'],
    },
    month: row.month,
  };
}

/** One step of a sign-off: the director signs or returns it, HR resubmits or withdraws it. */
export async function stepSignOff(ctx: ServiceContext, id: number, type: SignOffEventType, opinion?: string): Promise<SignOffView> {
  await writeTransaction(ctx.store.db).execute(async (trx) => {
    const actor = await actingAs(trx, ctx);
    const { c } = await signOffCase(trx, id);
    const event = { type, on: chinaDay(ctx.now()), at: ctx.now(), ...(opinion !== undefined ? { opinion } : {}) };
    const result = transition(signOffMachine, c, event, actor);
    if (!result.ok) throw refusalError(result);
    await qaDb(trx).updateTable('qa_sign_offs').set({ status: result.state.status, updated_at: ctx.now() }).where('id', '=', id).execute();
    await saveStep(trx, 'sign_off', id, c.history.length + 1, result.step, ctx.now());
    await audit(trx, ctx, {
      action: `qa.sign_off.${type}`,
      entity: 'qa_sign_offs',
      key: `${c.agentId}/${c.month}`,
      reason: opinion ?? null,
      details: { from: c.status, to: result.state.status },
    });
  });
  return signOffView(ctx.store.db, id);
}

export async function signOffView(db: Db, id: number): Promise<SignOffView> {
  const { c } = await signOffCase(db, id);
  return { id, employeeNo: c.agentId, month: c.month, grade: c.grade, status: c.status, history: [...c.history] };
}

export async function listSignOffs(db: Db, month: string): Promise<SignOffView[]> {
  const rows = await qaDb(db).selectFrom('qa_sign_offs').select('id').where('month', '=', month).orderBy('id').execute();
  return Promise.all(rows.map((r) => signOffView(db, r.id)));
}

/** The director acknowledges a critical-item forfeiture (R-QA-2) with a note on how the payslip was corrected. */
export async function acknowledgeForfeiture(ctx: ServiceContext, id: number, note: string): Promise<void> {
  if (note.trim() === '') throw new AppError('opinion_required', 'an acknowledgement needs a note (how the forfeiture was applied)');
  await writeTransaction(ctx.store.db).execute(async (trx) => {
    const actor = await actingAs(trx, ctx, ['director']);
    const q = qaDb(trx);
    const row = await q
      .selectFrom('qa_forfeitures as f')
      .innerJoin('employees as e', 'e.id', 'f.employee_id')
      .select(['f.id', 'f.status', 'f.month', 'f.item', 'e.employee_no'])
      .where('f.id', '=', id)
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', `no forfeiture #${id}`);
    if (row.employee_no === actor.id) throw new AppError('own_case', 'nobody decides their own case');
    if (row.status !== 'open') throw new AppError('case_closed', `forfeiture #${id} is ${row.status}`);
    await q
      .updateTable('qa_forfeitures')
      .set({ status: 'acknowledged', decided_at: ctx.now(), decided_by: actor.id, note: note.trim() })
      .where('id', '=', id)
      .execute();
    await audit(trx, ctx, {
      action: 'qa.forfeiture_acknowledged',
      entity: 'qa_forfeitures',
      key: `${row.employee_no}/${row.month}`,
      reason: note.trim(),
      details: { item: row.item },
    });
  });
}

export interface QaBlocker {
  kind: 'dispute' | 'sign_off' | 'sign_off_missing' | 'forfeiture';
  employeeNo: string;
  explain: Bilingual;
}

/** R-DSP-3 (and R-QA-2's forfeiture): everything on the QA side that stops the month's payroll from being approved. */
export async function qaBlockers(db: Db, month: string): Promise<QaBlocker[]> {
  const q = qaDb(db);
  const signOffs = await q
    .selectFrom('qa_sign_offs as s')
    .innerJoin('employees as e', 'e.id', 's.employee_id')
    .select(['e.employee_no', 's.month', 's.status'])
    .where('s.month', '=', month)
    .execute();
  const disputes = await q
    .selectFrom('qa_disputes as d')
    .innerJoin('employees as e', 'e.id', 'd.employee_id')
    .select(['d.id', 'e.employee_no', 'd.month', 'd.status'])
    .where('d.month', '=', month)
    .execute();
  const blockers: QaBlocker[] = payrollBlockers(
    month,
    signOffs.map((s) => ({ agentId: s.employee_no, month: s.month as Month, status: s.status })),
    disputes.map((d) => ({ agentId: d.employee_no, month: d.month as Month, status: d.status as DisputeState, disputeId: String(d.id) })),
  ).map((b) => ({ kind: b.kind, employeeNo: b.agentId, explain: b.explain }));
  const asked = new Set(signOffs.filter((s) => s.status !== 'withdrawn').map((s) => s.employee_no));
  for (const b of await belowQualifiedPayslips(db, month)) {
    if (asked.has(b.employeeNo)) continue;
    blockers.push({
      kind: 'sign_off_missing',
      employeeNo: b.employeeNo,
      explain: {
        zh: `${b.employeeNo} 的 ${month} 等级 ${b.grade} 低于合格,须总监签字(ladder qa signoff request ${month})`,
        en: `${b.employeeNo}'s ${month} grade ${b.grade} is below qualified and needs the director's sign-off (ladder qa signoff request ${month})`,
      },
    });
  }
  const forfeits = await q
    .selectFrom('qa_forfeitures as f')
    .innerJoin('employees as e', 'e.id', 'f.employee_id')
    .select(['f.id', 'e.employee_no', 'f.item', 'f.inspection_id'])
    .where('f.month', '=', month)
    .where('f.status', '=', 'open')
    .execute();
  for (const f of forfeits) {
    blockers.push({
      kind: 'forfeiture',
      employeeNo: f.employee_no,
      explain: {
        zh: `${f.employee_no} 质检 #${f.inspection_id} 致命项 ${f.item} 成立,按政策取消 ${month} 全部绩效工资(草稿已据此计算),须总监确认(ladder qa forfeit ack ${f.id})`,
        en: `${f.employee_no}: critical item ${f.item} of inspection #${f.inspection_id} stands and forfeits the ${month} performance pay (the draft is computed so); the director acknowledges it (ladder qa forfeit ack ${f.id})`,
      },
    });
  }
  return blockers;
}

/** The approval check registered with the payroll runs (addApprovalCheck): one line per blocker. */
export async function qaApprovalCheck(db: Db, month: Month): Promise<string[]> {
  return (await qaBlockers(db, month)).map((b) => `${b.employeeNo}: ${b.explain.en}`);
}
