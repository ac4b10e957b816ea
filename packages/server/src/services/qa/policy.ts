import { addMonths, type IsoDate, type Month, parsePolicy, type Policy, type QaRules } from '@ladder/core';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { policyForMonth } from '../policies.js';
import { computeRun, type RunSummary } from '../payroll/runs.js';

/** The day of month M+1 on which month M's pay is summarised (R-CYC: the 21st–22nd): open disputes go to the director from then. */
export const CUTOFF_DAY = 21;

export function cutoffOf(month: Month): IsoDate {
  return `${addMonths(month, 1)}-${String(CUTOFF_DAY).padStart(2, '0')}` as IsoDate;
}

/** The policy in force for the day's month (R-RUN-5) and its `qa` section. */
export async function qaPolicy(db: Db, ctx: ServiceContext, month: Month): Promise<{ policy: Policy; qa: QaRules }> {
  const { policy } = await policyForMonth(db, ctx, month);
  if (!policy.qa) throw new AppError('qa_not_configured', `policy ${policy.policy} ${policy.version} has no qa section (R-QA)`);
  return { policy, qa: policy.qa };
}

const parsed = new Map<number, Policy>();

/** The policy a stored payroll run was computed with, or undefined when the month has no run. */
export async function runPolicy(
  db: Db,
  month: string,
): Promise<{ runId: number; status: string; createdAt: string; policy: Policy } | undefined> {
  const run = await db
    .selectFrom('payroll_runs as r')
    .innerJoin('policy_versions as p', 'p.id', 'r.policy_version_id')
    .select(['r.id', 'r.status', 'r.created_at', 'p.id as policy_id', 'p.source_text'])
    .where('r.month', '=', month)
    .executeTakeFirst();
  if (!run) return undefined;
  let policy = parsed.get(run.policy_id);
  if (!policy) {
    policy = parsePolicy(run.source_text).policy;
    parsed.set(run.policy_id, policy);
  }
  return { runId: run.id, status: run.status, createdAt: run.created_at, policy };
}

/**
 * Recomputes the month's payroll draft after its deductions changed, when there is one that is
 * not approved or locked (R-RUN-1: drafts can be recomputed at will). An approved or locked month
 * is left alone: the change reaches pay as a retro line of the next open run (R-RUN-2).
 */
export async function recomputeDraft(ctx: ServiceContext, month: Month, reason: string): Promise<RunSummary | null> {
  const run = await ctx.store.db.selectFrom('payroll_runs').select('status').where('month', '=', month).executeTakeFirst();
  if (!run || run.status === 'approved' || run.status === 'locked') return null;
  return computeRun(ctx, month, reason);
}
