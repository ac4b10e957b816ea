/**
 * A tiny state-machine engine: pure transitions with guards. A machine lists its states, its events
 * and, for each event, the states it may be fired from and the roles that may fire it; guards add
 * the rules that depend on the case (who is a party, windows, required opinions). `transition`
 * answers the next case — with the step recorded: who, in which role, when, and their opinion —
 * or a refusal with a code and a bilingual reason. No clock: every event carries its date.
 */
import { CalendarError, type WorkingCalendar } from '../calendar/calendar.js';
import { workingDayWindow, type WorkingDayWindow } from '../calendar/window.js';
import { parseDate, type IsoDate } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import { type Actor, type Role, ROLE_NAMES } from './roles.js';

export type RefusalCode =
  /** the event type is not one of the machine's */
  | 'unknown_event'
  /** the event's date is not a date */
  | 'invalid_date'
  /** the case's status is not one of the machine's states */
  | 'unknown_state'
  /** the case is in a final state: nothing more may happen (a second decision is refused) */
  | 'case_closed'
  /** the event cannot be fired in the case's current state */
  | 'invalid_state'
  /** none of the actor's roles may fire the event */
  | 'role_not_allowed'
  /** the event is dated before the case's last step */
  | 'date_before_last_step'
  /** the actor is the person the case is about (nobody reviews their own case) */
  | 'own_case'
  /** the actor produced the result under review (their own inspection or deduction) */
  | 'own_inspection'
  /** the actor is not the person this step belongs to (the assignee, the agent, the applicant) */
  | 'not_party'
  | 'opinion_required'
  | 'invalid_input'
  | 'not_published'
  | 'outside_window'
  /** the statutory calendar has no data for a year the step needs (a window running into it) */
  | 'calendar_unknown_year'
  | 'already_recorded'
  | 'views_missing'
  | 'past_cutoff'
  | 'not_escalable'
  | 'not_eligible'
  | 'panel_scores_below'
  | 'no_open_objection'
  | 'objection_pending'
  | 'notice_running';

export interface Refusal {
  ok: false;
  code: RefusalCode;
  reason: Bilingual;
}

/** One step of a case's history (R-APP-3): what happened, who did it in which role, when, and their opinion. */
export interface Step<S extends string = string, T extends string = string> {
  event: T;
  from: S;
  to: S;
  by: string;
  as: Role;
  on: IsoDate;
  /** The exact time, when the caller has one (ISO 8601); recorded as given. */
  at?: string;
  opinion?: string;
}

export interface CaseBase<S extends string, T extends string> {
  status: S;
  history: readonly Step<S, T>[];
}

export interface EventBase<T extends string> {
  type: T;
  /** The day the event happens (China time), YYYY-MM-DD. */
  on: string;
  at?: string;
  /** The actor's opinion, reason or summary, as they wrote it. */
  opinion?: string;
}

export interface Context<C, E> {
  case: C;
  event: E;
  actor: Actor;
  /** The role the actor acts in. */
  as: Role;
  on: IsoDate;
}

export interface Rule<S extends string, C, E> {
  name: Bilingual;
  from: readonly S[];
  /** The states the event may lead to (the apply function picks one). */
  to: readonly S[];
  roles: readonly Role[];
  /** Picks the role the actor acts in; by default the first of the actor's roles the rule allows. */
  seat?: (c: C, actor: Actor, allowed: readonly Role[]) => Role | Refusal;
  guard?: (ctx: Context<C, E>) => Refusal | undefined;
  /** The case after the event, its status included; the engine adds the step to its history. */
  apply: (ctx: Context<C, E>) => C;
}

export interface Machine<S extends string, C extends CaseBase<S, E['type']>, E extends EventBase<string>> {
  name: string;
  title: Bilingual;
  states: readonly S[];
  /** States nothing leaves. */
  final: readonly S[];
  stateNames: Record<S, Bilingual>;
  events: readonly E['type'][];
  rules: { [K in E['type']]: Rule<S, C, Extract<E, { type: K }>> };
}

export type TransitionResult<C> = { ok: true; state: C; step: Step } | Refusal;

export function refuse(code: RefusalCode, reason: Bilingual): Refusal {
  return { ok: false, code, reason };
}

function nameList(names: readonly Bilingual[], lang: 'zh' | 'en'): string {
  return names.map((n) => n[lang]).join(lang === 'zh' ? '、' : ', ');
}

/** The rule of an event, seen through the machine's event union (each rule is typed by its own event). */
function ruleOf<S extends string, C extends CaseBase<S, E['type']>, E extends EventBase<string>>(
  machine: Machine<S, C, E>,
  type: string,
): Rule<S, C, E> | undefined {
  return Object.prototype.hasOwnProperty.call(machine.rules, type)
    ? ((machine.rules as unknown as Record<string, Rule<S, C, E>>)[type] as Rule<S, C, E>)
    : undefined;
}

/** The roles that may fire each event from which states: the machine's permission table. */
export function permissions<S extends string, C extends CaseBase<S, E['type']>, E extends EventBase<string>>(
  machine: Machine<S, C, E>,
): { event: E['type']; name: Bilingual; from: readonly S[]; to: readonly S[]; roles: readonly Role[] }[] {
  return machine.events.map((event) => {
    const rule = ruleOf(machine, event) as Rule<S, C, E>;
    return { event, name: rule.name, from: rule.from, to: rule.to, roles: rule.roles };
  });
}

