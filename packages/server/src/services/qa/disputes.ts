/**
 * Disputes as a service (R-DSP): the agent files one within the policy window (working days of the
 * Chinese statutory calendar, make-up days counted); the QA manager takes it into review; the QA
 * manager, the VIP manager and a basic team lead each record a view; the QA manager records the
 * panel's outcome; below-qualified months and disputes still open at the cut-off go to the
 * director, whose decision is final. Each step is core's dispute machine, persisted with its step
 * and audit entry in one transaction. A decided item dispute changes pay: an overturned deduction
 * is revoked, a changed one revoked and replaced (never deleted), and the month's draft recomputed.
 *
 * Where the spec is silent:
 * - The month's result is "published" when its payroll draft is first computed (the China day of
 *   payroll_runs.created_at); a month without a run cannot be disputed yet.
 * - The cut-off is the 21st of the next month (R-CYC: the 21st–22nd).
 * - The basic team lead's seat is taken by a team lead of a team in group `basic`.
 * - One dispute per subject: a second one is refused while the first is open or once it is
 *   decided (the decision is final); after a withdrawal the agent may file again in the window.
 * - Respondents (who decide nothing in the case): the inspector of a disputed item; for a month's
 *   result, every inspector of the agent's published inspections and every person who entered a
 *   deduction for the agent that month.
 * - A decision on the month's result is recorded and lifts the approval blocker; it changes no
 *   figure by itself (item disputes and HR's inputs do).
 */
import {
  bandStanding,
  Decimal,
  type DisputeCase,
  type DisputeDecision,
  type DisputeEvent,
  disputeMachine,
  type DisputeOutcome,
  type DisputeSubject,
  firstDayOf,
  type IsoDate,
  lastDayOf,
  type Month,
  monthOf,
  newDispute,
  type PanelView,
  transition,
} from '@ladder/core';
import type { QaDisputeRow } from '../../db/schema-qa.js';
import { audit } from '../audit.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { revokeDeduction } from '../inputs.js';
import { type RunSummary } from '../payroll/runs.js';
import { agentsOnDay } from './agents.js';
import { chinaDay, loadSteps, qaDb, refusalError, saveStep } from './db.js';
import { fireInspection, findInspection, type InspectionRef } from './inspections.js';
import { cutoffOf, qaPolicy } from './policy.js';
import { recomputeAndSync, requireMonth } from './signoffs.js';
import { actingAs, type QaActor } from './users.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

export type DisputeRequest = { inspection: InspectionRef; item: string } | { month: string };

export type DisputeStep =
  | { type: 'review' | 'escalate' | 'withdraw'; opinion?: string }
  | { type: 'record_view'; view: DisputeOutcome; points?: string; opinion: string }
  | { type: 'decide' | 'director_decide'; outcome: DisputeOutcome; points?: string; opinion: string };

export interface DisputeView {
  id: number;
  employeeNo: string;
  month: string;
  subject: { kind: 'inspection_item'; inspectionId: number; item: string; points: string } | { kind: 'month_result' };
  status: string;
  publishedOn: string;
  cutoffOn: string;
  belowQualified: boolean;
  views: { seat: string; by: string; on: string; view: string; points?: string; opinion: string }[];
  escalation: unknown;
  panelDecision: unknown;
  decision: unknown;
  history: { event: string; from: string; to: string; by: string; as: string; on: string; opinion?: string }[];
  /** After a step that changed deductions: the month's draft recomputed (null when there was none to recompute). */
  recomputed?: RunSummary | null;
}

function decisionJson(d: DisputeDecision | undefined): string | null {
  if (!d) return null;
  return JSON.stringify({ ...d, ...(d.points !== undefined ? { points: d.points.toFixed() } : {}) });
}

function decisionOf(text: string | null): DisputeDecision | undefined {
  if (text === null) return undefined;
  const raw = JSON.parse(text) as DisputeDecision & { points?: string };
  const d: DisputeDecision = { level: raw.level, outcome: raw.outcome, by: raw.by, on: raw.on, opinion: raw.opinion };
  if (raw.points !== undefined) d.points = new Decimal(raw.points);
  return d;
}

function parsePoints(value: string | undefined): Decimal | undefined {
  if (value === undefined) return undefined;
  try {
    return new Decimal(value);
  } catch {
    throw new AppError('invalid_input', `points must be a number, got ${value}`);
  }
}

