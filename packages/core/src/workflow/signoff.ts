/**
 * The director's sign-off of a below-qualified month (R-PAY-7, R-DSP-3): pending → signed. The
 * director may return it to HR with a reason (HR re-checks and resubmits), and HR withdraws it when
 * a recomputation lifts the month to qualified. A month's payroll cannot be approved while a
 * sign-off or a dispute of that month is open (payrollBlockers).
 */
import type { Month } from '../period/period.js';
import type { Bilingual, Grade } from '../policy/model.js';
import { type DisputeCase, DISPUTE_STATE_NAMES } from './dispute.js';
import { type CaseBase, type EventBase, firstRefusal, type Machine, notSubject, requireOpinion } from './machine.js';

export const SIGN_OFF_STATES = ['pending', 'returned', 'signed', 'withdrawn'] as const;
export type SignOffState = (typeof SIGN_OFF_STATES)[number];

export const SIGN_OFF_EVENTS = ['sign', 'return', 'resubmit', 'withdraw'] as const;
export type SignOffEventType = (typeof SIGN_OFF_EVENTS)[number];

export interface SignOffCase extends CaseBase<SignOffState, SignOffEventType> {
  /** The employee whose month is below qualified. */
  agentId: string;
  month: Month;
  /** The month's grade code (R-PAY-7), not qualified. */
  grade: string;
}

export type SignOffEvent =
  | (EventBase<'sign'> & { type: 'sign' })
  | (EventBase<'return'> & { type: 'return' })
  | (EventBase<'resubmit'> & { type: 'resubmit' })
  | (EventBase<'withdraw'> & { type: 'withdraw' });

export const SIGN_OFF_STATE_NAMES: Record<SignOffState, Bilingual> = {
  pending: { zh: '待总监签字', en: "awaiting the director's sign-off" },
  returned: { zh: '已退回', en: 'returned' },
  signed: { zh: '总监已签字', en: 'signed by the director' },
  withdrawn: { zh: '已撤销', en: 'withdrawn' },
};

const EMPLOYEE: Bilingual = { zh: '被考核员工', en: 'employee whose month it is' };

export const signOffMachine: Machine<SignOffState, SignOffCase, SignOffEvent> = {
  name: 'sign_off',
  title: { zh: '不合格签字确认', en: 'below-qualified sign-off' },
  states: SIGN_OFF_STATES,
  final: ['signed', 'withdrawn'],
  stateNames: SIGN_OFF_STATE_NAMES,
  events: SIGN_OFF_EVENTS,
  rules: {
    sign: {
      name: { zh: '签字确认', en: 'sign off the result' },
      from: ['pending'],
      to: ['signed'],
      roles: ['director'],
      guard: ({ case: c, actor }) => notSubject(actor, c.agentId, EMPLOYEE),
      apply: ({ case: c }) => ({ ...c, status: 'signed' }),
    },
    return: {
      name: { zh: '退回复核', en: 'return the result for a re-check' },
      from: ['pending'],
      to: ['returned'],
      roles: ['director'],
      guard: ({ case: c, actor, event }) =>
        firstRefusal(
          () => notSubject(actor, c.agentId, EMPLOYEE),
          () => requireOpinion(event.opinion, { zh: '退回原因', en: 'a reason for returning it' }),
        ),
      apply: ({ case: c }) => ({ ...c, status: 'returned' }),
    },
    resubmit: {
      name: { zh: '复核后重新提交', en: 'resubmit the re-checked result' },
      from: ['returned'],
      to: ['pending'],
      roles: ['hr'],
      guard: ({ case: c, actor }) => notSubject(actor, c.agentId, EMPLOYEE),
      apply: ({ case: c }) => ({ ...c, status: 'pending' }),
    },
    withdraw: {
      name: { zh: '撤销签字申请', en: 'withdraw the sign-off request' },
      from: ['pending', 'returned'],
      to: ['withdrawn'],
      roles: ['hr'],
      guard: ({ case: c, actor, event }) =>
        firstRefusal(
          () => notSubject(actor, c.agentId, EMPLOYEE),
          () => requireOpinion(event.opinion, { zh: '撤销原因(如重算后已合格)', en: 'a reason (such as: qualified after recomputation)' }),
        ),
      apply: ({ case: c }) => ({ ...c, status: 'withdrawn' }),
    },
  },
};

/** R-PAY-7: a month whose grade is not qualified needs the director's sign-off. */
export function needsSignOff(grades: Readonly<Record<string, Grade>>, grade: string): boolean {
  const found = grades[grade];
  if (!found) throw new RangeError(`unknown grade "${grade}" (grades: ${Object.keys(grades).join(', ')})`);
  return !found.qualified;
}

/** A new sign-off request for a below-qualified month. */
export function newSignOff(fields: Omit<SignOffCase, 'status' | 'history'>): SignOffCase {
  return { ...fields, status: 'pending', history: [] };
}

export interface PayrollBlocker {
  kind: 'sign_off' | 'dispute';
  agentId: string;
  explain: Bilingual;
}

/**
 * R-DSP-3: what stops a month's payroll from being approved — every sign-off of the month not yet
 * signed (or withdrawn) and every dispute of the month not yet closed. Empty when it may go ahead.
 */
export function payrollBlockers(
  month: string,
  signOffs: readonly Pick<SignOffCase, 'status' | 'agentId' | 'month'>[],
  disputes: readonly Pick<DisputeCase, 'status' | 'agentId' | 'month' | 'disputeId'>[],
): PayrollBlocker[] {
  const blockers: PayrollBlocker[] = [];
  for (const s of signOffs) {
    if (s.month !== month || s.status === 'signed' || s.status === 'withdrawn') continue;
    const state = SIGN_OFF_STATE_NAMES[s.status];
    blockers.push({
      kind: 'sign_off',
      agentId: s.agentId,
      explain: { zh: `${s.agentId} 的 ${month} 不合格结果${state.zh}`, en: `${s.agentId}'s below-qualified ${month} is ${state.en}` },
    });
  }
  for (const d of disputes) {
    if (d.month !== month || d.status === 'closed' || d.status === 'none') continue;
    const state = DISPUTE_STATE_NAMES[d.status];
    blockers.push({
      kind: 'dispute',
      agentId: d.agentId,
      explain: {
        zh: `${d.agentId} 的申诉 ${d.disputeId} ${state.zh},尚未结案`,
        en: `dispute ${d.disputeId} of ${d.agentId} is ${state.en}, not closed`,
      },
    });
  }
  return blockers;
}
