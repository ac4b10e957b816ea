import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.js';
import type { IsoDate } from '../period/period.js';
import { ValidationError } from '../validate/problems.js';
import { type ApplicantFacts, checkEligibility } from './eligibility.js';
import { chinaCalendar } from '../calendar/calendar.js';
import { transition } from './machine.js';
import {
  newApplication,
  type PanelScore,
  type PromotionCase,
  type PromotionEvent,
  type PromotionEventType,
  promotionMachine,
  type PromotionState,
} from './promotion.js';
import { parsePromotionRules, readPromotionRules } from './promotion-policy.js';
import { type Actor, DEPARTMENT_ROLES } from './roles.js';
import { exhaustiveTable, type Expected } from './test-support.js';
import { parse } from 'yaml';

const rulesText = readFileSync(new URL('./default-promotion.yaml', import.meta.url), 'utf8');
const rules = parsePromotionRules(rulesText);
const machine = promotionMachine({ rules });
const d = (v: number | string) => new Decimal(v);

const facts: ApplicantFacts = {
  hiredOn: '2023-03-01' as IsoDate,
  levelSince: '2024-06-01' as IsoDate,
  csat: d('0.97'),
  complaintResolutionRate: d('0.93'),
  handleTime: d(240),
  testScore: d(90),
  internalComplaints: 0,
};
const base = newApplication({
  applicationId: 'a1',
  applicantId: 'agent-1',
  target: { track: 'position', from: null, to: 'team_lead' },
  facts,
});

const fullPanel: PanelScore[] = [
  { seat: 'cs_manager', by: 'csm-1', on: '2025-09-26' as IsoDate, interview: d(80), caseAnalysis: d(85), opinion: 'clear answers' },
  { seat: 'hr', by: 'hr-1', on: '2025-09-26' as IsoDate, interview: d(76), caseAnalysis: d(72), opinion: 'good attendance record' },
];
const notice = { opensOn: '2025-09-30' as IsoDate, closesOn: '2025-10-14' as IsoDate, workingDays: 5, explain: { zh: '', en: '' } };

const EXPECTED: Expected<PromotionState, PromotionEventType> = {
  submit: { from: ['draft'], roles: ['agent', 'team_lead'] },
  lead_opinion: { from: ['submitted'], roles: ['team_lead', 'cs_manager'] },
  panel_review: { from: ['panel_review'], roles: ['cs_manager', 'hr'] },
  decide: { from: ['decision_pending'], roles: ['director'] },
  publish_notice: { from: ['approved'], roles: ['hr'] },
  object: { from: ['on_notice'], roles: DEPARTMENT_ROLES },
  uphold_objection: { from: ['on_notice'], roles: ['director'] },
  dismiss_objection: { from: ['on_notice'], roles: ['director'] },
  make_effective: { from: ['on_notice'], roles: ['hr'] },
  withdraw: { from: ['draft', 'submitted', 'panel_review', 'decision_pending'], roles: ['agent', 'team_lead'] },
};

function event(type: PromotionEventType): PromotionEvent {
  switch (type) {
    case 'submit':
      return { type, on: '2025-09-26', opinion: '2 years on the VIP queue; trained 6 new agents' };
    case 'lead_opinion':
      return { type, on: '2025-09-26', recommend: true, opinion: 'ready to lead a team' };
    case 'panel_review':
      return { type, on: '2025-09-26', interview: d(80), caseAnalysis: d(85), opinion: 'solid case analysis' };
    case 'decide':
      return { type, on: '2025-09-29', outcome: 'approved', opinion: 'approved on the panel scores' };
    case 'publish_notice':
      return { type, on: '2025-09-30' };
    case 'object':
      return { type, on: '2025-10-09', opinion: 'an internal complaint in August is missing from the record' };
    case 'uphold_objection':
    case 'dismiss_objection':
      return { type, on: '2025-10-10', objection: 0, opinion: 'checked the complaint log' };
    case 'make_effective':
      return { type, on: '2025-10-15', effectiveOn: '2025-11-01' };
    case 'withdraw':
      return { type, on: '2025-09-26' };
  }
}

