import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../period/period.js';
import {
  type InspectionCase,
  type InspectionEvent,
  type InspectionEventType,
  inspectionMachine,
  type InspectionState,
  newInspection,
} from './inspection.js';
import { transition } from './machine.js';
import type { Actor } from './roles.js';
import { exhaustiveTable, type Expected } from './test-support.js';

const machine = inspectionMachine({ disputeWindowDays: 3 });

const base = newInspection({ inspectionId: 'i1', kind: 'conversations', agentId: 'agent-1', inspectorId: 'inspector-1' });
const PUBLISHED = '2025-09-30' as IsoDate;

const EXPECTED: Expected<InspectionState, InspectionEventType> = {
  start: { from: ['assigned'], roles: ['qa_inspector', 'team_lead'] },
  submit: { from: ['in_progress'], roles: ['qa_inspector', 'team_lead'] },
  return: { from: ['submitted'], roles: ['qa_manager', 'cs_manager'] },
  reassign: { from: ['assigned', 'in_progress'], roles: ['qa_manager', 'cs_manager'] },
  publish: { from: ['submitted'], roles: ['qa_manager', 'cs_manager'] },
  dispute: { from: ['published', 'disputed'], roles: ['agent'] },
};

function event(type: InspectionEventType, on = '2025-10-09'): InspectionEvent {
  switch (type) {
    case 'reassign':
      return { type, on, inspectorId: 'inspector-2', opinion: 'inspector on leave' };
    case 'return':
      return { type, on, opinion: 'item codes missing' };
    case 'dispute':
      return { type, on, opinion: 'the customer asked for that wording' };
    default:
      return { type, on };
  }
}

function inState(status: InspectionState): InspectionCase {
  return status === 'published' || status === 'disputed' ? { ...base, status, publishedOn: PUBLISHED } : { ...base, status };
}

describe('inspection: every state × event × role', () => {
  exhaustiveTable(machine, EXPECTED, (state, type) => ({
    state: inState(state),
    event: event(type),
    actorId: type === 'start' || type === 'submit' ? 'inspector-1' : type === 'dispute' ? 'agent-1' : undefined,
  }));
});

const inspector: Actor = { id: 'inspector-1', roles: ['qa_inspector'] };
const manager: Actor = { id: 'qa-manager-1', roles: ['qa_manager'] };
const agent: Actor = { id: 'agent-1', roles: ['agent'] };

function run(state: InspectionCase, e: InspectionEvent, actor: Actor): InspectionCase {
  const result = transition(machine, state, e, actor);
  if (!result.ok) throw new Error(`${result.code}: ${result.reason.en}`);
  return result.state;
}

function code(state: InspectionCase, e: InspectionEvent, actor: Actor): string {
  const result = transition(machine, state, e, actor);
  return result.ok ? 'ok' : result.code;
}

