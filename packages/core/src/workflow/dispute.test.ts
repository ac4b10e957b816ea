import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.js';
import type { IsoDate, Month } from '../period/period.js';
import {
  type DisputeCase,
  type DisputeEvent,
  type DisputeEventType,
  disputeMachine,
  type DisputeState,
  newDispute,
  PANEL_SEATS,
  type PanelView,
} from './dispute.js';
import { chinaCalendar } from '../calendar/calendar.js';
import { transition } from './machine.js';
import type { Actor } from './roles.js';
import { exhaustiveTable, type Expected } from './test-support.js';

const machine = disputeMachine({ disputeWindowDays: 3 });
const d = (v: number | string) => new Decimal(v);

const base = newDispute({
  disputeId: 'd1',
  agentId: 'agent-1',
  subject: { kind: 'inspection_item', inspectionId: 'i1', item: 'wrong_information', points: d(5) },
  month: '2025-09' as Month,
  publishedOn: '2025-09-30' as IsoDate,
  respondents: ['inspector-1'],
  cutoffOn: '2025-10-22' as IsoDate,
  belowQualified: false,
});

const fullPanel: PanelView[] = PANEL_SEATS.map((seat) => ({
  seat,
  by: `${seat}-member`,
  on: '2025-10-10' as IsoDate,
  view: 'overturned',
  opinion: 'the information was right at the time',
}));

const EXPECTED: Expected<DisputeState, DisputeEventType> = {
  file: { from: ['none'], roles: ['agent'] },
  review: { from: ['filed'], roles: ['qa_manager'] },
  record_view: { from: ['under_review'], roles: ['qa_manager', 'vip_manager', 'team_lead'] },
  decide: { from: ['under_review'], roles: ['qa_manager'] },
  escalate: { from: ['filed', 'under_review'], roles: ['qa_manager', 'hr', 'director'] },
  director_decide: { from: ['escalated'], roles: ['director'] },
  withdraw: { from: ['filed', 'under_review', 'escalated'], roles: ['agent'] },
};

function event(type: DisputeEventType, on = '2025-10-10'): DisputeEvent {
  switch (type) {
    case 'file':
      return { type, on: '2025-10-09', opinion: 'the price was correct when I answered' };
    case 'record_view':
      return { type, on, view: 'changed', points: d(2), opinion: 'partly right' };
    case 'decide':
    case 'director_decide':
      return { type, on, outcome: 'overturned', opinion: 'the price list changed that day' };
    case 'escalate':
      return { type, on: '2025-10-22' };
    default:
      return { type, on };
  }
}

describe('dispute: every state × event × role', () => {
  exhaustiveTable(machine, EXPECTED, (state, type) => ({
    state: { ...base, status: state, views: type === 'decide' ? fullPanel : [] },
    event: event(type),
    actorId: type === 'file' || type === 'withdraw' ? 'agent-1' : undefined,
  }));
});

const agent: Actor = { id: 'agent-1', roles: ['agent'] };
const qaManager: Actor = { id: 'qam-1', roles: ['qa_manager'] };
const vipManager: Actor = { id: 'vipm-1', roles: ['vip_manager'] };
const teamLead: Actor = { id: 'tl-2', roles: ['team_lead'] };
const director: Actor = { id: 'dir-1', roles: ['director'] };

function run(state: DisputeCase, e: DisputeEvent, actor: Actor): DisputeCase {
  const result = transition(machine, state, e, actor);
  if (!result.ok) throw new Error(`${result.code}: ${result.reason.en}`);
  return result.state;
}

function code(state: DisputeCase, e: DisputeEvent, actor: Actor): string {
  const result = transition(machine, state, e, actor);
  return result.ok ? 'ok' : result.code;
}

function reviewed(): DisputeCase {
  return run(run(base, event('file'), agent), { type: 'review', on: '2025-10-09' }, qaManager);
}

function withViews(c: DisputeCase): DisputeCase {
  let next = run(c, { type: 'record_view', on: '2025-10-10', view: 'overturned', opinion: 'price list changed' }, qaManager);
  next = run(next, { type: 'record_view', on: '2025-10-10', view: 'changed', points: d(2), opinion: 'partly' }, vipManager);
  return run(next, { type: 'record_view', on: '2025-10-13', view: 'overturned', opinion: 'agree with QA manager' }, teamLead);
}