function inState(status: PromotionState, type: PromotionEventType): PromotionCase {
  const c: PromotionCase = { ...base, status };
  if (status === 'decision_pending') c.panel = fullPanel;
  if (status === 'on_notice') {
    c.notice = notice;
    if (type === 'uphold_objection' || type === 'dismiss_objection') {
      c.objections = [{ by: 'agent-9', on: '2025-10-09' as IsoDate, opinion: 'complaint missing' }];
    }
  }
  return c;
}

describe('promotion application: every state × event × role', () => {
  exhaustiveTable(machine, EXPECTED, (state, type) => ({
    state: inState(state, type),
    event: event(type),
    actorId: type === 'submit' || type === 'withdraw' ? 'agent-1' : undefined,
  }));
});

const applicant: Actor = { id: 'agent-1', roles: ['agent'] };
const lead: Actor = { id: 'tl-1', roles: ['team_lead'] };
const csManager: Actor = { id: 'csm-1', roles: ['cs_manager'] };
const hr: Actor = { id: 'hr-1', roles: ['hr'] };
const director: Actor = { id: 'dir-1', roles: ['director'] };
const colleague: Actor = { id: 'agent-9', roles: ['agent'] };

function run(state: PromotionCase, e: PromotionEvent, actor: Actor): PromotionCase {
  const result = transition(machine, state, e, actor);
  if (!result.ok) throw new Error(`${result.code}: ${result.reason.en}`);
  return result.state;
}

function refusal(state: PromotionCase, e: PromotionEvent, actor: Actor) {
  const result = transition(machine, state, e, actor);
  if (result.ok) throw new Error('expected a refusal');
  return result;
}

function approved(): PromotionCase {
  let c = run(base, event('submit'), applicant);
  c = run(c, event('lead_opinion'), lead);
  c = run(c, event('panel_review'), csManager);
  c = run(c, { type: 'panel_review', on: '2025-09-26', interview: d(74), caseAnalysis: d(70), opinion: 'fine' }, hr);
  return run(c, event('decide'), director);
}

