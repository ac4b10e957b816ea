import { describe, expect, it } from 'vitest';
import type { Month } from '../period/period.js';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import type { DisputeCase } from './dispute.js';
import { transition } from './machine.js';
import type { Actor } from './roles.js';
import {
  needsSignOff,
  newSignOff,
  payrollBlockers,
  type SignOffCase,
  type SignOffEvent,
  type SignOffEventType,
  signOffMachine,
  type SignOffState,
} from './signoff.js';
import { exhaustiveTable, type Expected } from './test-support.js';

const base = newSignOff({ agentId: 'agent-1', month: '2026-03' as Month, grade: 'unqualified' });

const EXPECTED: Expected<SignOffState, SignOffEventType> = {
  sign: { from: ['pending'], roles: ['director'] },
  return: { from: ['pending'], roles: ['director'] },
  resubmit: { from: ['returned'], roles: ['hr'] },
  withdraw: { from: ['pending', 'returned'], roles: ['hr'] },
};

const event = (type: SignOffEventType, on = '2026-04-20'): SignOffEvent => ({ type, on, opinion: 'checked against the QA records' });

describe('sign-off: every state × event × role', () => {
  exhaustiveTable(signOffMachine, EXPECTED, (state, type) => ({ state: { ...base, status: state }, event: event(type) }));
});

const director: Actor = { id: 'dir-1', roles: ['director'] };
const hr: Actor = { id: 'hr-1', roles: ['hr'] };

function run(state: SignOffCase, e: SignOffEvent, actor: Actor): SignOffCase {
  const result = transition(signOffMachine, state, e, actor);
  if (!result.ok) throw new Error(`${result.code}: ${result.reason.en}`);
  return result.state;
}

describe('R-PAY-7, R-DSP-3: the director signs off a below-qualified month', () => {
  const { grades } = parsePolicy(defaultPolicyText()).policy;

  it('needs a sign-off exactly for grades below qualified', () => {
    expect(['excellent', 'good', 'qualified', 'unqualified'].map((g) => needsSignOff(grades, g))).toEqual([false, false, false, true]);
    expect(() => needsSignOff(grades, 'awful')).toThrow(/unknown grade "awful"/);
  });

  it('pending → returned → pending → signed, each step recorded', () => {
    let c = run(base, { type: 'return', on: '2026-04-20', opinion: 'check the wrong-ticket count' }, director);
    c = run(c, { type: 'resubmit', on: '2026-04-21' }, hr);
    c = run(c, { type: 'sign', on: '2026-04-21' }, director);
    expect(c.status).toBe('signed');
    expect(c.history.map((s) => [s.event, s.by, s.on, s.opinion])).toEqual([
      ['return', 'dir-1', '2026-04-20', 'check the wrong-ticket count'],
      ['resubmit', 'hr-1', '2026-04-21', undefined],
      ['sign', 'dir-1', '2026-04-21', undefined],
    ]);
    const again = transition(signOffMachine, c, { type: 'sign', on: '2026-04-22' }, director);
    expect(again.ok ? 'ok' : again.code).toBe('case_closed');
  });

  it('nobody signs off their own month; returning and withdrawing need a reason', () => {
    const own = { ...base, agentId: 'dir-1' };
    expect(transition(signOffMachine, own, { type: 'sign', on: '2026-04-20' }, director)).toMatchObject({ ok: false, code: 'own_case' });
    expect(transition(signOffMachine, base, { type: 'return', on: '2026-04-20' }, director)).toMatchObject({ code: 'opinion_required' });
    expect(transition(signOffMachine, base, { type: 'withdraw', on: '2026-04-20' }, hr)).toMatchObject({ code: 'opinion_required' });
  });

  it('the payroll of a month waits for its open sign-offs and disputes', () => {
    const disputes: Pick<DisputeCase, 'status' | 'agentId' | 'month' | 'disputeId'>[] = [
      { disputeId: 'd1', agentId: 'agent-2', month: '2026-03' as Month, status: 'under_review' },
      { disputeId: 'd2', agentId: 'agent-3', month: '2026-03' as Month, status: 'closed' },
      { disputeId: 'd3', agentId: 'agent-4', month: '2026-02' as Month, status: 'filed' },
      { disputeId: 'd4', agentId: 'agent-5', month: '2026-03' as Month, status: 'none' },
    ];
    const signOffs = [
      base,
      { ...base, agentId: 'agent-6', status: 'signed' as const },
      { ...base, agentId: 'agent-7', status: 'returned' as const },
    ];
    const blockers = payrollBlockers('2026-03', signOffs, disputes);
    expect(blockers.map((b) => [b.kind, b.agentId])).toEqual([
      ['sign_off', 'agent-1'],
      ['sign_off', 'agent-7'],
      ['dispute', 'agent-2'],
    ]);
    expect(blockers[0]?.explain.zh).toBe('agent-1 的 2026-03 不合格结果待总监签字');
    expect(blockers[2]?.explain.en).toBe('dispute d1 of agent-2 is under review, not closed');
    expect(payrollBlockers('2026-01', signOffs, disputes)).toEqual([]);
  });
});