describe('inspection guards', () => {
  it('runs assigned → in_progress → submitted → published → disputed, recording every step', () => {
    let c = run(base, { type: 'start', on: '2025-09-29', at: '2025-09-29T09:00:00+08:00' }, inspector);
    c = run(c, { type: 'submit', on: '2025-09-29', opinion: ' two items found ' }, inspector);
    c = run(c, { type: 'publish', on: '2025-09-30' }, manager);
    expect(c.publishedOn).toBe('2025-09-30');
    c = run(c, event('dispute', '2025-10-11'), agent);
    expect(c.status).toBe('disputed');
    expect(c.history.map((s) => [s.event, s.from, s.to, s.by, s.as, s.on])).toEqual([
      ['start', 'assigned', 'in_progress', 'inspector-1', 'qa_inspector', '2025-09-29'],
      ['submit', 'in_progress', 'submitted', 'inspector-1', 'qa_inspector', '2025-09-29'],
      ['publish', 'submitted', 'published', 'qa-manager-1', 'qa_manager', '2025-09-30'],
      ['dispute', 'published', 'disputed', 'agent-1', 'agent', '2025-10-11'],
    ]);
    expect(c.history[0]?.at).toBe('2025-09-29T09:00:00+08:00');
    expect(c.history[1]?.opinion).toBe('two items found');
    // a second item of the same inspection may be disputed within the window
    expect(code(c, event('dispute', '2025-10-11'), agent)).toBe('ok');
  });

  it('only the assigned inspector starts and submits, and never on their own work', () => {
    expect(code(base, event('start'), { id: 'inspector-2', roles: ['qa_inspector'] })).toBe('not_party');
    const own = { ...base, inspectorId: 'agent-1' };
    expect(code(own, event('start'), { id: 'agent-1', roles: ['team_lead'] })).toBe('own_case');
    expect(code({ ...base, status: 'in_progress' }, event('submit'), { id: 'team-lead-9', roles: ['team_lead'] })).toBe('not_party');
  });

  it('nobody publishes or returns their own inspection or one about themselves', () => {
    const submitted = inState('submitted');
    expect(code(submitted, event('publish'), { id: 'inspector-1', roles: ['qa_inspector', 'qa_manager'] })).toBe('own_inspection');
    expect(code(submitted, event('return'), { id: 'inspector-1', roles: ['qa_manager'] })).toBe('own_inspection');
    expect(code(submitted, event('publish'), { id: 'agent-1', roles: ['cs_manager'] })).toBe('own_case');
    expect(code(submitted, { type: 'return', on: '2025-10-09' }, manager)).toBe('opinion_required');
  });

  it('reassigning needs a new inspector who is not the agent', () => {
    expect(run(inState('in_progress'), event('reassign'), manager)).toMatchObject({ status: 'assigned', inspectorId: 'inspector-2' });
    expect(code(base, { type: 'reassign', on: '2025-10-09', inspectorId: 'agent-1' }, manager)).toBe('own_case');
    expect(code(base, { type: 'reassign', on: '2025-10-09', inspectorId: '' }, manager)).toBe('invalid_input');
  });

  it('R-DSP-1: only the agent disputes, within 3 working days of publication, with a reason', () => {
    const published = inState('published');
    // published Tue 30 Sep 2025; Oct 1–8 off; Oct 9, 10, Sat 11 (make-up day) count
    expect(code(published, event('dispute', '2025-09-30'), agent)).toBe('ok');
    expect(code(published, event('dispute', '2025-10-05'), agent)).toBe('ok');
    expect(code(published, event('dispute', '2025-10-11'), agent)).toBe('ok');
    expect(code(published, event('dispute', '2025-10-12'), agent)).toBe('outside_window');
    expect(code(published, event('dispute', '2025-09-29'), agent)).toBe('outside_window');
    expect(code(published, event('dispute'), { id: 'agent-2', roles: ['agent'] })).toBe('not_party');
    expect(code(published, { type: 'dispute', on: '2025-10-09', opinion: '  ' }, agent)).toBe('opinion_required');
    expect(code({ ...published, publishedOn: undefined } as InspectionCase, event('dispute'), agent)).toBe('not_published');
    const refusal = transition(machine, published, event('dispute', '2025-10-13'), agent);
    expect(refusal.ok ? '' : refusal.reason.zh).toContain('截至 2025-10-11(含)');
  });

  it('refuses events dated before the last step, unknown events and bad dates', () => {
    const started = run(base, { type: 'start', on: '2025-09-29' }, inspector);
    expect(code(started, { type: 'submit', on: '2025-09-28' }, inspector)).toBe('date_before_last_step');
    expect(code(started, { type: 'approve', on: '2025-09-29' } as unknown as InspectionEvent, inspector)).toBe('unknown_event');
    expect(code(started, { type: 'toString', on: '2025-09-29' } as unknown as InspectionEvent, inspector)).toBe('unknown_event');
    expect(code(started, { type: 'submit', on: '29/09/2025' }, inspector)).toBe('invalid_date');
    expect(code({ ...started, status: 'lost' as InspectionState }, { type: 'submit', on: '2025-09-29' }, inspector)).toBe('unknown_state');
  });
});