describe('R-APP-2/3: the steps, each recorded with who, when and their opinion', () => {
  it('draft → … → on notice for 5 working days across National Day 2025 → effective', () => {
    let c = approved();
    expect(c.status).toBe('approved');
    c = run(c, event('publish_notice'), hr);
    expect(c.notice).toMatchObject({ opensOn: '2025-09-30', closesOn: '2025-10-14', workingDays: 5 });
    expect(c.notice?.explain.zh).toContain('调休上班日 10-11 计入');
    c = run(c, { type: 'object', on: '2025-10-14', opinion: 'worked with them, no issue — asking about the test date' }, colleague);
    c = run(c, { type: 'dismiss_objection', on: '2025-10-15', objection: 0, opinion: 'the test was taken on time' }, director);
    c = run(c, { type: 'make_effective', on: '2025-10-15', effectiveOn: '2025-11-01' }, hr);
    expect([c.status, c.effectiveOn]).toEqual(['effective', '2025-11-01']);
    expect(c.history.map((s) => [s.event, s.by, s.as, s.on])).toEqual([
      ['submit', 'agent-1', 'agent', '2025-09-26'],
      ['lead_opinion', 'tl-1', 'team_lead', '2025-09-26'],
      ['panel_review', 'csm-1', 'cs_manager', '2025-09-26'],
      ['panel_review', 'hr-1', 'hr', '2025-09-26'],
      ['decide', 'dir-1', 'director', '2025-09-29'],
      ['publish_notice', 'hr-1', 'hr', '2025-09-30'],
      ['object', 'agent-9', 'agent', '2025-10-14'],
      ['dismiss_objection', 'dir-1', 'director', '2025-10-15'],
      ['make_effective', 'hr-1', 'hr', '2025-10-15'],
    ]);
    expect(c.history.filter((s) => s.opinion).length).toBe(7);
    expect(c.summary).toBe('2 years on the VIP queue; trained 6 new agents');
    expect(c.lead).toEqual({ by: 'tl-1', on: '2025-09-26', opinion: 'ready to lead a team', recommend: true });
    expect(c.panel.map((p) => [p.seat, p.by, p.interview.toFixed()])).toEqual([
      ['cs_manager', 'csm-1', '80'],
      ['hr', 'hr-1', '74'],
    ]);
    expect(c.decision).toMatchObject({ outcome: 'approved', by: 'dir-1' });
    expect(c.objections[0]?.ruling).toMatchObject({ upheld: false, by: 'dir-1' });
    expect(c.eligibility?.eligible).toBe(true);
  });

  it('a notice across Spring Festival 2026 ends on 26 Feb', () => {
    const c = run(approved(), { type: 'publish_notice', on: '2026-02-12' }, hr);
    expect(c.notice?.closesOn).toBe('2026-02-26');
    expect(refusal(c, { type: 'make_effective', on: '2026-02-26', effectiveOn: '2026-03-01' }, hr).code).toBe('notice_running');
    expect(run(c, { type: 'make_effective', on: '2026-02-27', effectiveOn: '2026-03-01' }, hr).status).toBe('effective');
  });

  it('refuses to publish a notice the calendar cannot count', () => {
    const last = Math.max(...chinaCalendar.years);
    const result = refusal(approved(), { type: 'publish_notice', on: `${last}-12-29` }, hr);
    expect(result.code).toBe('calendar_unknown_year');
    expect(result.reason.zh).toContain(`${last + 1} 年`);
  });

  it('an upheld objection rejects the application', () => {
    let c = run(approved(), event('publish_notice'), hr);
    c = run(c, event('object'), colleague);
    c = run(c, { type: 'uphold_objection', on: '2025-10-10', objection: 0, opinion: 'the complaint is on record' }, director);
    expect(c.status).toBe('rejected');
    expect(c.objections[0]?.ruling?.upheld).toBe(true);
    expect(refusal(c, event('make_effective'), hr).code).toBe('case_closed');
  });

  it('objections: only during the notice, never by the applicant, ruled by someone else', () => {
    const c = run(approved(), event('publish_notice'), hr);
    expect(refusal(c, { ...event('object'), on: '2025-10-15' }, colleague).code).toBe('outside_window');
    expect(refusal(c, event('object'), applicant).code).toBe('own_case');
    expect(refusal(c, { type: 'object', on: '2025-10-09' }, colleague).code).toBe('opinion_required');
    expect(transition(machine, c, event('object'), { id: 'admin-1', roles: ['admin'] })).toMatchObject({ code: 'role_not_allowed' });
    const objected = run(c, event('object'), { id: 'dir-1', roles: ['director'] });
    expect(refusal(objected, event('dismiss_objection'), director).code).toBe('own_case');
    expect(refusal(objected, { ...event('dismiss_objection'), objection: 3 }, { id: 'dir-2', roles: ['director'] }).code).toBe(
      'no_open_objection',
    );
    expect(refusal(objected, { ...event('make_effective'), on: '2025-10-16' }, hr).code).toBe('objection_pending');
    const ruled = run(objected, event('dismiss_objection'), { id: 'dir-2', roles: ['director'] });
    expect(refusal(ruled, event('dismiss_objection'), { id: 'dir-2', roles: ['director'] }).code).toBe('no_open_objection');
    expect(refusal(ruled, { ...event('make_effective'), effectiveOn: '2025-10-14' }, hr).code).toBe('invalid_input');
  });

  it('nobody reviews their own case', () => {
    const submitted = run(base, event('submit'), applicant);
    expect(refusal(submitted, event('lead_opinion'), { id: 'agent-1', roles: ['team_lead'] }).code).toBe('own_case');
    const inPanel = run(submitted, event('lead_opinion'), lead);
    expect(refusal(inPanel, event('panel_review'), { id: 'agent-1', roles: ['hr'] }).code).toBe('own_case');
    const pending = { ...inPanel, status: 'decision_pending' as const, panel: fullPanel };
    expect(refusal(pending, event('decide'), { id: 'agent-1', roles: ['director'] }).code).toBe('own_case');
    expect(refusal({ ...pending, status: 'approved' }, event('publish_notice'), { id: 'agent-1', roles: ['hr'] }).code).toBe('own_case');
    expect(refusal(base, event('submit'), { id: 'agent-2', roles: ['agent'] }).code).toBe('not_party');
    expect(refusal(submitted, event('withdraw'), { id: 'agent-2', roles: ['agent'] }).code).toBe('not_party');
  });

  it('the panel: one score per seat and per person, scores 0–100, with an opinion', () => {
    const inPanel = run(run(base, event('submit'), applicant), event('lead_opinion'), lead);
    const one = run(inPanel, event('panel_review'), { id: 'x-1', roles: ['cs_manager', 'hr'] });
    expect([one.status, one.panel[0]?.seat]).toEqual(['panel_review', 'cs_manager']);
    expect(refusal(one, event('panel_review'), { id: 'x-1', roles: ['hr'] }).code).toBe('already_recorded');
    expect(refusal(one, event('panel_review'), { id: 'csm-2', roles: ['cs_manager'] }).code).toBe('already_recorded');
    expect(refusal(one, { ...event('panel_review'), interview: d(101) } as PromotionEvent, hr).code).toBe('invalid_input');
    expect(refusal(one, { type: 'panel_review', on: '2025-09-26', interview: d(80), caseAnalysis: d(85) }, hr).code).toBe(
      'opinion_required',
    );
    expect(run(one, event('panel_review'), hr).status).toBe('decision_pending');
  });

  it('approval needs the panel’s mean scores; a rejection does not', () => {
    const low: PanelScore[] = fullPanel.map((p) => ({ ...p, interview: d(60), caseAnalysis: d(90) }));
    const pending = { ...base, status: 'decision_pending' as const, panel: low };
    const result = refusal(pending, event('decide'), director);
    expect(result.code).toBe('panel_scores_below');
    expect(result.reason.en).toBe('cannot approve: mean interview score 60 is below 70');
    expect(run(pending, { type: 'decide', on: '2025-09-29', outcome: 'rejected', opinion: 'interview too weak' }, director).status).toBe(
      'rejected',
    );
    expect(refusal(pending, { type: 'decide', on: '2025-09-29', outcome: 'approved' }, director).code).toBe('opinion_required');
  });

  it('a lead opinion says whether it recommends', () => {
    const submitted = run(base, event('submit'), applicant);
    expect(refusal(submitted, { type: 'lead_opinion', on: '2025-09-26', opinion: 'ok' } as PromotionEvent, lead).code).toBe(
      'invalid_input',
    );
    expect(run(submitted, { type: 'lead_opinion', on: '2025-09-26', recommend: false, opinion: 'not yet' }, lead).lead?.recommend).toBe(
      false,
    );
  });
});