describe('R-DSP: the panel decides, with reasons', () => {
  it('filed → under_review → three views → changed → closed, every step recorded', () => {
    const c = withViews(reviewed());
    expect(c.views.map((v) => [v.seat, v.by, v.view, v.points?.toFixed()])).toEqual([
      ['qa_manager', 'qam-1', 'overturned', undefined],
      ['vip_manager', 'vipm-1', 'changed', '2'],
      ['team_lead', 'tl-2', 'overturned', undefined],
    ]);
    const closed = run(
      c,
      { type: 'decide', on: '2025-10-14', outcome: 'changed', points: d(1), opinion: 'one point for the late correction' },
      qaManager,
    );
    expect(closed.status).toBe('closed');
    expect(closed.decision).toEqual({
      level: 'panel',
      outcome: 'changed',
      points: d(1),
      by: 'qam-1',
      on: '2025-10-14',
      opinion: 'one point for the late correction',
    });
    expect(closed.history.map((s) => `${s.event}:${s.by}:${s.as}`)).toEqual([
      'file:agent-1:agent',
      'review:qam-1:qa_manager',
      'record_view:qam-1:qa_manager',
      'record_view:vipm-1:vip_manager',
      'record_view:tl-2:team_lead',
      'decide:qam-1:qa_manager',
    ]);
    expect(closed.history[0]?.opinion).toBe('the price was correct when I answered');
  });

  it('a second decision on a closed dispute is refused', () => {
    const closed = run(withViews(reviewed()), event('decide', '2025-10-14'), qaManager);
    const again = transition(machine, closed, event('decide', '2025-10-15'), qaManager);
    expect(again.ok ? 'ok' : again.code).toBe('case_closed');
    expect(again.ok ? '' : again.reason.zh).toContain('已结案');
    expect(code(closed, event('director_decide', '2025-10-15'), director)).toBe('case_closed');
    expect(code(closed, event('withdraw', '2025-10-15'), agent)).toBe('case_closed');
  });

  it('the panel outcome needs all three views', () => {
    const c = run(reviewed(), { type: 'record_view', on: '2025-10-10', view: 'upheld', opinion: 'rule is clear' }, qaManager);
    const result = transition(machine, c, event('decide'), qaManager);
    expect(result.ok ? 'ok' : result.code).toBe('views_missing');
    expect(result.ok ? '' : result.reason.en).toBe('the panel still lacks the view of the VIP manager, basic team lead');
  });

  it('one view per seat and per person', () => {
    const c = run(reviewed(), { type: 'record_view', on: '2025-10-10', view: 'upheld', opinion: 'rule is clear' }, qaManager);
    expect(code(c, event('record_view'), { id: 'qam-2', roles: ['qa_manager'] })).toBe('already_recorded');
    expect(code(c, event('record_view'), { id: 'qam-1', roles: ['qa_manager', 'vip_manager'] })).toBe('already_recorded');
    // someone holding two panel roles fills the first open seat
    const both = run(reviewed(), event('record_view'), { id: 'x-1', roles: ['qa_manager', 'vip_manager'] });
    expect(both.views[0]?.seat).toBe('qa_manager');
    const next = run(c, event('record_view'), { id: 'x-2', roles: ['qa_manager', 'vip_manager'] });
    expect(next.views[1]?.seat).toBe('vip_manager');
  });

  it('nobody decides their own case', () => {
    const c = reviewed();
    // the agent cannot sit on the panel of their own dispute, whatever role they hold
    expect(code(run(base, event('file'), agent), event('review'), { id: 'agent-1', roles: ['qa_manager'] })).toBe('own_case');
    expect(code(c, event('record_view'), { id: 'agent-1', roles: ['team_lead'] })).toBe('own_case');
    // a team lead cannot rule on a dispute about their own inspection
    expect(code(c, event('record_view'), { id: 'inspector-1', roles: ['team_lead'] })).toBe('own_inspection');
    const full = { ...c, views: fullPanel };
    expect(code(full, event('decide'), { id: 'inspector-1', roles: ['qa_manager'] })).toBe('own_inspection');
    expect(code(full, event('decide'), { id: 'agent-1', roles: ['qa_manager'] })).toBe('own_case');
    const escalated = { ...c, status: 'escalated' as const };
    expect(code(escalated, event('director_decide'), { id: 'agent-1', roles: ['director'] })).toBe('own_case');
    expect(code(escalated, event('director_decide'), { id: 'inspector-1', roles: ['director'] })).toBe('own_inspection');
  });

  it('outcomes: a changed item needs new points; a month result may change without', () => {
    const full = { ...reviewed(), views: fullPanel };
    expect(code(full, { type: 'decide', on: '2025-10-14', outcome: 'changed', opinion: 'x' }, qaManager)).toBe('invalid_input');
    expect(code(full, { type: 'decide', on: '2025-10-14', outcome: 'changed', points: d(5), opinion: 'x' }, qaManager)).toBe(
      'invalid_input',
    );
    expect(code(full, { type: 'decide', on: '2025-10-14', outcome: 'changed', points: d(-1), opinion: 'x' }, qaManager)).toBe(
      'invalid_input',
    );
    expect(code(full, { type: 'decide', on: '2025-10-14', outcome: 'maybe', opinion: 'x' } as unknown as DisputeEvent, qaManager)).toBe(
      'invalid_input',
    );
    expect(code(full, { type: 'decide', on: '2025-10-14', outcome: 'upheld' }, qaManager)).toBe('opinion_required');
    const month = { ...full, subject: { kind: 'month_result' as const } };
    expect(code(month, { type: 'decide', on: '2025-10-14', outcome: 'changed', opinion: 'grade corrected' }, qaManager)).toBe('ok');
    expect(code(reviewed(), { type: 'record_view', on: '2025-10-14', view: 'changed', opinion: 'x' }, qaManager)).toBe('invalid_input');
  });

  it('R-DSP-1: filed only by the agent, on a published result, within 3 working days', () => {
    expect(code(base, { ...event('file'), on: '2025-10-11' }, agent)).toBe('ok');
    expect(code(base, { ...event('file'), on: '2025-10-13' }, agent)).toBe('outside_window');
    expect(code(base, event('file'), { id: 'agent-2', roles: ['agent'] })).toBe('not_party');
    expect(code({ ...base, publishedOn: undefined }, event('file'), agent)).toBe('not_published');
    expect(code(base, { type: 'file', on: '2025-10-09' }, agent)).toBe('opinion_required');
    // Spring Festival 2026: published Thu 12 Feb; Fri 13, Sat 14 (make-up), Tue 24 count
    const spring = { ...base, publishedOn: '2026-02-12' as IsoDate, month: '2026-01' as Month, cutoffOn: '2026-02-22' as IsoDate };
    expect(code(spring, { ...event('file'), on: '2026-02-24' }, agent)).toBe('ok');
    expect(code(spring, { ...event('file'), on: '2026-02-25' }, agent)).toBe('outside_window');
  });

  it('refuses, naming the year, a window that runs into a year the calendar does not know', () => {
    const last = Math.max(...chinaCalendar.years);
    const late = { ...base, publishedOn: `${last}-12-30` as IsoDate, cutoffOn: `${last + 1}-01-22` as IsoDate };
    const result = transition(machine, late, { ...event('file'), on: `${last}-12-31` }, agent);
    expect(result.ok ? 'ok' : result.code).toBe('calendar_unknown_year');
    expect(result.ok ? '' : result.reason.en).toContain(`no holidays or make-up working days for ${last + 1}`);
  });

  it('the agent may withdraw before the final decision', () => {
    const c = run(reviewed(), { type: 'withdraw', on: '2025-10-10', opinion: 'understood' }, agent);
    expect([c.status, c.decision?.outcome, c.decision?.level]).toEqual(['closed', 'withdrawn', 'withdrawn']);
    expect(code(reviewed(), event('withdraw'), { id: 'agent-2', roles: ['agent'] })).toBe('not_party');
  });
});

