/**
 * An inspection (R-QA-2, R-QA-3): assigned → in_progress → submitted → published, and disputed
 * once the agent files a dispute within the window (R-DSP-1; the dispute machine decides it).
 * A reviewer may return a submitted inspection for rework, or reassign an unfinished one.
 */
import { chinaCalendar, type WorkingCalendar } from '../calendar/calendar.js';
import type { IsoDate } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import type { InspectionKind } from '../qa/policy.js';
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
  windowOrRefusal,
} from './machine.js';

export const INSPECTION_STATES = ['assigned', 'in_progress', 'submitted', 'published', 'disputed'] as const;
export type InspectionState = (typeof INSPECTION_STATES)[number];

export const INSPECTION_EVENTS = ['start', 'submit', 'return', 'reassign', 'publish', 'dispute'] as const;
export type InspectionEventType = (typeof INSPECTION_EVENTS)[number];

export type InspectionEvent =
  | (EventBase<'start'> & { type: 'start' })
  | (EventBase<'submit'> & { type: 'submit' })
  | (EventBase<'return'> & { type: 'return' })
  | (EventBase<'reassign'> & { type: 'reassign'; inspectorId: string })
  | (EventBase<'publish'> & { type: 'publish' })
  | (EventBase<'dispute'> & { type: 'dispute' });

export interface InspectionCase extends CaseBase<InspectionState, InspectionEventType> {
  inspectionId: string;
  kind: InspectionKind;
  /** The agent whose conversation or metrics are inspected. */
  agentId: string;
  /** The person assigned (a QA inspector or the agent's team lead, R-QA-3). */
  inspectorId: string;
  publishedOn?: IsoDate;
}

export interface InspectionMachineOptions {
  /** R-DSP-1: the policy's qa.disputeWindow.workingDays. */
  disputeWindowDays: number;
  calendar?: WorkingCalendar;
}

const AGENT: Bilingual = { zh: '被质检客服', en: 'inspected agent' };
const INSPECTOR: Bilingual = { zh: '指派的质检人', en: 'assigned inspector' };
const INSPECTION: Bilingual = { zh: '质检结果', en: 'inspection' };

export const INSPECTION_STATE_NAMES: Record<InspectionState, Bilingual> = {
  assigned: { zh: '已指派', en: 'assigned' },
  in_progress: { zh: '质检中', en: 'in progress' },
  submitted: { zh: '已提交', en: 'submitted' },
  published: { zh: '已发布', en: 'published' },
  disputed: { zh: '申诉中', en: 'disputed' },
};