/** The core case of a stored dispute, with its views and history. */
async function disputeCase(db: Db, row: QaDisputeRow): Promise<DisputeCase> {
  const agent = await db.selectFrom('employees').select('employee_no').where('id', '=', row.employee_id).executeTakeFirstOrThrow();
  const views = await qaDb(db).selectFrom('qa_dispute_views').selectAll().where('dispute_id', '=', row.id).orderBy('id').execute();
  const subject: DisputeSubject =
    row.subject_kind === 'inspection_item'
      ? { kind: 'inspection_item', inspectionId: String(row.inspection_id), item: row.item ?? '', points: new Decimal(row.points ?? '0') }
      : { kind: 'month_result' };
  const c: DisputeCase = {
    disputeId: String(row.id),
    agentId: agent.employee_no,
    subject,
    month: row.month as Month,
    publishedOn: row.published_on as IsoDate,
    respondents: JSON.parse(row.respondents) as string[],
    cutoffOn: row.cutoff_on as IsoDate,
    belowQualified: row.below_qualified === 1,
    status: row.status,
    views: views.map((v) => {
      const view: PanelView = { seat: v.seat, by: v.by_user, on: v.on_day as IsoDate, view: v.view, opinion: v.opinion };
      if (v.points !== null) view.points = new Decimal(v.points);
      return view;
    }),
    history: (await loadSteps(db, 'dispute', row.id)) as DisputeCase['history'],
  };
  if (row.escalation !== null) c.escalation = JSON.parse(row.escalation) as NonNullable<DisputeCase['escalation']>;
  const panel = decisionOf(row.panel_decision);
  if (panel) c.panelDecision = panel;
  const decision = decisionOf(row.decision);
  if (decision) c.decision = decision;
  return c;
}

