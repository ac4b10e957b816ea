import { type Fen, fen, formatYuan, type Month } from '@ladder/core';
import type { RunStatus } from '../../db/schema.js';
import { audit } from '../audit.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { policyForMonth } from '../policies.js';
import type { RunProblem } from './inputs.js';
import { netPayInUse } from './net.js';
import { retroAdjustments } from './retro.js';
import { type ComputedSlice, computeSlices, employeeRanges, idsSpanned, SLICE_PEOPLE, SLICE_ROWS, SliceProgress } from './slices.js';
import { defaultHelperCount, startRunHelpers, warmRunHelpers } from './helper.js';
import { type Scratch, withScratch } from './scratch.js';
import { withInputReader } from './reader.js';
import { liftInsertGuards } from './insert-guards.js';
import { payslipWriter } from './write.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

export interface RunSummary {
  month: string;
  status: RunStatus;
  revision: number;
  policy: { id: string; version: string };
  employees: number;
  grossTotal: string;
  problems: RunProblem[];
}

async function policySource(db: Db, id: number): Promise<string> {
  const row = await db.selectFrom('policy_versions').select('source_text').where('id', '=', id).executeTakeFirstOrThrow();
  return row.source_text;
}

async function loadRun(db: Db, month: Month) {
  return db.selectFrom('payroll_runs').selectAll().where('month', '=', month).executeTakeFirst();
}

/**
 * Builds (or rebuilds) the month's draft from the stored inputs through the pay engine: payslips,
 * explained lines, retro adjustments for changed locked months, and an audit entry — one transaction.
 */
export async function computeRun(ctx: ServiceContext, month: Month, reason = 'computed', options: RunOptions = {}): Promise<RunSummary> {
  const sizes = { people: options.slicePeople ?? SLICE_PEOPLE, rows: SLICE_ROWS };
  const canHelp = ctx.store.dialect === 'sqlite' && ctx.store.location !== ':memory:';
  const helper = canHelp ? (options.helper ?? (await employeeRanges(ctx.store.db, sizes.people)).length > 1) : false;
  // A run writes hundreds of megabytes: its commit leaves copying them into the file to another thread.
  return ctx.store.checkpointAfter(() => {
    if (!helper) return computeRunIn(ctx.store.db, ctx, month, reason, sizes, options.onProgress);
    const helpers = options.helpers ?? defaultHelperCount();
    warmRunHelpers(helpers);
    return withScratch(ctx.store, (db, scratch) =>
      computeRunIn(db, ctx, month, reason, sizes, options.onProgress, { ...scratch, all: helper === 'all', helpers }),
    );
  });
}

/** Where a run is: slices of people done of all, payslips computed so far, and the share of the run done. */
export interface RunProgress {
  slices: number;
  totalSlices: number;
  payslips: number;
  /** 0–1: the employee ids of the slices done, of all (the last slices are smaller: counting slices would run ahead). */
  share: number;
}

/** How a run is cut up and shared out (the defaults suit the database; tests pick other values), and who hears of its progress. */
export interface RunOptions {
  onProgress?: (progress: RunProgress) => void;
  slicePeople?: number;
  /**
   * Helper threads compute part of the run (SQLite files only; elsewhere ignored). Default: when
   * the run has several slices (a new thread costs ≈ 0.4 s; those left waiting by an earlier run
   * are reused). `all`: the helpers compute every slice.
   */
  helper?: boolean | 'all';
  /** How many helper threads (at most MAX_HELPERS). Default: one per core beyond the main thread's, at least one. */
  helpers?: number;
}