describe('R-APP-1: eligibility checked at submission, with reasons', () => {
  it('refuses an applicant short of the thresholds, naming every one', () => {
    const weak = { ...base, facts: { ...facts, levelSince: '2025-01-01' as IsoDate, csat: undefined, internalComplaints: 1 } };
    const result = refusal(weak, event('submit'), applicant);
    expect(result.code).toBe('not_eligible');
    expect(result.reason.zh).toBe(
      '不符合申请条件:任职时间:2025-01-01 起任现等级,满 12 个月之日为 2026-01-01,晚于申请日 2025-09-26:未达标;客户满意度:无数据(需 ≥ 95%):未达标;内部投诉 1,需 ≤ 0:未达标',
    );
    expect(result.reason.en).toContain(
      'time in post: in the current level since 2025-01-01; 12 months are complete on 2026-01-01, after the application on 2025-09-26: not met',
    );
  });

  it('the management track is climbed one step at a time, with 2 years in the current position', () => {
    const skip = checkEligibility(rules, { track: 'position', from: null, to: 'supervisor' }, facts, '2025-09-26' as IsoDate);
    expect(skip.eligible).toBe(false);
    expect(skip.checks[0]?.explain.en).toBe('target: supervisor is applied for by a team lead, one step at a time');
    expect(skip.checks[0]?.explain.zh).toBe('申请目标:主管须由现任组长申请,逐级晋升');
    const first = checkEligibility(rules, { track: 'position', from: 'team_lead', to: 'team_lead' }, facts, '2025-09-26' as IsoDate);
    expect(first.checks[0]?.explain.en).toBe('target: team lead is applied for by someone holding no position, one step at a time');
    const supervisor = { track: 'position' as const, from: 'team_lead', to: 'supervisor' };
    expect(
      checkEligibility(rules, supervisor, { ...facts, positionSince: '2023-09-26' as IsoDate }, '2025-09-26' as IsoDate).eligible,
    ).toBe(true);
    const short = checkEligibility(rules, supervisor, { ...facts, positionSince: '2023-09-26' as IsoDate }, '2025-09-25' as IsoDate);
    expect(short.checks.find((c) => c.indicator === 'tenure')?.pass).toBe(false);
    expect(
      checkEligibility(rules, { track: 'position', from: 'team_lead', to: 'director' }, facts, '2025-09-26' as IsoDate).checks[0]?.pass,
    ).toBe(false);
    expect(checkEligibility(rules, supervisor, facts, '2025-09-26' as IsoDate).explain.en).toContain('time in post: no figure');
  });

  it('a level jump needs a year in the current level', () => {
    const jump = { track: 'level' as const, from: 'junior', to: 'senior' };
    expect(checkEligibility(rules, jump, facts, '2025-06-01' as IsoDate).eligible).toBe(true);
    expect(checkEligibility(rules, jump, facts, '2025-05-31' as IsoDate).eligible).toBe(false);
    expect(checkEligibility(rules, { ...jump, to: 'junior' }, facts, '2025-06-01' as IsoDate).checks[0]?.pass).toBe(false);
    expect(checkEligibility(rules, jump, { ...facts, handleTime: d(301) }, '2025-06-01' as IsoDate).explain.en).toBe(
      'not eligible: average handle time 301s, needs ≤ 300s: not met',
    );
  });
});

