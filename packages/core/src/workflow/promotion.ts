/**
 * A promotion application (R-APP): draft → submitted (eligibility checked, R-APP-1) → the lead's
 * opinion (team lead or supervisor) → panel review by the CS manager and HR (interview and
 * case-analysis scores) → the director's decision → a public notice of N working days during which
 * anyone in the department may object → effective on a date; an upheld objection rejects it.
 * Every step records who, when and their opinion; nobody reviews their own case (R-APP-3).
 */
import { chinaCalendar, requireDate, type WorkingCalendar } from '../calendar/calendar.js';
import { workingDayWindow } from '../calendar/window.js';
import { Decimal, formatDecimal } from '../money/decimal.js';
import { parseDate, type IsoDate } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import { type ApplicantFacts, checkEligibility, type Eligibility, type PromotionTarget } from './eligibility.js';
import {
  type CaseBase,
  type EventBase,
  firstRefusal,
  type Machine,
  notSubject,
  onlyPerson,
  refuse,
  type Refusal,
  requireOpinion,
  windowOrRefusal,
} from './machine.js';
import type { PromotionRules } from './promotion-policy.js';
import { type Actor, DEPARTMENT_ROLES, type Role } from './roles.js';

export const PROMOTION_STATES = [
  'draft',
  'submitted',
  'panel_review',
  'decision_pending',
  'approved',
  'on_notice',
  'rejected',
  'effective',
  'withdrawn',
] as const;
export type PromotionState = (typeof PROMOTION_STATES)[number];

export const PROMOTION_EVENTS = [
  'submit',
  'lead_opinion',
  'panel_review',
  'decide',
  'publish_notice',
  'object',
  'uphold_objection',
  'dismiss_objection',
  'make_effective',
  'withdraw',
] as const;
export type PromotionEventType = (typeof PROMOTION_EVENTS)[number];

/** R-APP-2: the panel's two seats. */
export const PROMOTION_PANEL_SEATS = ['cs_manager', 'hr'] as const satisfies readonly Role[];
export type PromotionPanelSeat = (typeof PROMOTION_PANEL_SEATS)[number];

export interface Opinion {
  by: string;
  on: IsoDate;
  opinion: string;
}

export interface PanelScore extends Opinion {
  seat: PromotionPanelSeat;
  interview: Decimal;
  caseAnalysis: Decimal;
}

export interface Objection extends Opinion {
  ruling?: Opinion & { upheld: boolean };
}

export interface PromotionCase extends CaseBase<PromotionState, PromotionEventType> {
  applicationId: string;
  applicantId: string;
  target: PromotionTarget;
  /** The applicant's figures as of submission (the service fills them in). */
  facts: ApplicantFacts;
  /** Work summary and achievements, as submitted. */
  summary?: string;
  eligibility?: Eligibility;
  lead?: Opinion & { recommend: boolean };
  panel: readonly PanelScore[];
  decision?: Opinion & { outcome: 'approved' | 'rejected' };
  notice?: { opensOn: IsoDate; closesOn: IsoDate; workingDays: number; explain: Bilingual };
  objections: readonly Objection[];
  effectiveOn?: IsoDate;
}

export type PromotionEvent =
  | (EventBase<'submit'> & { type: 'submit' })
  | (EventBase<'lead_opinion'> & { type: 'lead_opinion'; recommend: boolean })
  | (EventBase<'panel_review'> & { type: 'panel_review'; interview: Decimal; caseAnalysis: Decimal })
  | (EventBase<'decide'> & { type: 'decide'; outcome: 'approved' | 'rejected' })
  | (EventBase<'publish_notice'> & { type: 'publish_notice' })
  | (EventBase<'object'> & { type: 'object' })
  | (EventBase<'uphold_objection'> & { type: 'uphold_objection'; objection: number })
  | (EventBase<'dismiss_objection'> & { type: 'dismiss_objection'; objection: number })
  | (EventBase<'make_effective'> & { type: 'make_effective'; effectiveOn: string })
  | (EventBase<'withdraw'> & { type: 'withdraw' });