async function computeRunIn(
  db: Db,
  ctx: ServiceContext,
  month: Month,
  reason: string,
  sizes: { people: number; rows: number },
  onProgress: RunOptions['onProgress'],
  scratch?: Scratch & { all: boolean; helpers: number },
): Promise<RunSummary> {
  return writeTransaction(db).execute(async (trx) => {
    const existing = await loadRun(trx, month);
    if (existing && (existing.status === 'approved' || existing.status === 'locked')) {
      throw new AppError('run_closed', `the ${month} payroll run is ${existing.status} and cannot be recomputed`);
    }
    const { id: policyVersionId, policy } = await policyForMonth(trx, ctx, month);
    const retro = await retroAdjustments(trx, ctx, month);

    const now = ctx.now();
    const revision = existing ? existing.revision + 1 : 1;
    const draft = {
      status: 'draft' as const,
      policy_version_id: policyVersionId,
      revision,
      computed_at: now,
      reviewed_at: null,
      reviewed_by: null,
    };
    let runId: number;
    if (existing) {
      await trx.deleteFrom('payslip_net').where('run_id', '=', existing.id).execute();
      await trx.deleteFrom('payslip_lines').where('run_id', '=', existing.id).execute();
      await trx.deleteFrom('payslips').where('run_id', '=', existing.id).execute();
      await trx.updateTable('payroll_runs').set(draft).where('id', '=', existing.id).execute();
      runId = existing.id;
    } else {
      const row = await trx
        .insertInto('payroll_runs')
        .values({
          month,
          ...draft,
          employee_count: 0,
          gross_total_fen: 0,
          problems: '[]',
          created_at: now,
          created_by: ctx.actor,
          approved_at: null,
          approved_by: null,
          locked_at: null,
          locked_by: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      runId = row.id;
    }

    const guards = ctx.store.dialect === 'sqlite' ? await liftInsertGuards(trx) : undefined;
    // Slice by slice, each written as soon as it is computed (net pay with it): a run of 100,000
    // keeps only every employee's gross in memory, for the totals.
    const ranges = await employeeRanges(trx, sizes.people);
    const basis = { month, policy, retro, netPay: await netPayInUse(trx, month) };
    const helper = scratch
      ? startRunHelpers(
          {
            database: ctx.store.location,
            scratch: scratch.files,
            month,
            policyText: await policySource(trx, policyVersionId),
            retro,
            netPay: basis.netPay,
            ranges,
            rowsPerSlice: sizes.rows,
          },
          scratch.helpers,
          scratch.all,
        )
      : undefined;
    const done: Omit<ComputedSlice, 'rows'>[] = [];
    const counted = new SliceProgress();
    const totalIds = idsSpanned(ranges);
    const report = () => {
      const helped = helper?.progress() ?? { slices: 0, payslips: 0, ids: 0 };
      onProgress?.({
        slices: counted.slices + helped.slices,
        totalSlices: ranges.length,
        payslips: counted.payslips + helped.payslips,
        share: totalIds > 0 ? (counted.ids + helped.ids) / totalIds : 0,
      });
    };
    try {
      const writer = payslipWriter(trx, ctx.store, runId);
      const mine = scratch?.all ? [].values() : (helper?.ranges ?? ranges.values());
      await withInputReader(ctx.store, trx, async (reader) => {
        for await (const { rows, ...slice } of computeSlices(reader, basis, mine, sizes.rows, ctx.store.sqlite)) {
          done.push(slice);
          await writer.write(rows);
          counted.add(slice);
          if (helper) done.push(...(await helper.copyFinished(trx, runId)));
          report();
        }
        counted.end();
        await writer.finish();
      });
      if (helper) done.push(...(await helper.finish(trx, runId, report)));
      report();
    } finally {
      await helper?.stop();
    }
    await guards?.restore();
    // In employee order whichever thread computed them (a slice's rows are in order within it).
    done.sort((a, b) => a.range.from - b.range.from);
    const grosses = done.flatMap((slice) => slice.grosses);
    const problems = [...done.flatMap((slice) => slice.problems), ...done.flatMap((slice) => slice.netProblems)];
    const grossTotal = fen(grosses.reduce((sum, s) => sum + s.gross, 0));
    await trx
      .updateTable('payroll_runs')
      .set({ employee_count: grosses.length, gross_total_fen: grossTotal, problems: JSON.stringify(problems) })
      .where('id', '=', runId)
      .execute();
    await audit(trx, ctx, {
      action: existing ? 'payroll.recomputed' : 'payroll.computed',
      entity: 'payroll_runs',
      key: month,
      reason,
      details: {
        revision,
        policy: `${policy.policy} ${policy.version}`,
        employees: grosses.length,
        grossTotal: formatYuan(grossTotal),
        problems: problems.length,
        retro: [...retro.values()].flat().length,
      },
    });
    return {
      month,
      status: 'draft',
      revision,
      policy: { id: policy.policy, version: policy.version },
      employees: grosses.length,
      grossTotal: formatYuan(grossTotal),
      problems,
    };
  });
}

/** Reasons a run cannot be approved yet; other modules (disputes, sign-offs) add theirs here. */
export type ApprovalCheck = (db: Db, month: Month) => Promise<string[]>;
const approvalChecks: ApprovalCheck[] = [];
export function addApprovalCheck(check: ApprovalCheck): void {
  approvalChecks.push(check);
}

const TRANSITIONS: Record<'review' | 'approve' | 'lock', { from: RunStatus; to: RunStatus; at: 'reviewed' | 'approved' | 'locked' }> = {
  review: { from: 'draft', to: 'reviewed', at: 'reviewed' },
  approve: { from: 'reviewed', to: 'approved', at: 'approved' },
  lock: { from: 'approved', to: 'locked', at: 'locked' },
};

/** R-RUN-1: draft → reviewed → approved → locked, each step audited; approval waits for every problem to be solved. */
export async function advanceRun(ctx: ServiceContext, month: Month, step: keyof typeof TRANSITIONS, reason?: string): Promise<RunSummary> {
  const { from, to, at } = TRANSITIONS[step];
  await writeTransaction(ctx.store.db).execute(async (trx) => {
    const run = await loadRun(trx, month);
    if (!run) throw new AppError('run_missing', `there is no ${month} payroll run; compute it first (ladder payroll run ${month})`);
    if (run.status !== from) throw new AppError('run_state', `the ${month} payroll run is ${run.status}; ${step} needs it ${from}`);
    if (step === 'approve') {
      const blockers = (JSON.parse(run.problems) as RunProblem[]).map((p) => `${p.employeeNo}: ${p.message}`);
      for (const check of approvalChecks) blockers.push(...(await check(trx, month)));
      if (blockers.length > 0)
        throw new AppError(
          'run_blocked',
          `the ${month} payroll run cannot be approved while ${blockers.length} problem(s) are open`,
          blockers,
        );
    }
    await trx
      .updateTable('payroll_runs')
      .set({ status: to, [`${at}_at`]: ctx.now(), [`${at}_by`]: ctx.actor })
      .where('id', '=', run.id)
      .execute();
    await audit(trx, ctx, {
      action: `payroll.${step}`,
      entity: 'payroll_runs',
      key: month,
      reason: reason ?? null,
      details: { revision: run.revision },
    });
  });
  return runSummary(ctx, month);
}

export async function runSummary(ctx: ServiceContext, month: Month): Promise<RunSummary> {
  const run = await ctx.store.db
    .selectFrom('payroll_runs as r')
    .innerJoin('policy_versions as p', 'p.id', 'r.policy_version_id')
    .select(['r.month', 'r.status', 'r.revision', 'r.employee_count', 'r.gross_total_fen', 'r.problems', 'p.policy', 'p.version'])
    .where('r.month', '=', month)
    .executeTakeFirst();
  if (!run) throw new AppError('run_missing', `there is no ${month} payroll run`);
  return {
    month: run.month,
    status: run.status,
    revision: run.revision,
    policy: { id: run.policy, version: run.version },
    employees: run.employee_count,
    grossTotal: formatYuan(fen(run.gross_total_fen)),
    problems: JSON.parse(run.problems) as RunProblem[],
  };
}

export interface StoredPayslip {
  employeeNo: string;
  name: string;
  group: string;
  level: string;
  gross: Fen;
  performance: Record<string, unknown>;
  lines: {
    code: string;
    amount: Fen;
    rule: string;
    formula: string;
    inputs: Record<string, string>;
    explain: { zh: string; en: string };
    cause: unknown;
  }[];
  /** Gross to net (R-NET), when the person has a pay profile. */
  net: StoredNet | null;
}

export interface StoredNet {
  bonus: Fen;
  employeeContributions: Fen;
  employerContributions: Fen;
  taxableYtd: Fen;
  tax: Fen;
  bonusTax: Fen;
  net: Fen;
  employerCost: Fen;
  ytd: Record<string, string>;
  details: Record<string, unknown>;
}

function withExplanation(performance: Record<string, unknown>, lines: StoredPayslip['lines']): Record<string, unknown> {
  if (performance.explain) return performance;
  return { ...performance, explain: lines.find((line) => line.code === 'performance')?.explain };
}

/** The run's payslips with their lines, in employee-number order (one person's, given `employeeNo`). */
export async function runPayslips(db: Db, month: Month, employeeNo?: string): Promise<StoredPayslip[]> {
  return readPayslips(db, month, employeeNo === undefined ? {} : { employeeNo });
}

/** Payslips read a page at a time: an export of a month of 100,000 never holds them all. */
export const PAYSLIP_PAGE = 2000;

/** The run's payslips in employee-number order, `size` at a time. */
export async function* payslipPages(db: Db, month: Month, size = PAYSLIP_PAGE): AsyncGenerator<StoredPayslip[]> {
  for (let after: string | undefined; ;) {
    const page = await readPayslips(db, month, { after, limit: size });
    if (page.length > 0) yield page;
    if (page.length < size) return;
    after = page.at(-1)?.employeeNo;
  }
}

/** Payslips of a run in employee-number order: all, one person's, or a page after an employee number. */
async function readPayslips(
  db: Db,
  month: Month,
  which: { employeeNo?: string; after?: string | undefined; limit?: number },
): Promise<StoredPayslip[]> {
  let slipQuery = db
    .selectFrom('payslips as p')
    .innerJoin('payroll_runs as r', 'r.id', 'p.run_id')
    .innerJoin('employees as e', 'e.id', 'p.employee_id')
    .leftJoin('payslip_net as n', 'n.payslip_id', 'p.id')
    .select(['p.id', 'e.employee_no', 'e.name', 'p.group_code', 'p.level', 'p.gross_fen', 'p.performance'])
    .select([
      'n.bonus_fen',
      'n.employee_contributions_fen',
      'n.employer_contributions_fen',
      'n.taxable_ytd_fen',
      'n.tax_fen',
      'n.bonus_tax_fen',
      'n.net_fen',
      'n.employer_cost_fen',
      'n.ytd',
      'n.details',
    ])
    .where('r.month', '=', month)
    .orderBy('e.employee_no');
  if (which.employeeNo !== undefined) slipQuery = slipQuery.where('e.employee_no', '=', which.employeeNo);
  if (which.after !== undefined) slipQuery = slipQuery.where('e.employee_no', '>', which.after);
  if (which.limit !== undefined) slipQuery = slipQuery.limit(which.limit);
  const slips = await slipQuery.execute();
  let lineQuery = db
    .selectFrom('payslip_lines as l')
    .innerJoin('payroll_runs as r', 'r.id', 'l.run_id')
    .select(['l.payslip_id', 'l.code', 'l.amount_fen', 'l.rule', 'l.formula', 'l.inputs', 'l.explain_zh', 'l.explain_en', 'l.cause'])
    .where('r.month', '=', month)
    .orderBy('l.payslip_id')
    .orderBy('l.position');
  // Some of the run's payslips: their lines through the lines' index, not every line of the month.
  if (which.employeeNo !== undefined || which.limit !== undefined) {
    lineQuery = lineQuery.where('l.payslip_id', 'in', [...slips.map((slip) => slip.id), 0]);
  }
  const lines = await lineQuery.execute();
  const byPayslip = new Map<number, StoredPayslip['lines']>();
  for (const l of lines) {
    const list = byPayslip.get(l.payslip_id) ?? [];
    list.push({
      code: l.code,
      amount: fen(l.amount_fen),
      rule: l.rule,
      formula: l.formula,
      inputs: JSON.parse(l.inputs) as Record<string, string>,
      explain: { zh: l.explain_zh, en: l.explain_en },
      cause: l.cause ? (JSON.parse(l.cause) as unknown) : null,
    });
    byPayslip.set(l.payslip_id, list);
  }
  return slips.map((s) => ({
    employeeNo: s.employee_no,
    name: s.name,
    group: s.group_code,
    level: s.level,
    gross: fen(s.gross_fen),
    performance: withExplanation(JSON.parse(s.performance) as Record<string, unknown>, byPayslip.get(s.id) ?? []),
    lines: byPayslip.get(s.id) ?? [],
    net:
      s.net_fen === null
        ? null
        : {
            bonus: fen(s.bonus_fen ?? 0),
            employeeContributions: fen(s.employee_contributions_fen ?? 0),
            employerContributions: fen(s.employer_contributions_fen ?? 0),
            taxableYtd: fen(s.taxable_ytd_fen ?? 0),
            tax: fen(s.tax_fen ?? 0),
            bonusTax: fen(s.bonus_tax_fen ?? 0),
            net: fen(s.net_fen),
            employerCost: fen(s.employer_cost_fen ?? 0),
            ytd: JSON.parse(s.ytd ?? '{}') as Record<string, string>,
            details: JSON.parse(s.details ?? '{}') as Record<string, unknown>,
          },
  }));
}
