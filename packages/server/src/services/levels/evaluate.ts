/**
 * `ladder levels evaluate 2026-Q3`: the quarter's level decisions for everyone, from the stored
 * conversations, deductions, CSAT, tests and history, through the same pure `evaluateQuarter`
 * as `ladder evaluate` — stored as proposals for a manager to review (review.ts).
 *
 * Where the spec is silent:
 * - The policy is the stored version in force on the quarter's first day (as `ladder evaluate`
 *   chooses it); it must have a `levels` section.
 * - A quarter is evaluated only once it has ended (China time); the ladder view works any time.
 * - Evaluating again replaces the proposals while the quarter is not approved; a reviewer's
 *   decision is kept when the proposal (decision, from, to) is unchanged, else it is reset.
 */
import {
  type LevelEvaluation,
  type LevelRules,
  lastDayOf,
  levelEvaluationToJson,
  monthsOfQuarter,
  type Policy,
  type Quarter,
  dayAfterQuarter,
  evaluatePeople,
  parseQuarter,
} from '@ladder/core';
import type { Insertable } from 'kysely';
import type { LevelProposalsTable } from '../../db/schema-levels.js';
import { audit } from '../audit.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { policyForMonth } from '../policies.js';
import { levelDb } from './db.js';
import { readQuarterFromStore, type StoreQuarter } from './quarter-input.js';
import { levelOverview, type LevelReviewOverview, lockReview } from './review.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

/** Proposals go into the database this many per statement. */
const PROPOSALS_PER_INSERT = 200;

export interface ComputedQuarter {
  quarter: Quarter;
  policyVersionId: number;
  policy: Policy;
  levels: LevelRules;
  store: StoreQuarter;
  /** One per evaluated person, in the order of `store.evaluated`. */
  evaluations: LevelEvaluation[];
}

export function quarterArgument(value: string): Quarter {
  const quarter = parseQuarter(value);
  if (!quarter) throw new AppError('invalid_quarter', `expected a quarter YYYY-Qn (n 1–4), got ${value}`);
  return quarter;
}

/** The day in China (UTC+8) of an ISO timestamp. */
export function chinaDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

export type ReadQuarter = Omit<ComputedQuarter, 'evaluations'>;

/** Reads the quarter and its policy from the store; writes nothing (but may install the default policy on first use). */
export async function readQuarter(db: Db, ctx: ServiceContext, quarter: Quarter): Promise<ReadQuarter> {
  const { id, policy } = await policyForMonth(db, ctx, monthsOfQuarter(quarter)[0]);
  const levels = policy.levels;
  if (!levels)
    throw new AppError(
      'levels_missing',
      `policy ${policy.policy} ${policy.version} (in force from ${policy.effectiveFrom}) has no levels section: the quarterly evaluation needs one`,
    );
  const store = await readQuarterFromStore(db, policy, levels, quarter);
  return { quarter, policyVersionId: id, policy, levels, store };
}

/** The evaluated people's decisions, one at a time, with the person each belongs to (the input's later people are peers only). */
function* evaluatedPeople({
  levels,
  policy,
  store,
}: ReadQuarter): Generator<{ evaluation: LevelEvaluation; person: StoreQuarter['evaluated'][number] }> {
  if (store.evaluated.length === 0) return;
  const decisions = evaluatePeople(levels, policy, store.input);
  for (const person of store.evaluated) {
    const next = decisions.next();
    if (next.done) return;
    yield { evaluation: next.value, person };
  }
}

/** Reads the quarter from the store and evaluates it; writes nothing (but may install the default policy on first use). */
export async function computeQuarter(db: Db, ctx: ServiceContext, quarter: Quarter): Promise<ComputedQuarter> {
  const read = await readQuarter(db, ctx, quarter);
  return { ...read, evaluations: [...evaluatedPeople(read)].map(({ evaluation }) => evaluation) };
}