export const PROMOTION_STATE_NAMES: Record<PromotionState, Bilingual> = {
  draft: { zh: '草稿', en: 'draft' },
  submitted: { zh: '已提交,待上级意见', en: "submitted, awaiting the lead's opinion" },
  panel_review: { zh: '评审小组评审中', en: 'under panel review' },
  decision_pending: { zh: '待总监决定', en: "awaiting the director's decision" },
  approved: { zh: '已批准,待公示', en: 'approved, awaiting the notice' },
  on_notice: { zh: '公示中', en: 'on public notice' },
  rejected: { zh: '未通过', en: 'rejected' },
  effective: { zh: '已生效', en: 'effective' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};

const APPLICANT: Bilingual = { zh: '申请人', en: 'applicant' };
const APPLICANTS = ['agent', 'team_lead'] as const satisfies readonly Role[];

export interface PromotionMachineOptions {
  rules: PromotionRules;
  calendar?: WorkingCalendar;
}

function mean(values: readonly Decimal[]): Decimal {
  return values.reduce((sum, v) => sum.plus(v), new Decimal(0)).dividedBy(values.length);
}

function scoreRefusal(value: unknown, what: Bilingual): Refusal | undefined {
  if (value instanceof Decimal && value.greaterThanOrEqualTo(0) && value.lessThanOrEqualTo(100)) return undefined;
  return refuse('invalid_input', { zh: `${what.zh}须为 0–100 的分数`, en: `the ${what.en} must be a score from 0 to 100` });
}

function panelSeat(c: PromotionCase, actor: Actor, allowed: readonly Role[]): Role | Refusal {
  if (c.panel.some((p) => p.by === actor.id)) {
    return refuse('already_recorded', { zh: '你已对本申请评分', en: 'you have already scored this application' });
  }
  const open = allowed.find((role) => !c.panel.some((p) => p.seat === role));
  if (open === undefined) {
    return refuse('already_recorded', { zh: '你所任角色的评审席位已有评分', en: 'the panel seat of your role already has its scores' });
  }
  return open;
}

function openObjection(c: PromotionCase, index: unknown): Objection | Refusal {
  const objection = typeof index === 'number' ? c.objections[index] : undefined;
  if (!objection || objection.ruling) {
    return refuse('no_open_objection', {
      zh: `没有待处理的第 ${String(index)} 项异议`,
      en: `there is no open objection #${String(index)}`,
    });
  }
  return objection;
}

function objectionRefusal(c: PromotionCase, actor: Actor, index: unknown, opinion: string | undefined): Refusal | undefined {
  const objection = openObjection(c, index);
  if ('ok' in objection) return objection;
  return firstRefusal(
    () => notSubject(actor, c.applicantId, APPLICANT),
    () =>
      objection.by === actor.id
        ? refuse('own_case', { zh: '不能处理本人提出的异议', en: 'nobody rules on their own objection' })
        : undefined,
    () => requireOpinion(opinion, { zh: '处理意见', en: 'an opinion on the objection' }),
  );
}

function withRuling(c: PromotionCase, index: number, actor: Actor, on: IsoDate, opinion: string, upheld: boolean): Objection[] {
  return c.objections.map((o, i) => (i === index ? { ...o, ruling: { by: actor.id, on, opinion: opinion.trim(), upheld } } : o));
}

export function promotionMachine(options: PromotionMachineOptions): Machine<PromotionState, PromotionCase, PromotionEvent> {
  const { rules } = options;
  const calendar = options.calendar ?? chinaCalendar;
  return {
    name: 'promotion',
    title: { zh: '晋升申请', en: 'promotion application' },
    states: PROMOTION_STATES,
    final: ['rejected', 'effective', 'withdrawn'],
    stateNames: PROMOTION_STATE_NAMES,
    events: PROMOTION_EVENTS,
    rules: {
      submit: {
        name: { zh: '提交申请', en: 'submit the application' },
        from: ['draft'],
        to: ['submitted'],
        roles: APPLICANTS,
        guard: ({ case: c, actor, event, on }) =>
          firstRefusal(
            () => onlyPerson(actor, c.applicantId, APPLICANT),
            () => requireOpinion(event.opinion, { zh: '工作总结与业绩', en: 'a work summary with achievements' }),
            () => {
              const eligibility = checkEligibility(rules, c.target, c.facts, on);
              return eligibility.eligible ? undefined : refuse('not_eligible', eligibility.explain);
            },
          ),
        apply: ({ case: c, event, on }) => ({
          ...c,
          status: 'submitted',
          summary: (event.opinion ?? '').trim(),
          eligibility: checkEligibility(rules, c.target, c.facts, on),
        }),
      },
      lead_opinion: {
        name: { zh: '填写上级意见', en: "give the lead's opinion" },
        from: ['submitted'],
        to: ['panel_review'],
        roles: ['team_lead', 'cs_manager'],
        guard: ({ case: c, actor, event }) =>
          firstRefusal(
            () => notSubject(actor, c.applicantId, APPLICANT),
            () =>
              typeof event.recommend === 'boolean'
                ? undefined
                : refuse('invalid_input', { zh: '须表明是否推荐', en: 'say whether you recommend the applicant' }),
            () => requireOpinion(event.opinion, { zh: '上级意见', en: "the lead's opinion" }),
          ),
        apply: ({ case: c, actor, event, on }) => ({
          ...c,
          status: 'panel_review',
          lead: { by: actor.id, on, opinion: (event.opinion ?? '').trim(), recommend: event.recommend },
        }),
      },
      panel_review: {
        name: { zh: '评审打分', en: 'score the application on the panel' },
        from: ['panel_review'],
        to: ['panel_review', 'decision_pending'],
        roles: PROMOTION_PANEL_SEATS,
        seat: panelSeat,
        guard: ({ case: c, actor, event }) =>
          firstRefusal(
            () => notSubject(actor, c.applicantId, APPLICANT),
            () => scoreRefusal(event.interview, { zh: '面试成绩', en: 'interview score' }),
            () => scoreRefusal(event.caseAnalysis, { zh: '案例分析成绩', en: 'case-analysis score' }),
            () => requireOpinion(event.opinion, { zh: '评审意见', en: "the panel member's opinion" }),
          ),
        apply: ({ case: c, actor, as, event, on }) => {
          const score: PanelScore = {
            seat: as as PromotionPanelSeat,
            by: actor.id,
            on,
            opinion: (event.opinion ?? '').trim(),
            interview: event.interview,
            caseAnalysis: event.caseAnalysis,
          };
          const panel = [...c.panel, score];
          const complete = PROMOTION_PANEL_SEATS.every((seat) => panel.some((p) => p.seat === seat));
          return { ...c, panel, status: complete ? 'decision_pending' : 'panel_review' };
        },
      },
      decide: {
        name: { zh: '作出决定', en: 'decide on the application' },
        from: ['decision_pending'],
        to: ['approved', 'rejected'],
        roles: ['director'],
        guard: ({ case: c, actor, event }) =>
          firstRefusal(
            () => notSubject(actor, c.applicantId, APPLICANT),
            () =>
              event.outcome === 'approved' || event.outcome === 'rejected'
                ? undefined
                : refuse('invalid_input', { zh: '决定须为批准或不批准', en: 'the outcome must be approved or rejected' }),
            () => requireOpinion(event.opinion, { zh: '决定意见', en: 'the reasons for the decision' }),
            () => {
              if (event.outcome !== 'approved') return undefined;
              const interview = mean(c.panel.map((p) => p.interview));
              const caseAnalysis = mean(c.panel.map((p) => p.caseAnalysis));
              const low: Bilingual[] = [];
              if (interview.lessThan(rules.panel.interview.atLeast)) {
                low.push({
                  zh: `面试平均分 ${formatDecimal(interview.toDecimalPlaces(2))} 低于 ${formatDecimal(rules.panel.interview.atLeast)}`,
                  en: `mean interview score ${formatDecimal(interview.toDecimalPlaces(2))} is below ${formatDecimal(rules.panel.interview.atLeast)}`,
                });
              }
              if (caseAnalysis.lessThan(rules.panel.caseAnalysis.atLeast)) {
                low.push({
                  zh: `案例分析平均分 ${formatDecimal(caseAnalysis.toDecimalPlaces(2))} 低于 ${formatDecimal(rules.panel.caseAnalysis.atLeast)}`,
                  en: `mean case-analysis score ${formatDecimal(caseAnalysis.toDecimalPlaces(2))} is below ${formatDecimal(rules.panel.caseAnalysis.atLeast)}`,
                });
              }
              if (low.length === 0) return undefined;
              return refuse('panel_scores_below', {
                zh: `不能批准:${low.map((l) => l.zh).join(';')}`,
                en: `cannot approve: ${low.map((l) => l.en).join('; ')}`,
              });
            },
          ),
        apply: ({ case: c, actor, event, on }) => ({
          ...c,
          status: event.outcome,
          decision: { by: actor.id, on, opinion: (event.opinion ?? '').trim(), outcome: event.outcome },
        }),
      },
      publish_notice: {
        name: { zh: '发布公示', en: 'publish the notice' },
        from: ['approved'],
        to: ['on_notice'],
        roles: ['hr'],
        guard: ({ case: c, actor, on }) =>
          firstRefusal(
            () => notSubject(actor, c.applicantId, APPLICANT),
            () => {
              const window = windowOrRefusal(on, rules.noticeWorkingDays, calendar);
              return 'ok' in window ? window : undefined;
            },
          ),
        apply: ({ case: c, on }) => {
          const window = workingDayWindow(on, rules.noticeWorkingDays, calendar);
          return {
            ...c,
            status: 'on_notice',
            notice: { opensOn: window.opensOn, closesOn: window.closesOn, workingDays: window.workingDays, explain: window.explain },
          };
        },
      },
      object: {
        name: { zh: '提出异议', en: 'object to the promotion' },
        from: ['on_notice'],
        to: ['on_notice'],
        roles: DEPARTMENT_ROLES,
        guard: ({ case: c, actor, event, on }) =>
          firstRefusal(
            () => notSubject(actor, c.applicantId, APPLICANT),
            () =>
              c.notice && on >= c.notice.opensOn && on <= c.notice.closesOn
                ? undefined
                : refuse('outside_window', {
                    zh: `公示期为 ${c.notice?.opensOn ?? '?'} 至 ${c.notice?.closesOn ?? '?'},${on} 不能提出异议`,
                    en: `the notice runs from ${c.notice?.opensOn ?? '?'} to ${c.notice?.closesOn ?? '?'}; no objection on ${on}`,
                  }),
            () => requireOpinion(event.opinion, { zh: '异议理由', en: 'a reason for the objection' }),
          ),
        apply: ({ case: c, actor, event, on }) => ({
          ...c,
          objections: [...c.objections, { by: actor.id, on, opinion: (event.opinion ?? '').trim() }],
        }),
      },
      uphold_objection: {
        name: { zh: '异议成立', en: 'uphold an objection' },
        from: ['on_notice'],
        to: ['rejected'],
        roles: ['director'],
        guard: ({ case: c, actor, event }) => objectionRefusal(c, actor, event.objection, event.opinion),
        apply: ({ case: c, actor, event, on }) => ({
          ...c,
          status: 'rejected',
          objections: withRuling(c, event.objection, actor, on, event.opinion ?? '', true),
        }),
      },
      dismiss_objection: {
        name: { zh: '异议不成立', en: 'dismiss an objection' },
        from: ['on_notice'],
        to: ['on_notice'],
        roles: ['director'],
        guard: ({ case: c, actor, event }) => objectionRefusal(c, actor, event.objection, event.opinion),
        apply: ({ case: c, actor, event, on }) => ({
          ...c,
          objections: withRuling(c, event.objection, actor, on, event.opinion ?? '', false),
        }),
      },
      make_effective: {
        name: { zh: '确认生效', en: 'make the promotion effective' },
        from: ['on_notice'],
        to: ['effective'],
        roles: ['hr'],
        guard: ({ case: c, actor, event, on }) =>
          firstRefusal(
            () => notSubject(actor, c.applicantId, APPLICANT),
            () =>
              c.notice && on > c.notice.closesOn
                ? undefined
                : refuse('notice_running', {
                    zh: `公示期至 ${c.notice?.closesOn ?? '?'} 止,尚未结束`,
                    en: `the notice runs until ${c.notice?.closesOn ?? '?'}; it has not ended`,
                  }),
            () => {
              const open = c.objections.filter((o) => !o.ruling).length;
              return open === 0
                ? undefined
                : refuse('objection_pending', { zh: `尚有 ${open} 项异议未处理`, en: `${open} objection(s) still to be ruled on` });
            },
            () => {
              const date = typeof event.effectiveOn === 'string' ? parseDate(event.effectiveOn) : undefined;
              if (date !== undefined && c.notice && date > c.notice.closesOn) return undefined;
              return refuse('invalid_input', {
                zh: `生效日期须为公示期结束(${c.notice?.closesOn ?? '?'})之后的日期`,
                en: `the effective date must be a date after the notice ends (${c.notice?.closesOn ?? '?'})`,
              });
            },
          ),
        apply: ({ case: c, event }) => ({ ...c, status: 'effective', effectiveOn: requireDate(event.effectiveOn) }),
      },
      withdraw: {
        name: { zh: '撤回申请', en: 'withdraw the application' },
        from: ['draft', 'submitted', 'panel_review', 'decision_pending'],
        to: ['withdrawn'],
        roles: APPLICANTS,
        guard: ({ case: c, actor }) => onlyPerson(actor, c.applicantId, APPLICANT),
        apply: ({ case: c }) => ({ ...c, status: 'withdrawn' }),
      },
    },
  };
}

/** A new application in draft. */
export function newApplication(fields: Pick<PromotionCase, 'applicationId' | 'applicantId' | 'target' | 'facts'>): PromotionCase {
  return { ...fields, status: 'draft', panel: [], objections: [], history: [] };
}