async function loadDispute(db: Db, id: number): Promise<QaDisputeRow> {
  const row = await qaDb(db).selectFrom('qa_disputes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `no dispute #${id}`);
  return row;
}

/** Whether the agent's month is below qualified now (R-PAY-7): its deductions' band grade, or a forfeiture that stands. */
async function monthBelowQualified(db: Db, ctx: ServiceContext, employeeId: number, month: Month): Promise<boolean> {
  const { policy } = await qaPolicy(db, ctx, month);
  const agents = await agentsOnDay(db, firstDayOf(month), [employeeId]);
  const agent = agents.get(employeeId) ?? (await agentsOnDay(db, lastDayOf(month), [employeeId])).get(employeeId);
  const bandsName = agent ? policy.groups[agent.group]?.bands : undefined;
  const bands = bandsName ? policy.bands[bandsName] : undefined;
  if (!bands) return false;
  const forfeit = await qaDb(db)
    .selectFrom('qa_forfeitures')
    .select('id')
    .where('employee_id', '=', employeeId)
    .where('month', '=', month)
    .where('status', '!=', 'void')
    .executeTakeFirst();
  if (forfeit) return true;
  const rows = await db
    .selectFrom('deductions')
    .select('points')
    .where('employee_id', '=', employeeId)
    .where('day', '>=', firstDayOf(month))
    .where('day', '<=', lastDayOf(month))
    .where('revoked_at', 'is', null)
    .execute();
  const total = rows.reduce((sum, r) => sum.plus(r.points), new Decimal(0));
  const standing = bandStanding(bands, total);
  return policy.grades[standing.grade]?.qualified === false;
}

/** R-DSP-1: the agent disputes a published inspection item, or the month's result, within the window. */
export async function fileDispute(ctx: ServiceContext, request: DisputeRequest, reason: string): Promise<DisputeView> {
  const id = await writeTransaction(ctx.store.db).execute(async (trx) => {
    const actor = await actingAs(trx, ctx);
    const q = qaDb(trx);
    const on = chinaDay(ctx.now());
    let employeeId: number;
    let month: Month;
    let subject: DisputeSubject;
    let publishedOn: IsoDate | undefined;
    let respondents: string[];
    let deductionId: number | null = null;
    let inspection: Awaited<ReturnType<typeof findInspection>> | undefined;
    if ('inspection' in request) {
      inspection = await findInspection(trx, request.inspection);
      employeeId = inspection.employee_id;
      month = monthOf(inspection.day as IsoDate);
      const item = await q
        .selectFrom('qa_inspection_items as i')
        .leftJoin('deductions as d', 'd.id', 'i.deduction_id')
        .select(['i.item', 'i.hit', 'i.deduction_id', 'd.points', 'd.revoked_at'])
        .where('i.inspection_id', '=', inspection.id)
        .where('i.item', '=', request.item)
        .executeTakeFirst();
      if (inspection.status === 'published' || inspection.status === 'disputed') {
        if (!item || item.hit !== 1 || item.deduction_id === null || item.points === null) {
          throw new AppError('not_disputable', `inspection #${inspection.id} deducted nothing for item ${request.item}`);
        }
        if (item.revoked_at !== null) throw new AppError('not_disputable', `the deduction for item ${request.item} was already revoked`);
      }
      deductionId = item?.deduction_id ?? null;
      subject = {
        kind: 'inspection_item',
        inspectionId: String(inspection.id),
        item: request.item,
        points: new Decimal(item?.points ?? '0'),
      };
      publishedOn = (inspection.published_on ?? undefined) as IsoDate | undefined;
      respondents = [inspection.inspector];
    } else {
      month = requireMonth(request.month);
      if (actor.employeeId === null) throw new AppError('role_not_allowed', 'only the agent whose month it is may dispute it');
      employeeId = actor.employeeId;
      const run = await trx.selectFrom('payroll_runs').select('created_at').where('month', '=', month).executeTakeFirst();
      publishedOn = run ? chinaDay(run.created_at) : undefined;
      subject = { kind: 'month_result' };
      const inspectors = await q
        .selectFrom('qa_inspections')
        .select('inspector')
        .where('employee_id', '=', employeeId)
        .where('day', '>=', firstDayOf(month))
        .where('day', '<=', lastDayOf(month))
        .where('published_on', 'is not', null)
        .execute();
      const enteredBy = await trx
        .selectFrom('deductions')
        .select('entered_by')
        .where('employee_id', '=', employeeId)
        .where('day', '>=', firstDayOf(month))
        .where('day', '<=', lastDayOf(month))
        .where('revoked_at', 'is', null)
        .execute();
      respondents = [...new Set([...inspectors.map((i) => i.inspector), ...enteredBy.map((d) => d.entered_by)])].sort();
    }
    let previous = q
      .selectFrom('qa_disputes')
      .select(['id', 'status', 'decision'])
      .where('employee_id', '=', employeeId)
      .where('month', '=', month);
    previous =
      subject.kind === 'inspection_item'
        ? previous.where('inspection_id', '=', Number(subject.inspectionId)).where('item', '=', subject.item)
        : previous.where('subject_kind', '=', 'month_result');
    for (const p of await previous.execute()) {
      if (p.status !== 'closed') throw new AppError('already_disputed', `dispute #${p.id} about the same result is still open`);
      if (decisionOf(p.decision)?.level !== 'withdrawn')
        throw new AppError('already_decided', `dispute #${p.id} about the same result was decided; the decision is final`);
    }
    const { qa } = await qaPolicy(trx, ctx, month);
    const draft = newDispute({
      disputeId: 'new',
      agentId: (await trx.selectFrom('employees').select('employee_no').where('id', '=', employeeId).executeTakeFirstOrThrow()).employee_no,
      subject,
      month,
      ...(publishedOn ? { publishedOn } : {}),
      respondents,
      cutoffOn: cutoffOf(month),
      belowQualified: await monthBelowQualified(trx, ctx, employeeId, month),
    });
    const machine = disputeMachine({ disputeWindowDays: qa.disputeWindow.workingDays });
    const result = transition(machine, draft, { type: 'file', on, at: ctx.now(), opinion: reason }, actor);
    if (!result.ok) throw refusalError(result);
    const row = await q
      .insertInto('qa_disputes')
      .values({
        employee_id: employeeId,
        month,
        subject_kind: subject.kind,
        inspection_id: subject.kind === 'inspection_item' ? Number(subject.inspectionId) : null,
        item: subject.kind === 'inspection_item' ? subject.item : null,
        points: subject.kind === 'inspection_item' ? subject.points.toFixed() : null,
        published_on: publishedOn as string,
        respondents: JSON.stringify(respondents),
        cutoff_on: draft.cutoffOn,
        below_qualified: draft.belowQualified ? 1 : 0,
        status: result.state.status,
        escalation: null,
        panel_decision: null,
        decision: null,
        deduction_id: deductionId,
        replacement_deduction_id: null,
        filed_at: ctx.now(),
        updated_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await saveStep(trx, 'dispute', row.id, 1, result.step, ctx.now());
    if (inspection) {
      await fireInspection(
        trx,
        ctx,
        actor,
        inspection,
        { type: 'dispute', on, at: ctx.now(), opinion: reason },
        qa.disputeWindow.workingDays,
      );
    }
    await audit(trx, ctx, {
      action: 'qa.dispute.file',
      entity: 'qa_disputes',
      key: String(row.id),
      reason,
      details: {
        subject: subject.kind === 'inspection_item' ? { ...subject, points: subject.points.toFixed() } : subject,
        month,
        belowQualified: draft.belowQualified,
      },
    });
    return row.id;
  });
  return disputeView(ctx.store.db, id);
}

async function leadsBasicTeam(db: Db, actor: QaActor): Promise<boolean> {
  if (actor.leadsTeams.length === 0) return false;
  const row = await db
    .selectFrom('teams')
    .select('id')
    .where('id', 'in', actor.leadsTeams)
    .where('group_code', '=', 'basic')
    .executeTakeFirst();
  return row !== undefined;
}

/** Applies a closing decision to the deductions: overturned → revoked; changed → revoked and replaced. Returns the replacement's id. */
async function applyDecision(
  db: Db,
  ctx: ServiceContext,
  row: QaDisputeRow,
  decision: DisputeDecision,
): Promise<{ changed: boolean; replacement: number | null }> {
  if (row.subject_kind !== 'inspection_item' || row.deduction_id === null) return { changed: false, replacement: null };
  if (decision.outcome !== 'overturned' && decision.outcome !== 'changed') return { changed: false, replacement: null };
  const reason = `dispute #${row.id} ${decision.outcome}: ${decision.opinion}`;
  await revokeDeduction(db, ctx, row.deduction_id, reason);
  let replacement: number | null = null;
  const points = decision.points;
  if (decision.outcome === 'changed' && points && !points.isZero()) {
    const original = await db.selectFrom('deductions').selectAll().where('id', '=', row.deduction_id).executeTakeFirstOrThrow();
    const inserted = await db
      .insertInto('deductions')
      .values({
        employee_id: original.employee_id,
        day: original.day,
        points: points.toFixed(),
        category: original.category,
        reason: `${original.reason} (changed on dispute #${row.id})`,
        entered_by: original.entered_by,
        origin: original.origin,
        import_id: null,
        created_at: ctx.now(),
        revoked_at: null,
        revoked_by: null,
        revoke_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    replacement = inserted.id;
    await audit(db, ctx, {
      action: 'deduction.replaced',
      entity: 'deductions',
      key: String(row.deduction_id),
      reason,
      details: { replacement: inserted.id, before: original.points, after: points.toFixed() },
    });
  }
  if (decision.outcome === 'overturned' || !points || points.isZero()) {
    await qaDb(db)
      .updateTable('qa_forfeitures')
      .set({ status: 'void', decided_at: ctx.now(), decided_by: decision.by, note: reason })
      .where('inspection_id', '=', row.inspection_id as number)
      .where('item', '=', row.item as string)
      .where('status', '=', 'open')
      .execute();
  }
  return { changed: true, replacement };
}

/** One step of a dispute by the acting person; a closing decision on an item changes the deductions and recomputes the draft. */
export async function stepDispute(ctx: ServiceContext, id: number, step: DisputeStep): Promise<DisputeView> {
  const outcome = await writeTransaction(ctx.store.db).execute(async (trx) => {
    const actor = await actingAs(trx, ctx);
    const row = await loadDispute(trx, id);
    const before = await disputeCase(trx, row);
    const { qa } = await qaPolicy(trx, ctx, row.month as Month);
    const base = { on: chinaDay(ctx.now()), at: ctx.now(), ...(step.opinion !== undefined ? { opinion: step.opinion } : {}) };
    let event: DisputeEvent;
    if (step.type === 'record_view') {
      const points = parsePoints(step.points);
      event = { ...base, type: 'record_view', view: step.view, ...(points ? { points } : {}) };
    } else if (step.type === 'decide' || step.type === 'director_decide') {
      const points = parsePoints(step.points);
      event = { ...base, type: step.type, outcome: step.outcome, ...(points ? { points } : {}) };
    } else {
      event = { ...base, type: step.type };
    }
    const result = transition(disputeMachine({ disputeWindowDays: qa.disputeWindow.workingDays }), before, event, actor);
    if (!result.ok) throw refusalError(result);
    if (result.step.as === 'team_lead' && !(await leadsBasicTeam(trx, actor))) {
      throw new AppError(
        'not_basic_team_lead',
        `the panel's team-lead seat is for a basic team lead (R-DSP-2); ${actor.id} leads no team of group basic`,
      );
    }
    const next = result.state;
    const q = qaDb(trx);
    if (step.type === 'record_view') {
      const view = next.views[next.views.length - 1] as PanelView;
      await q
        .insertInto('qa_dispute_views')
        .values({
          dispute_id: id,
          seat: view.seat,
          by_user: view.by,
          on_day: view.on,
          view: view.view,
          points: view.points?.toFixed() ?? null,
          opinion: view.opinion,
          recorded_at: ctx.now(),
        })
        .execute();
    }
    let effect = { changed: false, replacement: null as number | null };
    if (next.status === 'closed' && next.decision) effect = await applyDecision(trx, ctx, row, next.decision);
    await q
      .updateTable('qa_disputes')
      .set({
        status: next.status,
        escalation: next.escalation ? JSON.stringify(next.escalation) : null,
        panel_decision: decisionJson(next.panelDecision),
        decision: decisionJson(next.decision),
        replacement_deduction_id: effect.replacement,
        updated_at: ctx.now(),
      })
      .where('id', '=', id)
      .execute();
    await saveStep(trx, 'dispute', id, before.history.length + 1, result.step, ctx.now());
    await audit(trx, ctx, {
      action: `qa.dispute.${step.type}`,
      entity: 'qa_disputes',
      key: String(id),
      reason: step.opinion ?? null,
      details: {
        from: before.status,
        to: next.status,
        as: result.step.as,
        ...('view' in step ? { view: step.view } : {}),
        ...('outcome' in step ? { outcome: step.outcome } : {}),
        ...('points' in step && step.points !== undefined ? { points: step.points } : {}),
        ...(effect.changed ? { deductionRevoked: row.deduction_id, replacement: effect.replacement } : {}),
      },
    });
    return { changed: effect.changed, month: row.month as Month };
  });
  const view = await disputeView(ctx.store.db, id);
  if (outcome.changed) view.recomputed = await recomputeAndSync(ctx, outcome.month, `dispute #${id} decided`);
  return view;
}

export async function disputeView(db: Db, id: number): Promise<DisputeView> {
  const row = await loadDispute(db, id);
  const c = await disputeCase(db, row);
  const points = (d: DisputeDecision | undefined) => (d ? { ...d, ...(d.points ? { points: d.points.toFixed() } : {}) } : null);
  return {
    id,
    employeeNo: c.agentId,
    month: c.month,
    subject:
      c.subject.kind === 'inspection_item'
        ? {
            kind: 'inspection_item',
            inspectionId: Number(c.subject.inspectionId),
            item: c.subject.item,
            points: c.subject.points.toFixed(),
          }
        : { kind: 'month_result' },
    status: c.status,
    publishedOn: row.published_on,
    cutoffOn: c.cutoffOn,
    belowQualified: c.belowQualified,
    views: c.views.map((v) => ({
      seat: v.seat,
      by: v.by,
      on: v.on,
      view: v.view,
      ...(v.points ? { points: v.points.toFixed() } : {}),
      opinion: v.opinion,
    })),
    escalation: c.escalation ?? null,
    panelDecision: points(c.panelDecision),
    decision: points(c.decision),
    history: [...c.history],
  };
}

export async function listDisputes(db: Db, month: string): Promise<DisputeView[]> {
  const rows = await qaDb(db).selectFrom('qa_disputes').select('id').where('month', '=', month).orderBy('id').execute();
  return Promise.all(rows.map((r) => disputeView(db, r.id)));
}
