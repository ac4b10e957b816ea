/**
 * Inspections as a service (R-QA-2…4): every transition of core's inspection machine is persisted
 * with its step and audit entry in one transaction; item results are recorded against the
 * scorecard version in force on the conversation's day; publishing writes the deductions the pay
 * engine reads (`deductions`, origin 'qa') and recomputes the month's draft, if any.
 *
 * Where the spec is silent:
 * - Items are scored while the inspection is in progress, by its assigned inspector only; each
 *   item is recorded once (recording it again replaces it, audited with before and after).
 * - One deduction row per item hit: points × count, category `qa:<item>`, entered by the inspector.
 * - A critical item hit under a policy that forfeits the month is recorded in `qa_forfeitures`:
 *   core's pay engine has no input for it, so the fact blocks the month's approval until the
 *   director acknowledges it (or a dispute overturns the item).
 * - Efficiency and discipline deductions (R-QA-4) are entered by whoever R-QA-3 names for the
 *   agent's group: the agent's team lead, or a QA inspector / QA manager for the QA group.
 */
import {
  type Decimal,
  type InspectionCase,
  type InspectionEvent,
  inspectionDeductions,
  inspectionMachine,
  inspectorFor,
  type IsoDate,
  type ItemHit,
  type Month,
  monthOf,
  type Problem,
  scorecardFor,
  toDecimal,
  transition,
  ValidationError,
} from '@ladder/core';
import type { QaInspectionRow } from '../../db/schema-qa.js';
import { audit } from '../audit.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { findConversation } from '../conversations/blocks.js';
import { addDeductions } from '../inputs.js';
import { type RunSummary } from '../payroll/runs.js';
import { agentByNo, agentsOnDay } from './agents.js';
import { eligibleInspectors } from './assignment.js';
import { chinaDay, loadSteps, qaDb, refusalError, requireDay, saveStep } from './db.js';
import { qaPolicy } from './policy.js';
import { recomputeAndSync } from './signoffs.js';
import { actingAs, type QaActor, resolveActor } from './users.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

/** An inspection by id, or by its conversation as `source:external_id`. */
export type InspectionRef = number | string;

export async function findInspection(db: Db, ref: InspectionRef): Promise<QaInspectionRow> {
  const q = qaDb(db);
  if (typeof ref === 'number' || /^\d+$/.test(ref)) {
    const row = await q.selectFrom('qa_inspections').selectAll().where('id', '=', Number(ref)).executeTakeFirst();
    if (!row) throw new AppError('not_found', `no inspection #${ref}`);
    if (row.withdrawn_at !== null) throw new AppError('not_in_sample', `inspection #${ref} was withdrawn: ${row.withdrawn_reason ?? ''}`);
    return row;
  }
  const split = ref.indexOf(':');
  const source = split > 0 ? ref.slice(0, split) : '';
  const externalId = split > 0 ? ref.slice(split + 1) : '';
  const conversation = await db
    .selectFrom('conversations')
    .select(['id'])
    .where('source', '=', source)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  if (!conversation && !(split > 0 && (await findConversation(db, source, externalId))))
    throw new AppError('unknown_conversation', `no conversation ${ref} (expected an inspection id or SOURCE:EXTERNAL_ID)`);
  const row =
    conversation &&
    (await q
      .selectFrom('qa_inspections')
      .selectAll()
      .where('conversation_id', '=', conversation.id)
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst());
  if (!row)
    throw new AppError('not_in_sample', `conversation ${ref} is not in the sample: only sampled conversations are inspected (R-QA-1)`);
  return row;
}

async function agentNoOf(db: Db, employeeId: number): Promise<string> {
  const row = await db.selectFrom('employees').select('employee_no').where('id', '=', employeeId).executeTakeFirstOrThrow();
  return row.employee_no;
}

/** The core case of a stored inspection, its history included. */
export async function inspectionCase(db: Db, row: QaInspectionRow): Promise<InspectionCase> {
  const c: InspectionCase = {
    inspectionId: String(row.id),
    kind: row.kind,
    agentId: await agentNoOf(db, row.employee_id),
    inspectorId: row.inspector,
    status: row.status,
    history: (await loadSteps(db, 'inspection', row.id)) as InspectionCase['history'],
  };
  if (row.published_on !== null) c.publishedOn = row.published_on as IsoDate;
  return c;
}

/** The transition an event makes on a stored inspection (nothing written), or the refusal as an error. */
export async function planInspection(db: Db, actor: QaActor, row: QaInspectionRow, event: InspectionEvent, disputeWindowDays: number) {
  const before = await inspectionCase(db, row);
  const result = transition(inspectionMachine({ disputeWindowDays }), before, event, actor);
  if (!result.ok) throw refusalError(result);
  return { before, next: result.state, step: result.step };
}