/** Fires `event` on the case as `actor`: the next case with the step recorded, or a refusal. */
export function transition<S extends string, C extends CaseBase<S, E['type']>, E extends EventBase<string>>(
  machine: Machine<S, C, E>,
  state: C,
  event: E,
  actor: Actor,
): TransitionResult<C> {
  const rule = ruleOf(machine, event.type);
  if (!rule || !machine.events.includes(event.type)) {
    return refuse('unknown_event', {
      zh: `${machine.title.zh}没有「${String(event.type)}」这一操作`,
      en: `${machine.title.en} has no event "${String(event.type)}"`,
    });
  }
  const on = typeof event.on === 'string' ? parseDate(event.on) : undefined;
  if (on === undefined) {
    return refuse('invalid_date', {
      zh: `操作日期 ${JSON.stringify(event.on)} 无效`,
      en: `the event's date ${JSON.stringify(event.on)} is not YYYY-MM-DD`,
    });
  }
  const stateName = machine.stateNames[state.status] as Bilingual | undefined;
  if (!stateName) {
    return refuse('unknown_state', {
      zh: `${machine.title.zh}没有「${String(state.status)}」状态`,
      en: `${machine.title.en} has no state "${String(state.status)}"`,
    });
  }
  if (machine.final.includes(state.status)) {
    return refuse('case_closed', {
      zh: `${machine.title.zh}已是「${stateName.zh}」,已结束,不能再「${rule.name.zh}」`,
      en: `the ${machine.title.en} is ${stateName.en}, which is final: it cannot ${rule.name.en}`,
    });
  }
  if (!rule.from.includes(state.status)) {
    const from = rule.from.map((s) => machine.stateNames[s]);
    return refuse('invalid_state', {
      zh: `${machine.title.zh}处于「${stateName.zh}」,不能「${rule.name.zh}」(仅限:${nameList(from, 'zh')})`,
      en: `cannot ${rule.name.en}: the ${machine.title.en} is ${stateName.en} (only when ${nameList(from, 'en')})`,
    });
  }
  const allowed = actor.roles.filter((role) => rule.roles.includes(role));
  if (allowed.length === 0) {
    const roles = rule.roles.map((r) => ROLE_NAMES[r]);
    return refuse('role_not_allowed', {
      zh: `只有${nameList(roles, 'zh')}可以「${rule.name.zh}」`,
      en: `only ${nameList(roles, 'en')} may ${rule.name.en}`,
    });
  }
  const last = state.history[state.history.length - 1];
  if (last && on < last.on) {
    return refuse('date_before_last_step', {
      zh: `操作日期 ${on} 早于上一步骤的日期 ${last.on}`,
      en: `the event's date ${on} is before the last step's date ${last.on}`,
    });
  }
  const seat = rule.seat ? rule.seat(state, actor, allowed) : (allowed[0] as Role);
  if (typeof seat !== 'string') return seat;
  const context: Context<C, E> = { case: state, event, actor, as: seat, on };
  const refusal = rule.guard?.(context);
  if (refusal) return refusal;
  const next = rule.apply(context);
  if (!rule.to.includes(next.status))
    throw new Error(`${machine.name}.${event.type} led to ${next.status}, not one of ${rule.to.join(', ')}`);
  const step: Step<S, E['type']> = { event: event.type, from: state.status, to: next.status, by: actor.id, as: seat, on };
  if (event.at !== undefined) step.at = event.at;
  const opinion = event.opinion?.trim();
  if (opinion) step.opinion = opinion;
  return { ok: true, state: { ...next, history: [...state.history, step] }, step };
}

/** Guard helper: the event must carry a non-empty opinion (reason, summary). */
export function requireOpinion(opinion: string | undefined, what: Bilingual): Refusal | undefined {
  if (typeof opinion === 'string' && opinion.trim() !== '') return undefined;
  return refuse('opinion_required', { zh: `须填写${what.zh}`, en: `${what.en} is required` });
}

/** Guard helper: nobody acts on their own case. */
export function notSubject(actor: Actor, subjectId: string, who: Bilingual): Refusal | undefined {
  if (actor.id !== subjectId) return undefined;
  return refuse('own_case', {
    zh: `不能处理与本人有关的案件(${who.zh}是本人)`,
    en: `nobody decides their own case (you are the ${who.en})`,
  });
}

/** Guard helper: nobody reviews a result they produced themselves. */
export function notRespondent(actor: Actor, respondents: readonly string[], what: Bilingual): Refusal | undefined {
  if (!respondents.includes(actor.id)) return undefined;
  return refuse('own_inspection', { zh: `不能评审本人作出的${what.zh}`, en: `nobody reviews their own ${what.en}` });
}

/** Guard helper: only the named person may take this step. */
export function onlyPerson(actor: Actor, personId: string, who: Bilingual): Refusal | undefined {
  if (actor.id === personId) return undefined;
  return refuse('not_party', { zh: `只有${who.zh}本人可以进行此操作`, en: `only the ${who.en} may do this` });
}

/** The first guard that refuses, if any. */
export function firstRefusal(...checks: (() => Refusal | undefined)[]): Refusal | undefined {
  for (const check of checks) {
    const refusal = check();
    if (refusal) return refusal;
  }
  return undefined;
}

/** A working-day window, or a refusal when the calendar does not know a year the window needs. */
export function windowOrRefusal(opensOn: IsoDate, workingDays: number, calendar: WorkingCalendar): WorkingDayWindow | Refusal {
  try {
    return workingDayWindow(opensOn, workingDays, calendar);
  } catch (error) {
    if (error instanceof CalendarError) return refuse('calendar_unknown_year', error.reason);
    throw error;
  }
}