export function inspectionMachine(options: InspectionMachineOptions): Machine<InspectionState, InspectionCase, InspectionEvent> {
  const calendar = options.calendar ?? chinaCalendar;
  const reviewers = ['qa_manager', 'cs_manager'] as const;
  const inspectors = ['qa_inspector', 'team_lead'] as const;
  return {
    name: 'inspection',
    title: { zh: '质检单', en: 'inspection' },
    states: INSPECTION_STATES,
    final: [],
    stateNames: INSPECTION_STATE_NAMES,
    events: INSPECTION_EVENTS,
    rules: {
      start: {
        name: { zh: '开始质检', en: 'start the inspection' },
        from: ['assigned'],
        to: ['in_progress'],
        roles: inspectors,
        guard: ({ case: c, actor }) =>
          firstRefusal(
            () => notSubject(actor, c.agentId, AGENT),
            () => onlyPerson(actor, c.inspectorId, INSPECTOR),
          ),
        apply: ({ case: c }) => ({ ...c, status: 'in_progress' }),
      },
      submit: {
        name: { zh: '提交质检结果', en: 'submit the inspection' },
        from: ['in_progress'],
        to: ['submitted'],
        roles: inspectors,
        guard: ({ case: c, actor }) =>
          firstRefusal(
            () => notSubject(actor, c.agentId, AGENT),
            () => onlyPerson(actor, c.inspectorId, INSPECTOR),
          ),
        apply: ({ case: c }) => ({ ...c, status: 'submitted' }),
      },
      return: {
        name: { zh: '退回重新质检', en: 'return the inspection for rework' },
        from: ['submitted'],
        to: ['in_progress'],
        roles: reviewers,
        guard: ({ case: c, actor, event }) =>
          firstRefusal(
            () => notSubject(actor, c.agentId, AGENT),
            () => notRespondent(actor, [c.inspectorId], INSPECTION),
            () => requireOpinion(event.opinion, { zh: '退回原因', en: 'a reason for returning it' }),
          ),
        apply: ({ case: c }) => ({ ...c, status: 'in_progress' }),
      },
      reassign: {
        name: { zh: '改派质检人', en: 'reassign the inspection' },
        from: ['assigned', 'in_progress'],
        to: ['assigned'],
        roles: reviewers,
        guard: ({ case: c, actor, event }) =>
          firstRefusal(
            () => notSubject(actor, c.agentId, AGENT),
            () =>
              typeof event.inspectorId !== 'string' || event.inspectorId === ''
                ? refuse('invalid_input', { zh: '须指定新的质检人', en: 'a new inspector is required' })
                : undefined,
            () =>
              event.inspectorId === c.agentId
                ? refuse('own_case', { zh: '不能指派客服质检本人', en: 'an agent cannot inspect their own work' })
                : undefined,
          ),
        apply: ({ case: c, event }) => ({ ...c, status: 'assigned', inspectorId: event.inspectorId }),
      },
      publish: {
        name: { zh: '发布质检结果', en: 'publish the inspection' },
        from: ['submitted'],
        to: ['published'],
        roles: reviewers,
        guard: ({ case: c, actor }) =>
          firstRefusal(
            () => notSubject(actor, c.agentId, AGENT),
            () => notRespondent(actor, [c.inspectorId], INSPECTION),
          ),
        apply: ({ case: c, on }) => ({ ...c, status: 'published', publishedOn: on }),
      },
      dispute: {
        name: { zh: '提出申诉', en: 'dispute the inspection' },
        from: ['published', 'disputed'],
        to: ['disputed'],
        roles: ['agent'],
        guard: ({ case: c, actor, event, on }) =>
          firstRefusal(
            () => onlyPerson(actor, c.agentId, AGENT),
            () => disputeWindowRefusal(c.publishedOn, on, options.disputeWindowDays, calendar),
            () => requireOpinion(event.opinion, { zh: '申诉理由', en: 'a reason for the dispute' }),
          ),
        apply: ({ case: c }) => ({ ...c, status: 'disputed' }),
      },
    },
  };
}

/** R-DSP-1: a result may be disputed from its publication through the window's last working day. */
export function disputeWindowRefusal(
  publishedOn: IsoDate | undefined,
  on: IsoDate,
  workingDays: number,
  calendar: WorkingCalendar,
): Refusal | undefined {
  if (publishedOn === undefined) {
    return refuse('not_published', { zh: '结果尚未发布,不能申诉', en: 'the result is not published yet, so it cannot be disputed' });
  }
  const window = windowOrRefusal(publishedOn, workingDays, calendar);
  if ('ok' in window) return window;
  if (on >= window.opensOn && on <= window.closesOn) return undefined;
  return refuse('outside_window', {
    zh: `申诉期为发布后 ${workingDays} 个工作日:${window.explain.zh};${on} 不在申诉期内`,
    en: `disputes are open for ${workingDays} working days after publication: ${window.explain.en}; ${on} is outside it`,
  });
}

/** A new inspection, assigned to its inspector. */
export function newInspection(fields: Pick<InspectionCase, 'inspectionId' | 'kind' | 'agentId' | 'inspectorId'>): InspectionCase {
  return { ...fields, status: 'assigned', history: [] };
}