/** Persists a planned transition with its step and audit entry, inside the caller's transaction. */
export async function persistInspection(
  db: Db,
  ctx: ServiceContext,
  row: QaInspectionRow,
  event: InspectionEvent,
  plan: Awaited<ReturnType<typeof planInspection>>,
): Promise<InspectionCase> {
  const { before, next, step } = plan;
  await qaDb(db)
    .updateTable('qa_inspections')
    .set({ status: next.status, inspector: next.inspectorId, published_on: next.publishedOn ?? null, updated_at: ctx.now() })
    .where('id', '=', row.id)
    .execute();
  await saveStep(db, 'inspection', row.id, before.history.length + 1, step, ctx.now());
  await audit(db, ctx, {
    action: `qa.inspection.${event.type}`,
    entity: 'qa_inspections',
    key: String(row.id),
    reason: event.opinion ?? null,
    details: { from: before.status, to: next.status, as: step.as, inspector: next.inspectorId },
  });
  return next;
}

/** Fires one event on a stored inspection inside the caller's transaction: the new case, persisted with its step. */
export async function fireInspection(
  db: Db,
  ctx: ServiceContext,
  actor: QaActor,
  row: QaInspectionRow,
  event: InspectionEvent,
  disputeWindowDays: number,
): Promise<InspectionCase> {
  return persistInspection(db, ctx, row, event, await planInspection(db, actor, row, event, disputeWindowDays));
}

export interface ItemEntry {
  item: string;
  hit: boolean;
  /** Occurrences, for a hit (default 1). */
  count?: number;
  note?: string;
  /** A message reference in the conversation. */
  evidence?: string;
}

export interface InspectionView {
  id: number;
  conversation: string;
  employeeNo: string;
  day: string;
  inspector: string;
  status: string;
  scorecard: string;
  scorecardVersion: string;
  publishedOn: string | null;
  totalPoints: string | null;
  items: {
    item: string;
    hit: boolean;
    count: number;
    points: string;
    critical: boolean;
    note: string | null;
    evidence: string | null;
    recordedBy: string;
    recordedAt: string;
  }[];
  history: { event: string; from: string; to: string; by: string; as: string; on: string; opinion?: string }[];
}

export async function inspectionView(db: Db, ref: InspectionRef): Promise<InspectionView> {
  const row = await findInspection(db, ref);
  const q = qaDb(db);
  const conversation = await db
    .selectFrom('conversations')
    .select(['source', 'external_id'])
    .where('id', '=', row.conversation_id)
    .executeTakeFirstOrThrow();
  const items = await q.selectFrom('qa_inspection_items').selectAll().where('inspection_id', '=', row.id).orderBy('id').execute();
  return {
    id: row.id,
    conversation: `${conversation.source}:${conversation.external_id}`,
    employeeNo: await agentNoOf(db, row.employee_id),
    day: row.day,
    inspector: row.inspector,
    status: row.status,
    scorecard: row.scorecard,
    scorecardVersion: row.scorecard_version,
    publishedOn: row.published_on,
    totalPoints: row.total_points,
    items: items.map((i) => ({
      item: i.item,
      hit: i.hit === 1,
      count: i.count,
      points: i.points,
      critical: i.critical === 1,
      note: i.note,
      evidence: i.evidence,
      recordedBy: i.recorded_by,
      recordedAt: i.recorded_at,
    })),
    history: await loadSteps(db, 'inspection', row.id),
  };
}

/**
 * R-QA-2: records item results (hit or not, count, note, evidence) on an inspection in progress,
 * by its assigned inspector, against the scorecard version in force on the conversation's day.
 * Every problem is reported at once and nothing is written when there is one.
 */