/** Computes the quarter's proposals and stores them as its review (a new revision when it exists and is not approved). */
export async function evaluateLevels(ctx: ServiceContext, quarterText: string, reason = 'evaluated'): Promise<LevelReviewOverview> {
  const quarter = quarterArgument(quarterText);
  const last = lastDayOf(monthsOfQuarter(quarter)[2]);
  const today = chinaDay(ctx.now());
  if (today <= last)
    throw new AppError(
      'quarter_open',
      `${quarter} ends on ${last}: it can be evaluated from ${dayAfterQuarter(quarter)} (ladder levels view ${quarter} shows where people stand now)`,
    );
  await writeTransaction(ctx.store.db).execute(async (trx) => {
    const ldb = levelDb(trx);
    const existing = await lockReview(trx, ctx, quarter);
    if (existing?.status === 'approved')
      throw new AppError(
        'review_closed',
        `the ${quarter} level review is already approved (by ${existing.approved_by ?? '?'} at ${existing.approved_at ?? '?'}) and cannot be evaluated again`,
      );
    const computed = await readQuarter(trx, ctx, quarter);
    if (computed.store.evaluated.length === 0)
      throw new AppError('nobody_to_evaluate', `nobody to evaluate in ${quarter}: no active agent on ${last} in a group with level rules`);
    const now = ctx.now();
    const notes = JSON.stringify(computed.store.notEvaluated);

    let reviewId: number;
    const previous = new Map<
      number,
      { decision: string; from: string; to: string; status: string; at: string | null; by: string | null; note: string | null }
    >();
    if (existing) {
      const old = await ldb.selectFrom('level_proposals').selectAll().where('review_id', '=', existing.id).execute();
      for (const p of old)
        previous.set(p.employee_id, {
          decision: p.decision,
          from: p.from_level,
          to: p.to_level,
          status: p.status,
          at: p.reviewed_at,
          by: p.reviewed_by,
          note: p.note,
        });
      await ldb.deleteFrom('level_proposals').where('review_id', '=', existing.id).execute();
      reviewId = existing.id;
    } else {
      const row = await ldb
        .insertInto('level_reviews')
        .values({
          quarter,
          status: 'proposed',
          policy_version_id: computed.policyVersionId,
          effective_from: dayAfterQuarter(quarter),
          revision: 1,
          notes,
          created_at: now,
          created_by: ctx.actor,
          computed_at: now,
          computed_by: ctx.actor,
          reviewed_at: null,
          reviewed_by: null,
          approved_at: null,
          approved_by: null,
          approval_note: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      reviewId = row.id;
    }

    // Decided, stored and let go a chunk at a time: 100,000 explained decisions are never held at once.
    const kept: string[] = [];
    const reset: string[] = [];
    const counts: Record<string, number> = {};
    let evaluated = 0;
    let chunk: Insertable<LevelProposalsTable>[] = [];
    const store = async () => {
      if (chunk.length > 0) await ldb.insertInto('level_proposals').values(chunk).execute();
      chunk = [];
    };
    for (const { evaluation, person } of evaluatedPeople(computed)) {
      const json = levelEvaluationToJson(evaluation);
      const before = previous.get(person.employeeId);
      const same =
        before !== undefined &&
        before.status !== 'proposed' &&
        before.decision === evaluation.decision &&
        before.from === evaluation.from &&
        before.to === evaluation.to;
      if (same) kept.push(person.employeeNo);
      else if (before !== undefined && before.status !== 'proposed') reset.push(person.employeeNo);
      counts[evaluation.decision] = (counts[evaluation.decision] ?? 0) + 1;
      evaluated += 1;
      chunk.push({
        review_id: reviewId,
        employee_id: person.employeeId,
        group_code: evaluation.group,
        track: evaluation.track,
        decision: evaluation.decision,
        from_level: evaluation.from,
        to_level: evaluation.to,
        effective_from: evaluation.effectiveFrom,
        checks: JSON.stringify(json.checks),
        explain: JSON.stringify(json.explain),
        pay_effect: json.payEffect === null ? null : JSON.stringify(json.payEffect),
        inputs: JSON.stringify(person.figures),
        status: same ? (before.status as 'approved' | 'rejected') : ('proposed' as const),
        reviewed_at: same ? before.at : null,
        reviewed_by: same ? before.by : null,
        note: same ? before.note : null,
        history_id: null,
      });
      if (chunk.length === PROPOSALS_PER_INSERT) await store();
    }
    await store();

    const revision = existing ? existing.revision + 1 : 1;
    if (existing) {
      const stillReviewed = kept.length > 0;
      await ldb
        .updateTable('level_reviews')
        .set({
          status: stillReviewed ? 'reviewed' : 'proposed',
          policy_version_id: computed.policyVersionId,
          revision,
          notes,
          computed_at: now,
          computed_by: ctx.actor,
          reviewed_at: stillReviewed ? existing.reviewed_at : null,
          reviewed_by: stillReviewed ? existing.reviewed_by : null,
        })
        .where('id', '=', existing.id)
        .execute();
    }
    await audit(trx, ctx, {
      action: existing ? 'levels.reevaluated' : 'levels.evaluated',
      entity: 'level_reviews',
      key: quarter,
      reason,
      details: {
        revision,
        policy: `${computed.policy.policy} ${computed.policy.version}`,
        evaluated,
        notEvaluated: computed.store.notEvaluated.length,
        decisions: counts,
        ...(existing ? { keptReviewerDecisions: kept, resetReviewerDecisions: reset } : {}),
      },
    });
  });
  return levelOverview(ctx.store.db, quarter);
}
