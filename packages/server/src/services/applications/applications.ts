/**
 * R-APP: promotion applications persisted. Every step is core's `transition` on the stored case,
 * written with its step row and audit entry in one transaction; a refused step writes nothing.
 * The actor's roles come from the store (an employee is an agent; other roles are granted in
 * user_roles); the step's day is the China day of the context's clock. Making a promotion
 * effective writes the new position or level into employee_history in the same transaction.
 */
import {
  type Actor,
  checkEligibility,
  Decimal,
  type IsoDate,
  monthOf,
  newApplication,
  type PromotionCase,
  type PromotionEvent,
  promotionMachine,
  type PromotionRules,
  type PromotionTarget,
  type Role,
  transition,
} from '@ladder/core';
import type { ApplicationRow, ApplicationStepRow, ApplicationTrack } from '../../db/schema-applications.js';
import type { EmployeeHistoryRow, Position } from '../../db/schema.js';
import { audit } from '../audit.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { policyForMonth } from '../policies.js';
import { resolveActor } from '../qa/users.js';
import { appDb, chinaDay } from './db.js';
import { gatherFacts } from './facts.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

const POSITIONS: readonly Position[] = ['agent', 'team_lead', 'supervisor', 'manager'];
const RECORDERS: readonly Role[] = ['team_lead', 'cs_manager', 'hr'];

export interface ApplicationView {
  id: number;
  employeeNo: string;
  name: string;
  track: ApplicationTrack;
  from: string | null;
  to: string;
  status: string;
  workSummary: string;
  achievements: string;
  notice: { opensOn: string; closesOn: string } | null;
  effectiveOn: string | null;
  case: PromotionCase;
  steps: ApplicationStepRow[];
}

// --- the case as JSON (decimals as text) ---

function toJson(c: PromotionCase): string {
  return JSON.stringify(c, (_key, value: unknown) => (value instanceof Decimal ? value.toString() : value));
}

function fromJson(text: string): PromotionCase {
  const raw = JSON.parse(text) as PromotionCase & Record<string, unknown>;
  const facts = { ...raw.facts } as Record<string, unknown>;
  for (const key of ['csat', 'complaintResolutionRate', 'handleTime', 'testScore'])
    if (typeof facts[key] === 'string') facts[key] = new Decimal(facts[key]);
  return {
    ...raw,
    facts: facts as PromotionCase['facts'],
    panel: raw.panel.map((p) => ({ ...p, interview: new Decimal(p.interview), caseAnalysis: new Decimal(p.caseAnalysis) })),
  };
}

async function actorOf(db: Db, ctx: ServiceContext): Promise<Actor> {
  const actor = await resolveActor(db, ctx.actor);
  if (actor.roles.length === 0)
    throw new AppError('unknown_user', `${ctx.actor} is neither an employee nor a user with a role (an admin grants roles)`);
  return { id: actor.id, roles: actor.roles };
}

async function rulesFor(db: Db, ctx: ServiceContext, on: IsoDate): Promise<{ rules: PromotionRules; versionId: number }> {
  const stored = await policyForMonth(db, ctx, monthOf(on));
  if (!stored.policy.promotion)
    throw new AppError('no_promotion_rules', `the policy in force on ${on} (version ${stored.policy.version}) has no promotion section`);
  return { rules: stored.policy.promotion, versionId: stored.id };
}

function refused(reason: { zh: string; en: string }, code: string): AppError {
  return new AppError(code, `${reason.zh} — ${reason.en}`);
}

function stepDetails(event: PromotionEvent, next: PromotionCase): Record<string, unknown> | null {
  switch (event.type) {
    case 'lead_opinion':
      return { recommend: event.recommend };
    case 'decide':
      return { outcome: event.outcome };
    case 'publish_notice':
      return { notice: next.notice };
    case 'uphold_objection':
    case 'dismiss_objection':
      return { objection: event.objection };
    case 'make_effective':
      return { effectiveOn: event.effectiveOn };
    default:
      return null;
  }
}