export async function scoreInspection(ctx: ServiceContext, ref: InspectionRef, entries: readonly ItemEntry[]): Promise<InspectionView> {
  const id = await writeTransaction(ctx.store.db).execute(async (trx) => {
    const actor = await actingAs(trx, ctx);
    const row = await findInspection(trx, ref);
    if (row.status !== 'in_progress') {
      throw new AppError(
        'invalid_state',
        `inspection #${row.id} is ${row.status}: items are recorded while it is in progress (start it first)`,
      );
    }
    if (actor.id !== row.inspector)
      throw new AppError('not_party', `only the assigned inspector ${row.inspector} records the items of inspection #${row.id}`);
    const agent = (await agentsOnDay(trx, row.day, [row.employee_id])).get(row.employee_id);
    if (!agent) throw new AppError('unknown_employee', `the inspected agent has no employment record on ${row.day}`);
    const { qa } = await qaPolicy(trx, ctx, monthOf(row.day as IsoDate));
    const card = scorecardFor(qa, agent.group, row.day);
    const problems: Problem[] = [];
    const seen = new Set<string>();
    entries.forEach((e, index) => {
      if (!card.version.items.some((i) => i.code === e.item)) {
        problems.push({
          path: `items[${index}].item`,
          message: `"${e.item}" is not an item of scorecard ${card.code} version ${card.version.version}, in force on ${row.day}`,
        });
      }
      if (seen.has(e.item)) problems.push({ path: `items[${index}].item`, message: `"${e.item}" is given twice` });
      seen.add(e.item);
      const count = e.count ?? (e.hit ? 1 : 0);
      if (e.hit && (!Number.isSafeInteger(count) || count < 1 || count > 1000)) {
        problems.push({ path: `items[${index}].count`, message: `must be a whole number from 1 to 1000, got ${String(e.count)}` });
      }
      if (!e.hit && count !== 0) problems.push({ path: `items[${index}].count`, message: 'an item not hit has no count' });
    });
    if (entries.length === 0) problems.push({ path: 'items', message: 'no item given' });
    if (problems.length > 0) {
      const code = problems.some((p) => p.message.includes('is not an item')) ? 'unknown_item' : 'invalid_input';
      throw new AppError(
        code,
        new ValidationError(problems, 'the item results are invalid').message,
        problems.map((p) => `${p.path}: ${p.message}`),
      );
    }
    const q = qaDb(trx);
    for (const e of entries) {
      const item = card.version.items.find((i) => i.code === e.item);
      if (!item) continue;
      const values = {
        hit: e.hit ? 1 : 0,
        count: e.hit ? (e.count ?? 1) : 0,
        points: item.points.toFixed(),
        critical: item.critical ? 1 : 0,
        note: e.note ?? null,
        evidence: e.evidence ?? null,
        recorded_by: actor.id,
        recorded_at: ctx.now(),
      };
      const existing = await q
        .selectFrom('qa_inspection_items')
        .selectAll()
        .where('inspection_id', '=', row.id)
        .where('item', '=', e.item)
        .executeTakeFirst();
      if (existing) await q.updateTable('qa_inspection_items').set(values).where('id', '=', existing.id).execute();
      else
        await q
          .insertInto('qa_inspection_items')
          .values({ inspection_id: row.id, item: e.item, deduction_id: null, ...values })
          .execute();
      await audit(trx, ctx, {
        action: 'qa.inspection.item',
        entity: 'qa_inspections',
        key: `${row.id}/${e.item}`,
        details: {
          before: existing ? { hit: existing.hit === 1, count: existing.count, note: existing.note, evidence: existing.evidence } : null,
          after: { hit: e.hit, count: values.count, note: values.note, evidence: values.evidence },
        },
      });
    }
    // The inspection records the version its items were checked against.
    if (row.scorecard !== card.code || row.scorecard_version !== card.version.version) {
      await q
        .updateTable('qa_inspections')
        .set({ scorecard: card.code, scorecard_version: card.version.version, updated_at: ctx.now() })
        .where('id', '=', row.id)
        .execute();
    }
    return row.id;
  });
  return inspectionView(ctx.store.db, id);
}

export type InspectionStep =
  | { type: 'start' | 'submit' | 'publish'; opinion?: string }
  | { type: 'return'; opinion: string }
  | { type: 'reassign'; inspectorId: string; opinion?: string };

export interface InspectionStepResult {
  id: number;
  status: string;
  inspector: string;
  /** For publish: the deduction lines written and their explanation. */
  deductions?: { item: string; points: string; count: number; subtotal: string; critical: boolean }[];
  total?: string;
  explain?: { zh: string; en: string };
  forfeits?: string[];
  /** The month's draft recomputed after publishing, if there was one. */
  recomputed?: RunSummary | null;
}