describe('R-DSP-3: to the director at the payroll cut-off, or for a below-qualified month', () => {
  it('unresolved at the cut-off: the panel can no longer decide; it is escalated and the director decides, finally', () => {
    const c = withViews(reviewed());
    expect(code(c, event('decide', '2025-10-22'), qaManager)).toBe('ok'); // the cut-off day itself
    expect(code(c, event('decide', '2025-10-23'), qaManager)).toBe('past_cutoff');
    expect(code(reviewed(), { type: 'escalate', on: '2025-10-21' }, { id: 'hr-1', roles: ['hr'] })).toBe('not_escalable');
    const escalated = run(reviewed(), { type: 'escalate', on: '2025-10-22' }, { id: 'hr-1', roles: ['hr'] });
    expect(escalated.escalation).toEqual({ on: '2025-10-22', by: 'hr-1', because: ['cutoff'] });
    const closed = run(escalated, { type: 'director_decide', on: '2025-10-23', outcome: 'upheld', opinion: 'the rule applies' }, director);
    expect(closed.decision).toMatchObject({ level: 'director', outcome: 'upheld', by: 'dir-1' });
    expect(code(closed, event('director_decide', '2025-10-24'), director)).toBe('case_closed');
  });

  it('a below-qualified month goes to the director after the panel, or at once', () => {
    const below = { ...base, belowQualified: true };
    const c = withViews(run(run(below, event('file'), agent), { type: 'review', on: '2025-10-09' }, qaManager));
    const after = run(c, event('decide', '2025-10-14'), qaManager);
    expect(after.status).toBe('escalated');
    expect(after.panelDecision).toMatchObject({ level: 'panel', outcome: 'overturned' });
    expect(after.decision).toBeUndefined();
    expect(after.escalation?.because).toEqual(['below_qualified']);
    const early = run(run(below, event('file'), agent), { type: 'escalate', on: '2025-10-09' }, qaManager);
    expect(early.escalation?.because).toEqual(['below_qualified']);
    const final = run(
      after,
      { type: 'director_decide', on: '2025-10-15', outcome: 'changed', points: d(3), opinion: 'three points stand' },
      director,
    );
    expect(final.decision).toMatchObject({ level: 'director', outcome: 'changed', points: d(3) });
  });
});
