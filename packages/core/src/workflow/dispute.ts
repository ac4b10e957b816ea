/**
 * An appraisal dispute (R-DSP). The agent files it within the window (R-DSP-1) on a published
 * inspection item or the month's result; the QA manager takes it into review; the QA manager, the
 * VIP manager and a basic team lead each record a view; the QA manager records the panel's outcome
 * — upheld, overturned or changed, with reasons (R-DSP-2) — which closes it. A dispute still open
 * at the payroll cut-off, or about a below-qualified month, goes to the director, whose decision
 * is final (R-DSP-3). Nobody decides their own case: the agent sits on no panel of their own
 * dispute, and whoever produced the disputed result (the inspector, the team lead who entered the
 * deduction) rules on nothing in it.
 */
import { chinaCalendar, type WorkingCalendar } from '../calendar/calendar.js';
import { type Decimal, formatDecimal } from '../money/decimal.js';
import type { IsoDate, Month } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import { disputeWindowRefusal } from './inspection.js';
import {
  type CaseBase,
  type EventBase,
  firstRefusal,
  type Machine,
  notRespondent,
  notSubject,
  onlyPerson,
  refuse,
  type Refusal,
  requireOpinion,
} from './machine.js';
import type { Actor, Role } from './roles.js';

export const DISPUTE_STATES = ['none', 'filed', 'under_review', 'escalated', 'closed'] as const;
export type DisputeState = (typeof DISPUTE_STATES)[number];

export const DISPUTE_EVENTS = ['file', 'review', 'record_view', 'decide', 'escalate', 'director_decide', 'withdraw'] as const;
export type DisputeEventType = (typeof DISPUTE_EVENTS)[number];

/** R-DSP-2: the three seats of the panel. */
export const PANEL_SEATS = ['qa_manager', 'vip_manager', 'team_lead'] as const satisfies readonly Role[];
export type PanelSeat = (typeof PANEL_SEATS)[number];