/** One step of an inspection (start, submit, return, reassign, publish) by the acting person. */
export async function stepInspection(ctx: ServiceContext, ref: InspectionRef, step: InspectionStep): Promise<InspectionStepResult> {
  const outcome = await writeTransaction(ctx.store.db).execute(async (trx) => {
    const actor = await actingAs(trx, ctx);
    const row = await findInspection(trx, ref);
    const month = monthOf(row.day as IsoDate);
    const { qa } = await qaPolicy(trx, ctx, month);
    const on = chinaDay(ctx.now());
    const event = { ...step, on, at: ctx.now() } as InspectionEvent;
    if (step.type === 'reassign') {
      const agent = (await agentsOnDay(trx, row.day, [row.employee_id])).get(row.employee_id);
      if (!agent) throw new AppError('unknown_employee', `the inspected agent has no employment record on ${row.day}`);
      const { who, logins } = await eligibleInspectors(trx, qa, agent, 'conversations');
      if (step.inspectorId !== agent.employeeNo && !logins.includes(step.inspectorId)) {
        throw new AppError(
          'not_inspector',
          `${step.inspectorId} may not inspect ${agent.employeeNo}: R-QA-3 names ${who === 'qa_group' ? 'a QA inspector' : `a team lead of ${agent.teamCode ?? 'their team'}`}`,
        );
      }
    }
    const result: InspectionStepResult = { id: row.id, status: row.status, inspector: row.inspector };
    // The machine decides first; the deductions are written before the status, which freezes the items.
    const plan = await planInspection(trx, actor, row, event, qa.disputeWindow.workingDays);
    if (step.type === 'publish') Object.assign(result, await writeDeductions(trx, ctx, row, qa.criticalForfeitsMonth));
    const next = await persistInspection(trx, ctx, row, event, plan);
    result.status = next.status;
    result.inspector = next.inspectorId;
    return { result, month };
  });
  if (step.type === 'publish') {
    outcome.result.recomputed = await recomputeAndSync(ctx, outcome.month, `QA inspection #${outcome.result.id} published`);
  }
  return outcome.result;
}