describe('the promotion policy section', () => {
  it('holds the sample values', () => {
    expect(rules.noticeWorkingDays).toBe(5);
    expect(rules.level.tenure).toEqual({ months: 12, since: 'levelSince' });
    expect(rules.positions.map((p) => [p.code, p.requires.tenure?.months, p.requires.tenure?.since])).toEqual([
      ['team_lead', 12, 'levelSince'],
      ['supervisor', 24, 'positionSince'],
      ['manager', 24, 'positionSince'],
    ]);
    expect(rules.panel.interview.atLeast.toFixed()).toBe('70');
  });

  it('refuses inconsistent rules, every problem with its path', () => {
    const data = parse(rulesText) as {
      level: { tenure: { since: string } };
      positions: { code: string; requires: { tenure: { since: string } } }[];
      noticeWorkingDays: unknown;
    };
    data.level.tenure.since = 'positionSince';
    (data.positions[0] as { requires: { tenure: { since: string } } }).requires.tenure.since = 'positionSince';
    (data.positions[2] as { code: string }).code = 'team_lead';
    data.noticeWorkingDays = -5;
    try {
      readPromotionRules(data);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).problems.map((p) => p.path)).toEqual(['promotion.noticeWorkingDays']);
    }
    data.noticeWorkingDays = 5;
    try {
      readPromotionRules(data);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        'promotion.level.tenure.since: a level jump is counted from levelSince or hiredOn, not positionSince',
        'promotion.positions[0].requires.tenure.since: an applicant for the first position holds no position yet: count from levelSince or hiredOn',
        'promotion.positions[2].code: duplicate position "team_lead"',
      ]);
    }
  });
});
