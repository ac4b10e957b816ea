/**
 * The quarter's level review (R-LVL-5…7): proposals are read, approved or rejected one by one,
 * and the quarter is approved once — which writes each approved level change into the
 * employee's history from the first day of the month after the quarter (R-LVL-6), so the payroll
 * of that month pays the new level (R-RUN-5 reads the state in force on its first day).
 *
 * Where the spec is silent:
 * - A proposal may be approved or rejected, and changed again, until the quarter is approved;
 *   approving the quarter approves every proposal nobody decided. It can happen once.
 * - A change is written only if the employee's state in force on the effective day still has the
 *   proposal's level and track and is active; otherwise the whole approval is refused, naming
 *   them (re-evaluate, or reject those proposals).
 * - The new state copies the one in force (team, position, probation end…) with the new level;
 *   `junior_since` is set to the effective day when the person first reaches the track's junior
 *   level. Pay (R-LVL-6): under `levelPay` a base-pay override is cleared, so pay follows the new
 *   level's base pay and level bonus; under `raise` the new base is the previous one (the override,
 *   else the old level's base pay in the policy of the effective month) × (1 + rate), rounded
 *   half-up to the fen; a demotion under `raise` keeps the base pay (HR sets it).
 * - States recorded for later days that still carry the old level get the new one too (audited), so
 *   a team change already entered for a later month does not undo the promotion.
 * - When the effective month's payroll run is already approved or locked, the change reaches pay
 *   as a retro adjustment in the next open run (R-RUN-2); the approval says so.
 */
import {
  type Bilingual,
  type Decimal,
  fen,
  fenToYuan,
  formatYuan,
  type IsoDate,
  type LevelDecision,
  monthOf,
  toDecimal,
  yuanToFen,
} from '@ladder/core';
import type { LevelProposalRow, LevelReviewStatus } from '../../db/schema-levels.js';
import type { EmployeeHistoryRow } from '../../db/schema.js';
import { audit } from '../audit.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { policyForMonth } from '../policies.js';
import { levelDb } from './db.js';
import { juniorIndexOf, type NotEvaluated, type PersonFigures } from './quarter-input.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

export const LEVEL_REASON = (quarter: string) => `R-LVL quarterly evaluation ${quarter}`;

/** A proposal as a list of them shows it: who, the decision and where the review of it stands. */
export interface LevelProposalLine {
  employeeNo: string;
  name: string;
  group: string;
  track: string;
  decision: LevelDecision;
  from: string;
  to: string;
  effectiveFrom: string;
  status: LevelProposalRow['status'];
  reviewedAt: string | null;
  reviewedBy: string | null;
  note: string | null;
}

/** A proposal with everything that explains it. */
export interface LevelProposalView extends LevelProposalLine {
  explain: Bilingual;
  payEffect: Record<string, unknown> | null;
  checks: Record<string, unknown>[];
  figures: PersonFigures;
}

/** A quarter's review with its proposals as lines (`levelOverview`): what a list of 100,000 needs, ≈ a tenth of the memory. */
export type LevelReviewOverview = Omit<LevelReviewSummary, 'proposals'> & { proposals: LevelProposalLine[] };

export interface LevelReviewSummary {
  quarter: string;
  status: LevelReviewStatus;
  revision: number;
  policy: { id: string; version: string; effectiveFrom: string };
  effectiveFrom: string;
  computedAt: string;
  computedBy: string;
  reviewedAt: string | null;
  reviewedBy: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  approvalNote: string | null;
  counts: Record<LevelDecision, number>;
  notEvaluated: NotEvaluated[];
  proposals: LevelProposalView[];
}

/**
 * The quarter's review row inside a transaction that will change it: on PostgreSQL the row is
 * locked, so a concurrent evaluation, decision or approval waits and then sees the new status
 * (SQLite runs one write transaction at a time).
 */