async function writeStep(
  db: Db,
  ctx: ServiceContext,
  id: number,
  previous: { status: string; revision: number },
  event: PromotionEvent,
  next: PromotionCase,
  extra: Record<string, unknown> | null = null,
): Promise<void> {
  const a = appDb(db);
  const step = next.history.at(-1);
  if (!step) throw new Error('unreachable: a transition without a step');
  const now = ctx.now();
  const updated = await a
    .updateTable('applications')
    .set({
      status: next.status,
      state: toJson(next),
      revision: previous.revision + 1,
      notice_opens_on: next.notice?.opensOn ?? null,
      notice_closes_on: next.notice?.closesOn ?? null,
      effective_on: next.effectiveOn ?? null,
      updated_at: now,
      updated_by: ctx.actor,
    })
    .where('id', '=', id)
    .where('revision', '=', previous.revision)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1)
    throw new AppError('concurrent_change', `application ${id} changed while this step was being taken; try again`);
  const details = { ...(stepDetails(event, next) ?? {}), ...(extra ?? {}) };
  await a
    .insertInto('application_steps')
    .values({
      application_id: id,
      seq: next.history.length,
      event: step.event,
      from_status: step.from,
      to_status: step.to,
      actor: step.by,
      role: step.as,
      on_day: step.on,
      at: now,
      opinion: step.opinion ?? null,
      interview_score: event.type === 'panel_review' ? event.interview.toString() : null,
      case_analysis_score: event.type === 'panel_review' ? event.caseAnalysis.toString() : null,
      details: Object.keys(details).length === 0 ? null : JSON.stringify(details),
    })
    .execute();
  await audit(db, ctx, {
    action: `application.${event.type}`,
    entity: 'applications',
    key: String(id),
    reason: step.opinion ?? null,
    details: { from: step.from, to: step.to, role: step.as, on: step.on, ...details },
  });
}

// --- submission ---

export interface SubmitRequest {
  employeeNo: string;
  track: ApplicationTrack;
  to: string;
  workSummary: string;
  achievements: string;
}