export const DISPUTE_OUTCOMES = ['upheld', 'overturned', 'changed'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

export type DisputeSubject =
  /** One deduction line of a published inspection. */
  | { kind: 'inspection_item'; inspectionId: string; item: string; points: Decimal }
  /** The month's published result (its deductions, grade or coefficient). */
  | { kind: 'month_result' };

export interface PanelView {
  seat: PanelSeat;
  by: string;
  on: IsoDate;
  view: DisputeOutcome;
  /** The points the member would keep, for a changed view of an item. */
  points?: Decimal;
  opinion: string;
}

export interface DisputeDecision {
  /** Who decided: the panel (through the QA manager), the director, or the agent withdrawing. */
  level: 'panel' | 'director' | 'withdrawn';
  outcome: DisputeOutcome | 'withdrawn';
  /** The new points of a changed item. */
  points?: Decimal;
  by: string;
  on: IsoDate;
  opinion: string;
}

export interface DisputeCase extends CaseBase<DisputeState, DisputeEventType> {
  disputeId: string;
  /** The agent whose result is disputed; the only one who may file or withdraw. */
  agentId: string;
  subject: DisputeSubject;
  /** The pay month the disputed result belongs to. */
  month: Month;
  /** When the disputed result was published; absent while it is not (then it cannot be disputed). */
  publishedOn?: IsoDate;
  /** Whoever produced the disputed result: the inspector, the team lead who entered the deduction. */
  respondents: readonly string[];
  /** The payroll cut-off of the month (R-CYC: the 21st–22nd of the next month). */
  cutoffOn: IsoDate;
  /** Whether the month's result is below qualified (R-PAY-7); such a dispute ends with the director. */
  belowQualified: boolean;
  views: readonly PanelView[];
  escalation?: { on: IsoDate; by: string; because: ('cutoff' | 'below_qualified')[] };
  /** The panel's outcome (kept when the case goes on to the director). */
  panelDecision?: DisputeDecision;
  /** The decision that closed the case. */
  decision?: DisputeDecision;
}

export type DisputeEvent =
  | (EventBase<'file'> & { type: 'file' })
  | (EventBase<'review'> & { type: 'review' })
  | (EventBase<'record_view'> & { type: 'record_view'; view: DisputeOutcome; points?: Decimal })
  | (EventBase<'decide'> & { type: 'decide'; outcome: DisputeOutcome; points?: Decimal })
  | (EventBase<'escalate'> & { type: 'escalate' })
  | (EventBase<'director_decide'> & { type: 'director_decide'; outcome: DisputeOutcome; points?: Decimal })
  | (EventBase<'withdraw'> & { type: 'withdraw' });

export interface DisputeMachineOptions {
  /** R-DSP-1: the policy's qa.disputeWindow.workingDays. */
  disputeWindowDays: number;
  calendar?: WorkingCalendar;
}

export const DISPUTE_STATE_NAMES: Record<DisputeState, Bilingual> = {
  none: { zh: '未申诉', en: 'not filed' },
  filed: { zh: '已提交申诉', en: 'filed' },
  under_review: { zh: '评审中', en: 'under review' },
  escalated: { zh: '已提交总监', en: 'escalated to the director' },
  closed: { zh: '已结案', en: 'closed' },
};

export const DISPUTE_OUTCOME_NAMES: Record<DisputeOutcome | 'withdrawn', Bilingual> = {
  upheld: { zh: '维持原判', en: 'upheld' },
  overturned: { zh: '撤销扣分', en: 'overturned' },
  changed: { zh: '变更', en: 'changed' },
  withdrawn: { zh: '撤回申诉', en: 'withdrawn' },
};

export const SEAT_NAMES: Record<PanelSeat, Bilingual> = {
  qa_manager: { zh: '质检经理', en: 'QA manager' },
  vip_manager: { zh: '贵宾经理', en: 'VIP manager' },
  team_lead: { zh: '基础客服组长', en: 'basic team lead' },
};

const AGENT: Bilingual = { zh: '申诉人', en: 'agent who filed the dispute' };
const RESULT: Bilingual = { zh: '质检或扣分结果', en: 'inspection or deduction' };

function partyRefusal(c: DisputeCase, actor: Actor): Refusal | undefined {
  return firstRefusal(
    () => notSubject(actor, c.agentId, AGENT),
    () => notRespondent(actor, c.respondents, RESULT),
  );
}

/** A changed outcome on an item needs the new points, at least 0 and not the original ones. */
function outcomeRefusal(c: DisputeCase, outcome: unknown, points: Decimal | undefined): Refusal | undefined {
  if (!(DISPUTE_OUTCOMES as readonly unknown[]).includes(outcome)) {
    return refuse('invalid_input', {
      zh: `结论须为维持、撤销或变更之一,得到 ${JSON.stringify(outcome)}`,
      en: `the outcome must be upheld, overturned or changed, got ${JSON.stringify(outcome)}`,
    });
  }
  if (outcome !== 'changed' || c.subject.kind !== 'inspection_item') return undefined;
  if (points === undefined || points.isNegative() || points.equals(c.subject.points)) {
    return refuse('invalid_input', {
      zh: `变更扣分须给出新的分值(≥ 0 且不同于原扣分 ${formatDecimal(c.subject.points)})`,
      en: `a changed outcome needs the new points (≥ 0 and not the original ${formatDecimal(c.subject.points)})`,
    });
  }
  return undefined;
}

function decision(
  level: DisputeDecision['level'],
  outcome: DisputeDecision['outcome'],
  by: string,
  on: IsoDate,
  opinion: string,
  points?: Decimal,
): DisputeDecision {
  const result: DisputeDecision = { level, outcome, by, on, opinion: opinion.trim() };
  if (points !== undefined && outcome === 'changed') result.points = points;
  return result;
}

/** Picks the panel seat the actor fills: the first of their panel roles still open; one view per person. */
function panelSeat(c: DisputeCase, actor: Actor, allowed: readonly Role[]): Role | Refusal {
  if (c.views.some((v) => v.by === actor.id)) {
    return refuse('already_recorded', { zh: '你已在本申诉中发表过评审意见', en: 'you have already recorded a view on this dispute' });
  }
  const open = allowed.find((role) => !c.views.some((v) => v.seat === role));
  if (open === undefined) {
    return refuse('already_recorded', {
      zh: '你所任角色的评审席位已有意见',
      en: 'the panel seat of your role already has a view',
    });
  }
  return open;
}

const REASON: Bilingual = { zh: '理由', en: 'a reason' };

export function disputeMachine(options: DisputeMachineOptions): Machine<DisputeState, DisputeCase, DisputeEvent> {
  const calendar = options.calendar ?? chinaCalendar;
  return {
    name: 'dispute',
    title: { zh: '申诉', en: 'dispute' },
    states: DISPUTE_STATES,
    final: ['closed'],
    stateNames: DISPUTE_STATE_NAMES,
    events: DISPUTE_EVENTS,
    rules: {
      file: {
        name: { zh: '提出申诉', en: 'file the dispute' },
        from: ['none'],
        to: ['filed'],
        roles: ['agent'],
        guard: ({ case: c, actor, event, on }) =>
          firstRefusal(
            () => onlyPerson(actor, c.agentId, { zh: '被考核客服', en: 'agent whose result it is' }),
            () => disputeWindowRefusal(c.publishedOn, on, options.disputeWindowDays, calendar),
            () => requireOpinion(event.opinion, { zh: '申诉理由', en: 'a reason for the dispute' }),
          ),
        apply: ({ case: c }) => ({ ...c, status: 'filed' }),
      },
      review: {
        name: { zh: '受理申诉', en: 'take the dispute into review' },
        from: ['filed'],
        to: ['under_review'],
        roles: ['qa_manager'],
        guard: ({ case: c, actor }) => partyRefusal(c, actor),
        apply: ({ case: c }) => ({ ...c, status: 'under_review' }),
      },
      record_view: {
        name: { zh: '发表评审意见', en: 'record a panel view' },
        from: ['under_review'],
        to: ['under_review'],
        roles: PANEL_SEATS,
        seat: panelSeat,
        guard: ({ case: c, actor, event }) =>
          firstRefusal(
            () => partyRefusal(c, actor),
            () => outcomeRefusal(c, event.view, event.points),
            () => requireOpinion(event.opinion, REASON),
          ),
        apply: ({ case: c, actor, as, event, on }) => {
          const view: PanelView = { seat: as as PanelSeat, by: actor.id, on, view: event.view, opinion: (event.opinion ?? '').trim() };
          if (event.view === 'changed' && event.points !== undefined) view.points = event.points;
          return { ...c, views: [...c.views, view] };
        },
      },
      decide: {
        name: { zh: '作出评审结论', en: 'record the panel outcome' },
        from: ['under_review'],
        to: ['closed', 'escalated'],
        roles: ['qa_manager'],
        guard: ({ case: c, actor, event, on }) =>
          firstRefusal(
            () => partyRefusal(c, actor),
            () => {
              const missing = PANEL_SEATS.filter((seat) => !c.views.some((v) => v.seat === seat));
              if (missing.length === 0) return undefined;
              return refuse('views_missing', {
                zh: `评审小组尚缺意见:${missing.map((s) => SEAT_NAMES[s].zh).join('、')}`,
                en: `the panel still lacks the view of the ${missing.map((s) => SEAT_NAMES[s].en).join(', ')}`,
              });
            },
            () =>
              on > c.cutoffOn
                ? refuse('past_cutoff', {
                    zh: `已过工资核算截止日 ${c.cutoffOn},未决申诉须提交总监决定`,
                    en: `past the payroll cut-off ${c.cutoffOn}: an unresolved dispute goes to the director`,
                  })
                : undefined,
            () => outcomeRefusal(c, event.outcome, event.points),
            () => requireOpinion(event.opinion, REASON),
          ),
        apply: ({ case: c, actor, event, on }) => {
          const made = decision('panel', event.outcome, actor.id, on, event.opinion ?? '', event.points);
          if (c.belowQualified) {
            return { ...c, status: 'escalated', panelDecision: made, escalation: { on, by: actor.id, because: ['below_qualified'] } };
          }
          return { ...c, status: 'closed', panelDecision: made, decision: made };
        },
      },
      escalate: {
        name: { zh: '提交总监', en: 'escalate to the director' },
        from: ['filed', 'under_review'],
        to: ['escalated'],
        roles: ['qa_manager', 'hr', 'director'],
        guard: ({ case: c, on }) =>
          on >= c.cutoffOn || c.belowQualified
            ? undefined
            : refuse('not_escalable', {
                zh: `未到工资核算截止日 ${c.cutoffOn},且当月结果不低于合格,由评审小组决定`,
                en: `before the payroll cut-off ${c.cutoffOn} and the month is not below qualified: the panel decides`,
              }),
        apply: ({ case: c, actor, on }) => {
          const because: ('cutoff' | 'below_qualified')[] = [];
          if (on >= c.cutoffOn) because.push('cutoff');
          if (c.belowQualified) because.push('below_qualified');
          return { ...c, status: 'escalated', escalation: { on, by: actor.id, because } };
        },
      },
      director_decide: {
        name: { zh: '总监决定', en: "record the director's decision" },
        from: ['escalated'],
        to: ['closed'],
        roles: ['director'],
        guard: ({ case: c, actor, event }) =>
          firstRefusal(
            () => partyRefusal(c, actor),
            () => outcomeRefusal(c, event.outcome, event.points),
            () => requireOpinion(event.opinion, REASON),
          ),
        apply: ({ case: c, actor, event, on }) => ({
          ...c,
          status: 'closed',
          decision: decision('director', event.outcome, actor.id, on, event.opinion ?? '', event.points),
        }),
      },
      withdraw: {
        name: { zh: '撤回申诉', en: 'withdraw the dispute' },
        from: ['filed', 'under_review', 'escalated'],
        to: ['closed'],
        roles: ['agent'],
        guard: ({ case: c, actor }) => onlyPerson(actor, c.agentId, AGENT),
        apply: ({ case: c, actor, event, on }) => ({
          ...c,
          status: 'closed',
          decision: decision('withdrawn', 'withdrawn', actor.id, on, event.opinion ?? ''),
        }),
      },
    },
  };
}

/** A new dispute case about a published result, before the agent files it. */
export function newDispute(fields: Omit<DisputeCase, 'status' | 'history' | 'views'>): DisputeCase {
  return { ...fields, status: 'none', views: [], history: [] };
}