export async function lockReview(db: Db, ctx: ServiceContext, quarter: string) {
  let query = levelDb(db).selectFrom('level_reviews').selectAll().where('quarter', '=', quarter);
  if (ctx.store.dialect === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

function missingReview(quarter: string): AppError {
  return new AppError('review_missing', `there is no ${quarter} level review; evaluate it first (ladder levels evaluate ${quarter})`);
}

function closedReview(quarter: string, review: { approved_by: string | null; approved_at: string | null }): AppError {
  return new AppError(
    'review_closed',
    `the ${quarter} level review is already approved (by ${review.approved_by ?? '?'} at ${review.approved_at ?? '?'})`,
  );
}

/** The review of a quarter with its proposals (one employee's, when given), in employee-number order. */
export async function levelReview(db: Db, quarter: string, employeeNo?: string): Promise<LevelReviewSummary> {
  const { review, counts } = await reviewHead(db, quarter);
  let query = levelDb(db)
    .selectFrom('level_proposals as l')
    .innerJoin('employees as e', 'e.id', 'l.employee_id')
    .selectAll('l')
    .select(['e.employee_no', 'e.name'])
    .where('l.review_id', '=', review.id)
    .orderBy('e.employee_no');
  if (employeeNo !== undefined) query = query.where('e.employee_no', '=', employeeNo);
  const rows = await query.execute();
  if (employeeNo !== undefined && rows.length === 0) throw new AppError('proposal_missing', `no ${quarter} proposal for ${employeeNo}`);
  return {
    ...reviewFields(review, counts),
    proposals: rows.map((row) => ({
      ...proposalLine(row),
      explain: JSON.parse(row.explain) as Bilingual,
      payEffect: row.pay_effect === null ? null : (JSON.parse(row.pay_effect) as Record<string, unknown>),
      checks: JSON.parse(row.checks) as Record<string, unknown>[],
      figures: JSON.parse(row.inputs) as PersonFigures,
    })),
  };
}

/** The quarter's review with every proposal as a line, without what explains it. */
export async function levelOverview(db: Db, quarter: string): Promise<LevelReviewOverview> {
  const { review, counts } = await reviewHead(db, quarter);
  const rows = await levelDb(db)
    .selectFrom('level_proposals as l')
    .innerJoin('employees as e', 'e.id', 'l.employee_id')
    .select([
      'e.employee_no',
      'e.name',
      'l.group_code',
      'l.track',
      'l.decision',
      'l.from_level',
      'l.to_level',
      'l.effective_from',
      'l.status',
      'l.reviewed_at',
      'l.reviewed_by',
      'l.note',
    ])
    .where('l.review_id', '=', review.id)
    .orderBy('e.employee_no')
    .execute();
  return { ...reviewFields(review, counts), proposals: rows.map(proposalLine) };
}

async function reviewHead(db: Db, quarter: string) {
  const ldb = levelDb(db);
  const review = await ldb
    .selectFrom('level_reviews as r')
    .innerJoin('policy_versions as p', 'p.id', 'r.policy_version_id')
    .selectAll('r')
    .select(['p.policy', 'p.version', 'p.effective_from as policy_from'])
    .where('r.quarter', '=', quarter)
    .executeTakeFirst();
  if (!review) throw missingReview(quarter);
  const all = await ldb.selectFrom('level_proposals').select('decision').where('review_id', '=', review.id).execute();
  const counts: Record<LevelDecision, number> = { promote: 0, keep: 0, demote: 0, review_dismissal: 0 };
  for (const row of all) counts[row.decision] += 1;
  return { review, counts };
}

function reviewFields(review: Awaited<ReturnType<typeof reviewHead>>['review'], counts: Record<LevelDecision, number>) {
  return {
    quarter: review.quarter,
    status: review.status,
    revision: review.revision,
    policy: { id: review.policy, version: review.version, effectiveFrom: review.policy_from },
    effectiveFrom: review.effective_from,
    computedAt: review.computed_at,
    computedBy: review.computed_by,
    reviewedAt: review.reviewed_at,
    reviewedBy: review.reviewed_by,
    approvedAt: review.approved_at,
    approvedBy: review.approved_by,
    approvalNote: review.approval_note,
    counts,
    notEvaluated: JSON.parse(review.notes) as NotEvaluated[],
  };
}

function proposalLine(row: {
  employee_no: string;
  name: string;
  group_code: string;
  track: string;
  decision: LevelDecision;
  from_level: string;
  to_level: string;
  effective_from: string;
  status: LevelProposalRow['status'];
  reviewed_at: string | null;
  reviewed_by: string | null;
  note: string | null;
}): LevelProposalLine {
  return {
    employeeNo: row.employee_no,
    name: row.name,
    group: row.group_code,
    track: row.track,
    decision: row.decision,
    from: row.from_level,
    to: row.to_level,
    effectiveFrom: row.effective_from,
    status: row.status,
    reviewedAt: row.reviewed_at,
    reviewedBy: row.reviewed_by,
    note: row.note,
  };
}

/** A stored proposal in the shape `ladder evaluate` prints a decision (CALC-FORMAT.md, evaluate). */
export function proposalDecisionJson(p: LevelProposalView): Record<string, unknown> {
  return {
    employeeId: p.employeeNo,
    group: p.group,
    decision: p.decision,
    from: p.from,
    to: p.to,
    effectiveFrom: p.effectiveFrom,
    rule: 'R-LVL-5',
    explain: p.explain,
    payEffect: p.payEffect,
    checks: p.checks,
  };
}

/** The review as JSON: the `ladder evaluate` output, each decision with its review status and figures. */
export function levelReviewJson(summary: LevelReviewSummary): Record<string, unknown> {
  return {
    quarter: summary.quarter,
    policy: summary.policy,
    review: {
      status: summary.status,
      revision: summary.revision,
      effectiveFrom: summary.effectiveFrom,
      computedAt: summary.computedAt,
      computedBy: summary.computedBy,
      reviewedAt: summary.reviewedAt,
      reviewedBy: summary.reviewedBy,
      approvedAt: summary.approvedAt,
      approvedBy: summary.approvedBy,
      note: summary.approvalNote,
      notEvaluated: summary.notEvaluated,
    },
    decisions: summary.proposals.map((p) => ({
      ...proposalDecisionJson(p),
      name: p.name,
      status: p.status,
      reviewedAt: p.reviewedAt,
      reviewedBy: p.reviewedBy,
      note: p.note,
      figures: p.figures,
    })),
  };
}

/** Approves or rejects one proposal while the quarter is open; the review becomes `reviewed`. */
export async function decideProposal(
  ctx: ServiceContext,
  quarter: string,
  employeeNo: string,
  verdict: 'approved' | 'rejected',
  note?: string,
): Promise<LevelReviewOverview> {
  await writeTransaction(ctx.store.db).execute(async (trx) => {
    const ldb = levelDb(trx);
    const review = await lockReview(trx, ctx, quarter);
    if (!review) throw missingReview(quarter);
    if (review.status === 'approved') throw closedReview(quarter, review);
    const proposal = await ldb
      .selectFrom('level_proposals as l')
      .innerJoin('employees as e', 'e.id', 'l.employee_id')
      .select(['l.id', 'l.status', 'l.decision', 'l.from_level', 'l.to_level'])
      .where('l.review_id', '=', review.id)
      .where('e.employee_no', '=', employeeNo)
      .executeTakeFirst();
    if (!proposal) throw new AppError('proposal_missing', `no ${quarter} proposal for ${employeeNo}`);
    const now = ctx.now();
    await ldb
      .updateTable('level_proposals')
      .set({ status: verdict, reviewed_at: now, reviewed_by: ctx.actor, note: note ?? null })
      .where('id', '=', proposal.id)
      .execute();
    await ldb
      .updateTable('level_reviews')
      .set({ status: 'reviewed', reviewed_at: now, reviewed_by: ctx.actor })
      .where('id', '=', review.id)
      .execute();
    await audit(trx, ctx, {
      action: verdict === 'approved' ? 'levels.proposal.approved' : 'levels.proposal.rejected',
      entity: 'level_proposals',
      key: `${quarter}/${employeeNo}`,
      reason: note ?? null,
      details: { decision: proposal.decision, from: proposal.from_level, to: proposal.to_level, before: proposal.status },
    });
  });
  return levelOverview(ctx.store.db, quarter);
}

export interface LevelChange {
  employeeNo: string;
  name: string;
  decision: LevelDecision;
  from: string;
  to: string;
  effectiveFrom: string;
  /** The base pay written on the new state (yuan), or null when pay follows the level in the policy. */
  basePay: string | null;
}

export interface QuarterApproval {
  quarter: string;
  effectiveFrom: string;
  approvedBy: string;
  changes: LevelChange[];
  approved: number;
  rejected: number;
  warnings: string[];
}

type HistoryRow = EmployeeHistoryRow;

/** The state fields a new history row copies from the one in force. */
function stateOf(row: HistoryRow) {
  return {
    group_code: row.group_code,
    level: row.level,
    position: row.position,
    team_id: row.team_id,
    base_pay_fen: row.base_pay_fen,
    probation_end: row.probation_end,
    junior_since: row.junior_since,
    status: row.status,
    transfer_to: row.transfer_to,
  };
}

/**
 * Approves the quarter: every undecided proposal is approved, and each approved promotion or
 * demotion becomes an employee_history state from the effective day — in one transaction with
 * the review's status, every write audited. A second approval is refused.
 */
export async function approveQuarter(ctx: ServiceContext, quarter: string, note?: string): Promise<QuarterApproval> {
  return writeTransaction(ctx.store.db).execute(async (trx) => {
    const ldb = levelDb(trx);
    const review = await lockReview(trx, ctx, quarter);
    if (!review) throw missingReview(quarter);
    if (review.status === 'approved') throw closedReview(quarter, review);
    const now = ctx.now();
    const reason = LEVEL_REASON(quarter);
    const effectiveFrom = review.effective_from;

    const proposals = await ldb
      .selectFrom('level_proposals as l')
      .innerJoin('employees as e', 'e.id', 'l.employee_id')
      .selectAll('l')
      .select(['e.employee_no', 'e.name'])
      .where('l.review_id', '=', review.id)
      .orderBy('e.employee_no')
      .execute();
    const undecided = proposals.filter((p) => p.status === 'proposed');
    const approved = proposals.filter((p) => p.status !== 'rejected');
    const moves = approved.filter((p) => p.decision === 'promote' || p.decision === 'demote');

    const { policy } = await policyForMonth(trx, ctx, monthOf(effectiveFrom as IsoDate));
    const histories = new Map<number, HistoryRow[]>();
    if (moves.length > 0) {
      const rows = await trx
        .selectFrom('employee_history')
        .selectAll()
        .where(
          'employee_id',
          'in',
          moves.map((m) => m.employee_id),
        )
        .orderBy('employee_id')
        .orderBy('effective_from')
        .execute();
      for (const row of rows) histories.set(row.employee_id, [...(histories.get(row.employee_id) ?? []), row]);
    }

    const stale: string[] = [];
    for (const move of moves) {
      const rows = histories.get(move.employee_id) ?? [];
      const current = rows.filter((r) => r.effective_from <= effectiveFrom).at(-1);
      const track = current ? policy.groups[current.group_code]?.track : undefined;
      if (!current) stale.push(`${move.employee_no}: no state in force on ${effectiveFrom}`);
      else if (current.status !== 'active') stale.push(`${move.employee_no}: ${current.status} on ${effectiveFrom}`);
      else if (current.level !== move.from_level || track !== move.track)
        stale.push(
          `${move.employee_no}: the state on ${effectiveFrom} is ${current.group_code}/${current.level}, the proposal was made for ${move.from_level}`,
        );
    }
    if (stale.length > 0) {
      throw new AppError(
        'proposal_stale',
        `${stale.length} proposal(s) of ${quarter} no longer match the employee history; evaluate again (ladder levels evaluate ${quarter}) or reject them`,
        stale,
      );
    }

    const warnings: string[] = [];
    const changes: LevelChange[] = [];
    for (const move of moves) {
      const rows = histories.get(move.employee_id) ?? [];
      const current = rows.filter((r) => r.effective_from <= effectiveFrom).at(-1) as HistoryRow;
      const track = policy.tracks[move.track];
      const codes = track?.levels.map((l) => l.code) ?? [];
      const juniorIndex = policy.levels ? juniorIndexOf(policy.levels, move.track) : 1;
      const reachesJunior = codes.indexOf(move.to_level) >= juniorIndex && codes.indexOf(move.from_level) < juniorIndex;
      const juniorSince = current.junior_since ?? (reachesJunior ? effectiveFrom : null);

      const effect = move.pay_effect === null ? null : (JSON.parse(move.pay_effect) as { mode?: string; rate?: string | null });
      let basePayFen: number | null;
      if (effect?.mode === 'raise') {
        const rate = effect.rate === null || effect.rate === undefined ? undefined : toDecimal(effect.rate);
        if (rate === undefined) basePayFen = current.base_pay_fen;
        else {
          const levelBase = track?.levels.find((l) => l.code === move.from_level)?.basePay;
          const previous: Decimal | undefined = current.base_pay_fen !== null ? fenToYuan(fen(current.base_pay_fen)) : levelBase;
          if (previous === undefined) throw new Error(`level ${move.from_level} is not on track ${move.track}`);
          basePayFen = yuanToFen(previous.times(rate.plus(1)));
        }
      } else {
        basePayFen = null;
        if (current.base_pay_fen !== null)
          warnings.push(
            `${move.employee_no}: the base pay override ${formatYuan(fen(current.base_pay_fen))} was cleared from ${effectiveFrom}: pay follows the new level (R-LVL-6)`,
          );
      }

      const after = { ...stateOf(current), level: move.to_level, junior_since: juniorSince, base_pay_fen: basePayFen };
      let historyId: number;
      if (current.effective_from === effectiveFrom) {
        await trx
          .updateTable('employee_history')
          .set({ ...after, recorded_at: now, recorded_by: ctx.actor, reason: `${current.reason}; ${reason}` })
          .where('id', '=', current.id)
          .execute();
        historyId = current.id;
      } else {
        const row = await trx
          .insertInto('employee_history')
          .values({
            employee_id: move.employee_id,
            effective_from: effectiveFrom,
            ...after,
            recorded_at: now,
            recorded_by: ctx.actor,
            reason,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        historyId = row.id;
      }
      await audit(trx, ctx, {
        action: 'employee.state',
        entity: 'employee_history',
        key: `${move.employee_no}@${effectiveFrom}`,
        reason,
        details: { before: current, after, proposal: { quarter, decision: move.decision } },
      });
      await ldb.updateTable('level_proposals').set({ history_id: historyId }).where('id', '=', move.id).execute();

      // Later states still carrying the old level follow the change.
      for (const later of rows.filter((r) => r.effective_from > effectiveFrom)) {
        if (later.level !== move.from_level || policy.groups[later.group_code]?.track !== move.track) continue;
        const set = {
          level: move.to_level,
          junior_since: later.junior_since ?? juniorSince,
          base_pay_fen: later.base_pay_fen === current.base_pay_fen ? basePayFen : later.base_pay_fen,
        };
        await trx.updateTable('employee_history').set(set).where('id', '=', later.id).execute();
        await audit(trx, ctx, {
          action: 'employee.state',
          entity: 'employee_history',
          key: `${move.employee_no}@${later.effective_from}`,
          reason,
          details: { before: later, after: { ...stateOf(later), ...set } },
        });
      }
      changes.push({
        employeeNo: move.employee_no,
        name: move.name,
        decision: move.decision,
        from: move.from_level,
        to: move.to_level,
        effectiveFrom,
        basePay: basePayFen === null ? null : formatYuan(fen(basePayFen)),
      });
    }

    if (undecided.length > 0)
      await ldb
        .updateTable('level_proposals')
        .set({ status: 'approved', reviewed_at: now, reviewed_by: ctx.actor })
        .where('review_id', '=', review.id)
        .where('status', '=', 'proposed')
        .execute();
    await ldb
      .updateTable('level_reviews')
      .set({ status: 'approved', approved_at: now, approved_by: ctx.actor, approval_note: note ?? null })
      .where('id', '=', review.id)
      .execute();

    const month = monthOf(effectiveFrom as IsoDate);
    const closedRuns = await trx
      .selectFrom('payroll_runs')
      .select(['month', 'status'])
      .where('month', '>=', month)
      .where('status', 'in', ['approved', 'locked'])
      .orderBy('month')
      .execute();
    if (changes.length > 0)
      for (const run of closedRuns)
        warnings.push(
          `the ${run.month} payroll run is ${run.status}: the level changes reach its pay as retro adjustments in the next open run (R-RUN-2)`,
        );

    const rejected = proposals.length - approved.length;
    await audit(trx, ctx, {
      action: 'levels.approved',
      entity: 'level_reviews',
      key: quarter,
      reason: note ?? null,
      details: {
        revision: review.revision,
        effectiveFrom,
        changes: changes.map((c) => ({ employeeNo: c.employeeNo, from: c.from, to: c.to, basePay: c.basePay })),
        approvedUndecided: undecided.length,
        rejected,
      },
    });
    return { quarter, effectiveFrom, approvedBy: ctx.actor, changes, approved: approved.length, rejected, warnings };
  });
}