/** R-APP-1/2: checks eligibility from stored data and files the application; refused with every failed indicator. */
export async function submitApplication(ctx: ServiceContext, request: SubmitRequest): Promise<ApplicationView> {
  const id = await writeTransaction(ctx.store.db).execute(async (trx) => {
    const a = appDb(trx);
    if (request.track !== 'level' && request.track !== 'position')
      throw new AppError('invalid_input', `track must be level or position, got ${String(request.track)}`);
    if (request.workSummary.trim() === '' || request.achievements.trim() === '')
      throw new AppError('invalid_input', '须填写工作总结和主要业绩 — a work summary and achievements are required');
    const employee = await trx
      .selectFrom('employees')
      .select(['id', 'employee_no', 'hired_on'])
      .where('employee_no', '=', request.employeeNo)
      .executeTakeFirst();
    if (!employee) throw new AppError('unknown_employee', `unknown employee ${request.employeeNo}`);
    const on = chinaDay(ctx.now()) as IsoDate;
    const { rules, versionId } = await rulesFor(trx, ctx, on);
    const gathered = await gatherFacts(trx, employee, on, rules.performancePeriodMonths);
    const current = gathered.current;
    const target: PromotionTarget =
      request.track === 'position'
        ? { track: 'position', from: current.position === 'agent' ? null : current.position, to: request.to }
        : { track: 'level', from: current.level, to: request.to };
    const actor = await actorOf(trx, ctx);
    const draft = newApplication({ applicationId: 'new', applicantId: employee.employee_no, target, facts: gathered.facts });
    const event: PromotionEvent = {
      type: 'submit',
      on,
      at: ctx.now(),
      opinion: `工作总结 work summary:\n${request.workSummary.trim()}\n\n主要业绩 achievements:\n${request.achievements.trim()}`,
    };
    const result = transition(promotionMachine({ rules }), draft, event, actor);
    if (!result.ok) {
      const error = refused(result.reason, result.code);
      if (result.code === 'not_eligible') {
        const checks = eligibilityLines(draft, rules, on);
        throw new AppError(result.code, error.message, checks);
      }
      throw error;
    }
    const now = ctx.now();
    const row = await a
      .insertInto('applications')
      .values({
        applicant_id: employee.id,
        track: request.track,
        from_code: target.from,
        to_code: target.to,
        work_summary: request.workSummary.trim(),
        achievements: request.achievements.trim(),
        status: 'draft',
        state: toJson(draft),
        revision: 0,
        policy_version_id: versionId,
        notice_opens_on: null,
        notice_closes_on: null,
        effective_on: null,
        history_id: null,
        created_at: now,
        created_by: ctx.actor,
        updated_at: now,
        updated_by: ctx.actor,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const next = { ...result.state, applicationId: String(row.id) };
    await writeStep(trx, ctx, row.id, { status: 'draft', revision: 0 }, event, next, {
      facts: gathered.sources,
      period: gathered.period,
      eligibility: next.eligibility?.checks.map((c) => c.explain),
    });
    return row.id;
  });
  return showApplication(ctx.store.db, id);
}

function eligibilityLines(c: PromotionCase, rules: PromotionRules, on: IsoDate): string[] {
  return checkEligibility(rules, c.target, c.facts, on)
    .checks.filter((check) => !check.pass)
    .map((check) => `${check.explain.zh} — ${check.explain.en}`);
}

// --- the steps after submission ---

type StepEvent = PromotionEvent extends infer E ? (E extends { type: infer T } ? Omit<E, 'on' | 'at'> & { type: T } : never) : never;

async function loadRow(db: Db, id: number): Promise<ApplicationRow> {
  const row = await appDb(db).selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('unknown_application', `unknown application ${id}`);
  return row;
}

async function step(
  ctx: ServiceContext,
  id: number,
  build: StepEvent,
  after?: (trx: Db, row: ApplicationRow, next: PromotionCase) => Promise<Record<string, unknown> | null>,
): Promise<ApplicationView> {
  await writeTransaction(ctx.store.db).execute(async (trx) => {
    const row = await loadRow(trx, id);
    const on = chinaDay(ctx.now()) as IsoDate;
    const { rules } = await rulesFor(trx, ctx, on);
    const actor = await actorOf(trx, ctx);
    const current = fromJson(row.state);
    const event = { ...build, on, at: ctx.now() } as PromotionEvent;
    const result = transition(promotionMachine({ rules }), current, event, actor);
    if (!result.ok) throw refused(result.reason, result.code);
    const extra = after ? await after(trx, row, result.state) : null;
    await writeStep(trx, ctx, id, row, event, result.state, extra);
  });
  return showApplication(ctx.store.db, id);
}

/** The team lead's or supervisor's opinion (team_lead of the applicant's team, or cs_manager). */
export async function giveOpinion(ctx: ServiceContext, id: number, recommend: boolean, opinion: string): Promise<ApplicationView> {
  await leadsApplicant(ctx, id);
  return step(ctx, id, { type: 'lead_opinion', recommend, opinion });
}

/** A team lead gives the opinion only on an applicant of a team they lead (a CS manager on anyone's). */
async function leadsApplicant(ctx: ServiceContext, id: number): Promise<void> {
  const db = ctx.store.db;
  const actor = await resolveActor(db, ctx.actor);
  if (actor.roles.includes('cs_manager') || !actor.roles.includes('team_lead')) return;
  const row = await loadRow(db, id);
  const on = chinaDay(ctx.now());
  const state = await db
    .selectFrom('employee_history')
    .select('team_id')
    .where('employee_id', '=', row.applicant_id)
    .where('effective_from', '<=', on)
    .orderBy('effective_from', 'desc')
    .executeTakeFirst();
  if (state?.team_id === null || state?.team_id === undefined || !actor.leadsTeams.includes(state.team_id))
    throw new AppError('not_party', `只有申请人所在组的组长可以填写上级意见 — only the lead of the applicant's team may give this opinion`);
}

export async function scorePanel(ctx: ServiceContext, id: number, interview: string, caseAnalysis: string, opinion: string) {
  const parse = (v: string, what: string) => {
    try {
      return new Decimal(v);
    } catch {
      throw new AppError('invalid_input', `${what} must be a number, got ${v}`);
    }
  };
  return step(ctx, id, {
    type: 'panel_review',
    interview: parse(interview, 'the interview score'),
    caseAnalysis: parse(caseAnalysis, 'the case-analysis score'),
    opinion,
  });
}

export async function decideApplication(ctx: ServiceContext, id: number, outcome: 'approved' | 'rejected', opinion: string) {
  return step(ctx, id, { type: 'decide', outcome, opinion });
}

/** HR publishes the notice today; it closes on the N-th working day after (statutory calendar). */
export async function publishNotice(ctx: ServiceContext, id: number, opinion?: string) {
  return step(ctx, id, { type: 'publish_notice', ...(opinion ? { opinion } : {}) });
}

export async function objectToApplication(ctx: ServiceContext, id: number, reason: string) {
  return step(ctx, id, { type: 'object', opinion: reason });
}

/** The director rules on objection `objection` (1-based as shown). */
export async function ruleOnObjection(ctx: ServiceContext, id: number, objection: number, upheld: boolean, opinion: string) {
  return step(ctx, id, { type: upheld ? 'uphold_objection' : 'dismiss_objection', objection: objection - 1, opinion });
}

export async function withdrawApplication(ctx: ServiceContext, id: number, reason?: string) {
  return step(ctx, id, { type: 'withdraw', ...(reason ? { opinion: reason } : {}) });
}

/**
 * HR makes the promotion effective on `effectiveOn` (after the notice): the new position or level
 * becomes the applicant's employee_history state from that day, audited, with the step.
 */
export async function makeEffective(ctx: ServiceContext, id: number, effectiveOn: string, opinion?: string) {
  return step(ctx, id, { type: 'make_effective', effectiveOn, ...(opinion ? { opinion } : {}) }, async (trx, row, next) => {
    const day = next.effectiveOn as IsoDate;
    const employee = await trx.selectFrom('employees').select('employee_no').where('id', '=', row.applicant_id).executeTakeFirstOrThrow();
    const rows = await trx
      .selectFrom('employee_history')
      .selectAll()
      .where('employee_id', '=', row.applicant_id)
      .orderBy('effective_from')
      .execute();
    const current = rows.filter((r) => r.effective_from <= day).at(-1);
    const field = row.track === 'position' ? 'position' : 'level';
    const was = (r: EmployeeHistoryRow) => (row.track === 'position' ? r.position : r.level);
    const expected = row.track === 'position' ? (row.from_code ?? 'agent') : row.from_code;
    if (!current || current.status !== 'active' || was(current) !== expected)
      throw new AppError(
        'application_stale',
        `${employee.employee_no}'s ${field} on ${day} is ${current ? was(current) : 'unknown'}, the application was made from ${expected ?? '—'}`,
      );
    if (row.track === 'position' && !POSITIONS.includes(row.to_code as Position))
      throw new AppError('invalid_input', `${row.to_code} is not a position the store knows (${POSITIONS.join(', ')})`);
    const reason = `R-APP application ${id}: ${field} ${expected ?? '—'} → ${row.to_code}`;
    const now = ctx.now();
    const change = row.track === 'position' ? { position: row.to_code as Position } : { level: row.to_code, base_pay_fen: null };
    const after = {
      group_code: current.group_code,
      level: current.level,
      position: current.position,
      team_id: current.team_id,
      base_pay_fen: current.base_pay_fen,
      probation_end: current.probation_end,
      junior_since: current.junior_since,
      status: current.status,
      transfer_to: current.transfer_to,
      ...change,
    };
    const oldReason = current.reason;
    let historyId: number;
    if (current.effective_from === day) {
      await trx
        .updateTable('employee_history')
        .set({ ...after, recorded_at: now, recorded_by: ctx.actor, reason: `${oldReason}; ${reason}` })
        .where('id', '=', current.id)
        .execute();
      historyId = current.id;
    } else {
      const inserted = await trx
        .insertInto('employee_history')
        .values({ employee_id: row.applicant_id, effective_from: day, ...after, recorded_at: now, recorded_by: ctx.actor, reason })
        .returning('id')
        .executeTakeFirstOrThrow();
      historyId = inserted.id;
    }
    await audit(trx, ctx, {
      action: 'employee.state',
      entity: 'employee_history',
      key: `${employee.employee_no}@${day}`,
      reason,
      details: { before: current, after, application: id },
    });
    // Later states still carrying the old value follow the change.
    for (const later of rows.filter((r) => r.effective_from > day && was(r) === expected)) {
      await trx
        .updateTable('employee_history')
        .set({ ...change, recorded_at: now, recorded_by: ctx.actor, reason: `${later.reason}; ${reason}` })
        .where('id', '=', later.id)
        .execute();
      await audit(trx, ctx, {
        action: 'employee.state',
        entity: 'employee_history',
        key: `${employee.employee_no}@${later.effective_from}`,
        reason,
        details: { before: later, change, application: id },
      });
    }
    await appDb(trx).updateTable('applications').set({ history_id: historyId }).where('id', '=', id).execute();
    return { historyId };
  });
}

// --- figures a manager records ---

export interface FiguresRequest {
  employeeNo: string;
  csat?: string;
  complaintResolutionRate?: string;
  handleTime?: string;
  testScore?: string;
  internalComplaints?: number;
  note?: string;
}

/** R-APP-1: a team lead, CS manager or HR records figures the store has no data for; never their own. */
export async function recordFigures(ctx: ServiceContext, request: FiguresRequest): Promise<void> {
  await writeTransaction(ctx.store.db).execute(async (trx) => {
    const actor = await resolveActor(trx, ctx.actor);
    if (ctx.actor === request.employeeNo) throw new AppError('own_case', 'nobody records their own figures');
    if (!RECORDERS.some((r) => actor.roles.includes(r)))
      throw new AppError('role_not_allowed', `only ${RECORDERS.join(', ')} may record an applicant's figures`);
    const employee = await trx.selectFrom('employees').select('id').where('employee_no', '=', request.employeeNo).executeTakeFirst();
    if (!employee) throw new AppError('unknown_employee', `unknown employee ${request.employeeNo}`);
    const check = (v: string | undefined, what: string, max: number) => {
      if (v === undefined) return null;
      let d: Decimal;
      try {
        d = new Decimal(v);
      } catch {
        throw new AppError('invalid_input', `${what} must be a number, got ${v}`);
      }
      if (d.isNegative() || d.greaterThan(max)) throw new AppError('invalid_input', `${what} must be from 0 to ${max}, got ${v}`);
      return d.toString();
    };
    const values = {
      csat: check(request.csat, 'CSAT', 1),
      complaint_resolution_rate: check(request.complaintResolutionRate, 'the complaint resolution rate', 1),
      handle_time_s: check(request.handleTime, 'the handle time', 1e6),
      test_score: check(request.testScore, 'the test score', 100),
      internal_complaints: request.internalComplaints ?? null,
    };
    if (values.internal_complaints !== null && (!Number.isInteger(values.internal_complaints) || values.internal_complaints < 0))
      throw new AppError('invalid_input', 'internal complaints must be a whole number ≥ 0');
    if (Object.values(values).every((v) => v === null)) throw new AppError('invalid_input', 'no figure given');
    const row = {
      employee_id: employee.id,
      recorded_on: chinaDay(ctx.now()),
      ...values,
      note: request.note ?? null,
      recorded_at: ctx.now(),
      recorded_by: ctx.actor,
    };
    await appDb(trx).insertInto('application_figures').values(row).execute();
    await audit(trx, ctx, { action: 'application.figures', entity: 'application_figures', key: request.employeeNo, details: values });
  });
}

// --- reading ---

export async function showApplication(db: Db, id: number): Promise<ApplicationView> {
  const row = await loadRow(db, id);
  const employee = await db
    .selectFrom('employees')
    .select(['employee_no', 'name'])
    .where('id', '=', row.applicant_id)
    .executeTakeFirstOrThrow();
  const steps = await appDb(db).selectFrom('application_steps').selectAll().where('application_id', '=', id).orderBy('seq').execute();
  return viewOf(row, employee, steps);
}

function viewOf(row: ApplicationRow, employee: { employee_no: string; name: string }, steps: ApplicationStepRow[]): ApplicationView {
  return {
    id: row.id,
    employeeNo: employee.employee_no,
    name: employee.name,
    track: row.track,
    from: row.from_code,
    to: row.to_code,
    status: row.status,
    workSummary: row.work_summary,
    achievements: row.achievements,
    notice: row.notice_opens_on && row.notice_closes_on ? { opensOn: row.notice_opens_on, closesOn: row.notice_closes_on } : null,
    effectiveOn: row.effective_on,
    case: fromJson(row.state),
    steps,
  };
}

export async function listApplications(db: Db, filter: { status?: string; employeeNo?: string } = {}): Promise<ApplicationView[]> {
  let query = appDb(db)
    .selectFrom('applications as a')
    .innerJoin('employees as e', 'e.id', 'a.applicant_id')
    .selectAll('a')
    .select(['e.employee_no', 'e.name'])
    .orderBy('a.id');
  if (filter.status) query = query.where('a.status', '=', filter.status as ApplicationRow['status']);
  if (filter.employeeNo) query = query.where('e.employee_no', '=', filter.employeeNo);
  const rows = await query.execute();
  return rows.map((r) => viewOf(r, r, []));
}