/** R-QA-4: the published inspection's deductions into `deductions` (origin 'qa'); critical hits recorded when they forfeit. */
async function writeDeductions(
  db: Db,
  ctx: ServiceContext,
  row: QaInspectionRow,
  criticalForfeits: boolean,
): Promise<Partial<InspectionStepResult>> {
  const q = qaDb(db);
  const agent = (await agentsOnDay(db, row.day, [row.employee_id])).get(row.employee_id);
  if (!agent) throw new AppError('unknown_employee', `the inspected agent has no employment record on ${row.day}`);
  const { qa } = await qaPolicy(db, ctx, monthOf(row.day as IsoDate));
  const card = scorecardFor(qa, agent.group, row.day);
  const items = await q.selectFrom('qa_inspection_items').selectAll().where('inspection_id', '=', row.id).execute();
  const stale = items.filter((i) => !card.version.items.some((c) => c.code === i.item));
  if (stale.length > 0) {
    throw new AppError(
      'unknown_item',
      `inspection #${row.id} has items not on scorecard ${card.code} version ${card.version.version}, in force on ${row.day}: ${stale.map((s) => s.item).join(', ')}`,
    );
  }
  const hits: ItemHit[] = items.filter((i) => i.hit === 1).map((i) => ({ item: i.item, count: i.count }));
  const result = inspectionDeductions(card.version, hits);
  const forfeits: string[] = [];
  for (const line of result.lines) {
    const deduction = await db
      .insertInto('deductions')
      .values({
        employee_id: row.employee_id,
        day: row.day,
        points: line.subtotal.toFixed(),
        category: `qa:${line.item}`,
        reason: `质检 QA inspection #${row.id}: ${line.description.zh}`,
        entered_by: row.inspector,
        origin: 'qa',
        import_id: null,
        created_at: ctx.now(),
        revoked_at: null,
        revoked_by: null,
        revoke_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q
      .updateTable('qa_inspection_items')
      .set({ deduction_id: deduction.id })
      .where('inspection_id', '=', row.id)
      .where('item', '=', line.item)
      .execute();
    if (line.critical && criticalForfeits) {
      await q
        .insertInto('qa_forfeitures')
        .values({
          employee_id: row.employee_id,
          month: monthOf(row.day as IsoDate),
          inspection_id: row.id,
          item: line.item,
          status: 'open',
          recorded_at: ctx.now(),
          decided_at: null,
          decided_by: null,
          note: null,
        })
        .execute();
      forfeits.push(line.item);
    }
  }
  await q
    .updateTable('qa_inspections')
    .set({ total_points: result.total.toFixed(), scorecard: card.code, scorecard_version: card.version.version })
    .where('id', '=', row.id)
    .execute();
  await audit(db, ctx, {
    action: 'qa.deductions_published',
    entity: 'deductions',
    key: `${agent.employeeNo}@${row.day}`,
    reason: `QA inspection #${row.id}`,
    details: {
      total: result.total.toFixed(),
      lines: result.lines.map((l) => ({ item: l.item, points: l.subtotal.toFixed() })),
      explain: result.explain,
      forfeits,
    },
  });
  return {
    deductions: result.lines.map((l) => ({
      item: l.item,
      points: l.points.toFixed(),
      count: l.count,
      subtotal: l.subtotal.toFixed(),
      critical: l.critical,
    })),
    total: result.total.toFixed(),
    explain: result.explain,
    forfeits,
  };
}

export interface InspectionListFilter {
  day?: string;
  inspector?: string;
  status?: string;
  employeeNo?: string;
}

export async function listInspections(db: Db, filter: InspectionListFilter = {}) {
  let query = qaDb(db)
    .selectFrom('qa_inspections as n')
    .innerJoin('employees as e', 'e.id', 'n.employee_id')
    .innerJoin('conversations as c', 'c.id', 'n.conversation_id')
    .select(['n.id', 'n.day', 'e.employee_no', 'c.source', 'c.external_id', 'n.inspector', 'n.status', 'n.total_points', 'n.published_on'])
    .where('n.withdrawn_at', 'is', null);
  if (filter.day) query = query.where('n.day', '=', filter.day);
  if (filter.inspector) query = query.where('n.inspector', '=', filter.inspector);
  if (filter.status) query = query.where('n.status', '=', filter.status as QaInspectionRow['status']);
  if (filter.employeeNo) query = query.where('e.employee_no', '=', filter.employeeNo);
  const rows = await query.orderBy('n.day').orderBy('e.employee_no').orderBy('n.id').execute();
  return rows.map((r) => ({
    id: r.id,
    day: r.day,
    employeeNo: r.employee_no,
    conversation: `${r.source}:${r.external_id}`,
    inspector: r.inspector,
    status: r.status,
    totalPoints: r.total_points,
    publishedOn: r.published_on,
  }));
}

export interface EfficiencyDeduction {
  employeeNo: string;
  day: string;
  points: Decimal | string | number;
  kind: 'efficiency' | 'discipline';
  reason: string;
}

/**
 * R-QA-3/4: an efficiency or discipline deduction, entered by the person R-QA-3 names for the
 * agent's group (their team lead, or the QA group), written as origin 'lead'; the month's draft
 * is recomputed if there is one.
 */
export async function enterDeduction(
  ctx: ServiceContext,
  entry: EfficiencyDeduction,
): Promise<{ inserted: boolean; recomputed: RunSummary | null }> {
  const day = requireDay(entry.day);
  const points = toDecimal(entry.points);
  if (points === undefined) throw new AppError('invalid_input', `points must be a number, got ${String(entry.points)}`);
  if (!points.isPositive() || points.isZero()) throw new AppError('invalid_input', `points must be above 0, got ${points.toFixed()}`);
  if (entry.kind !== 'efficiency' && entry.kind !== 'discipline')
    throw new AppError('invalid_input', `kind must be efficiency or discipline, got ${String(entry.kind)}`);
  if (entry.reason.trim() === '') throw new AppError('opinion_required', 'a deduction needs a reason');
  const month: Month = monthOf(day);
  const inserted = await writeTransaction(ctx.store.db).execute(async (trx) => {
    const actor = await resolveActor(trx, ctx.actor);
    const agent = await agentByNo(trx, entry.employeeNo, day);
    if (agent.employeeNo === actor.id) throw new AppError('own_case', 'nobody enters deductions on their own results');
    const { qa } = await qaPolicy(trx, ctx, month);
    const who = inspectorFor(qa, agent.group, 'efficiency');
    const allowed =
      who === 'team_lead'
        ? agent.teamId !== null && actor.roles.includes('team_lead') && actor.leadsTeams.includes(agent.teamId)
        : actor.roles.includes('qa_inspector') || actor.roles.includes('qa_manager');
    if (!allowed) {
      throw new AppError(
        'role_not_allowed',
        `R-QA-3: ${agent.group} agents' efficiency and discipline are inspected by ${who === 'team_lead' ? `their team lead (team ${agent.teamCode ?? 'none'})` : 'the QA group'}; ${actor.id} is not`,
      );
    }
    const counts = await addDeductions(trx, ctx, [
      { employeeNo: agent.employeeNo, day, points, category: entry.kind, reason: entry.reason.trim(), enteredBy: actor.id },
    ]);
    if (counts.inserted > 0) {
      await audit(trx, ctx, {
        action: 'qa.deduction_entered',
        entity: 'deductions',
        key: `${agent.employeeNo}@${day}`,
        reason: entry.reason.trim(),
        details: { kind: entry.kind, points: points.toFixed() },
      });
    }
    return counts.inserted > 0;
  });
  const recomputed = inserted ? await recomputeAndSync(ctx, month, `${entry.kind} deduction entered for ${entry.employeeNo}`) : null;
  return { inserted, recomputed };
}
