/** Promotion applications in the store (R-APP): end to end, every refusal writes nothing, notices across holidays. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../packages/server/src/db/connect.js';
import {
  appDb,
  decideApplication,
  giveOpinion,
  listApplications,
  makeEffective,
  objectToApplication,
  publishNotice,
  recordFigures,
  ruleOnObjection,
  scorePanel,
  showApplication,
  submitApplication,
  withdrawApplication,
} from '../../packages/server/src/services/applications/index.js';
import type { ServiceContext } from '../../packages/server/src/services/context.js';
import { recordExamResults } from '../../packages/server/src/services/levels/index.js';
import { grantRole } from '../../packages/server/src/services/qa/users.js';
import { describeStores } from '../support/stores.js';
import { employee, monthRatings, rejection } from './levels-support.js';

/** One clock for every actor: `day(d)` moves it to 10:00 China time on d. */
function people(store: Store) {
  let time = Date.parse('2026-09-01T02:00:00.000Z');
  const as = (actor: string): ServiceContext => ({ store, actor, now: () => new Date(time).toISOString() });
  const day = (d: string) => {
    time = Date.parse(`${d}T02:00:00.000Z`);
  };
  return { as, day };
}

/** Everything a refusal must leave alone. */
async function snapshot(store: Store) {
  const a = appDb(store.db);
  return {
    applications: await a.selectFrom('applications').selectAll().orderBy('id').execute(),
    steps: await a.selectFrom('application_steps').selectAll().orderBy('id').execute(),
    audit: (
      await store.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
    history: await store.db.selectFrom('employee_history').selectAll().orderBy('id').execute(),
  };
}

const SUMMARY = { workSummary: '带领小组完成年度目标', achievements: '组内满意度 97%,培训新人 6 名' };

describeStores('promotion applications', (ctx) => {
  let p: ReturnType<typeof people>;

  /** Expects the step to be refused with `code` and the tables untouched. */
  async function refusedWith(code: string, work: () => Promise<unknown>): Promise<string> {
    const before = await snapshot(ctx.store);
    const error = await rejection(work());
    expect(error.code).toBe(code);
    expect(await snapshot(ctx.store)).toEqual(before);
    return error.message;
  }

  /** Good figures as a CS manager records them (for the indicators the store has no data for). */
  async function goodFigures(no: string, on: string) {
    p.day(on);
    await recordFigures(p.as('mgr.wang'), {
      employeeNo: no,
      csat: '0.96',
      complaintResolutionRate: '0.92',
      handleTime: '240',
      testScore: '88',
      internalComplaints: 0,
    });
  }

  /** Submit → opinion → panel → decision, one working day apart from `start`; returns the id. */
  async function approved(no: string, track: 'level' | 'position', to: string, days: [string, string, string, string]) {
    p.day(days[0]);
    const submitted = await submitApplication(p.as(no), { employeeNo: no, track, to, ...SUMMARY });
    p.day(days[1]);
    await giveOpinion(p.as('mgr.wang'), submitted.id, true, '表现突出,推荐');
    p.day(days[2]);
    await scorePanel(p.as('mgr.wang'), submitted.id, '85', '80', '面试表现好');
    await scorePanel(p.as('hr.li'), submitted.id, '78', '82', '案例分析清晰');
    p.day(days[3]);
    const decided = await decideApplication(p.as('dir.zhou'), submitted.id, 'approved', '同意晋升');
    expect(decided.status).toBe('approved');
    return submitted.id;
  }

  beforeAll(async () => {
    p = people(ctx.store);
    p.day('2026-09-01');
    const hr = p.as('hr.li');
    await employee(hr, { no: 'L001', group: 'basic', level: 'junior', hiredOn: '2020-01-01' }, [
      { from: '2021-01-01', level: 'senior' },
      { from: '2023-06-01', position: 'team_lead' },
    ]);
    await employee(hr, { no: 'A001', group: 'basic', level: 'junior', hiredOn: '2022-01-01' }, [
      { from: '2025-01-01', level: 'intermediate' },
    ]);
    await employee(hr, { no: 'A002', group: 'basic', level: 'junior', hiredOn: '2026-01-01' });
    await employee(hr, { no: 'A003', group: 'basic', level: 'junior', hiredOn: '2019-01-01' }, [
      { from: '2023-01-01', level: 'intermediate' },
    ]);
    await employee(hr, { no: 'A004', group: 'basic', level: 'junior', hiredOn: '2019-01-01' }, [
      { from: '2023-01-01', level: 'intermediate' },
    ]);
    const root = p.as('root');
    await grantRole(root, { login: 'root', role: 'admin' });
    await grantRole(root, { login: 'L001', role: 'team_lead', team: 'basic-1' });
    await grantRole(root, { login: 'mgr.wang', role: 'cs_manager' });
    await grantRole(root, { login: 'hr.li', role: 'hr' });
    await grantRole(root, { login: 'dir.zhou', role: 'director' });
  });

  it('runs a team lead → supervisor application end to end and writes the new position from the effective date', async () => {
    await goodFigures('L001', '2026-09-01');
    p.day('2026-09-14');
    const submitted = await submitApplication(p.as('L001'), { employeeNo: 'L001', track: 'position', to: 'supervisor', ...SUMMARY });
    expect(submitted).toMatchObject({ status: 'submitted', track: 'position', from: 'team_lead', to: 'supervisor' });
    expect(submitted.case.eligibility?.eligible).toBe(true);
    const id = submitted.id;

    // nobody reviews their own case; only a lead or CS manager gives the opinion; steps come in order
    p.day('2026-09-15');
    await refusedWith('own_case', () => giveOpinion(p.as('L001'), id, true, '自荐'));
    await refusedWith('role_not_allowed', () => giveOpinion(p.as('A001'), id, true, '推荐'));
    await refusedWith('invalid_state', () => publishNotice(p.as('hr.li'), id));
    await refusedWith('invalid_state', () => decideApplication(p.as('dir.zhou'), id, 'approved', '同意'));
    await giveOpinion(p.as('mgr.wang'), id, true, '管理能力强,推荐');

    p.day('2026-09-16');
    await refusedWith('role_not_allowed', () => scorePanel(p.as('dir.zhou'), id, '90', '90', '好'));
    await scorePanel(p.as('mgr.wang'), id, '85', '80', '面试表现好');
    await refusedWith('already_recorded', () => scorePanel(p.as('mgr.wang'), id, '85', '80', '再评'));
    await scorePanel(p.as('hr.li'), id, '78', '82', '案例分析清晰');

    p.day('2026-09-18');
    await refusedWith('role_not_allowed', () => decideApplication(p.as('hr.li'), id, 'approved', '同意'));
    expect((await decideApplication(p.as('dir.zhou'), id, 'approved', '同意晋升')).status).toBe('approved');

    // National Day 2026: 10-01–10-07 off, Saturday 10-10 a make-up working day
    p.day('2026-09-30');
    const notice = await publishNotice(p.as('hr.li'), id);
    expect(notice.notice).toEqual({ opensOn: '2026-09-30', closesOn: '2026-10-13' });

    p.day('2026-10-12');
    await refusedWith('own_case', () => objectToApplication(p.as('L001'), id, '我反对我自己'));
    await objectToApplication(p.as('A001'), id, '曾有一次沟通问题');
    await refusedWith('role_not_allowed', () => ruleOnObjection(p.as('hr.li'), id, 1, false, '不成立'));
    await ruleOnObjection(p.as('dir.zhou'), id, 1, false, '经核实,不影响晋升');

    p.day('2026-10-13');
    await refusedWith('notice_running', () => makeEffective(p.as('hr.li'), id, '2026-11-01'));

    p.day('2026-10-14');
    await refusedWith('outside_window', () => objectToApplication(p.as('A002'), id, '公示结束后的异议'));
    await refusedWith('invalid_input', () => makeEffective(p.as('hr.li'), id, '2026-10-13'));
    await refusedWith('role_not_allowed', () => makeEffective(p.as('dir.zhou'), id, '2026-11-01'));
    const done = await makeEffective(p.as('hr.li'), id, '2026-11-01', '自 11 月 1 日起任主管');
    expect(done).toMatchObject({ status: 'effective', effectiveOn: '2026-11-01' });
    expect(done.steps.map((s) => [s.event, s.actor, s.role, s.on_day])).toEqual([
      ['submit', 'L001', 'agent', '2026-09-14'],
      ['lead_opinion', 'mgr.wang', 'cs_manager', '2026-09-15'],
      ['panel_review', 'mgr.wang', 'cs_manager', '2026-09-16'],
      ['panel_review', 'hr.li', 'hr', '2026-09-16'],
      ['decide', 'dir.zhou', 'director', '2026-09-18'],
      ['publish_notice', 'hr.li', 'hr', '2026-09-30'],
      ['object', 'A001', 'agent', '2026-10-12'],
      ['dismiss_objection', 'dir.zhou', 'director', '2026-10-12'],
      ['make_effective', 'hr.li', 'hr', '2026-10-14'],
    ]);
    expect(done.steps[2]).toMatchObject({ interview_score: '85', case_analysis_score: '80', opinion: '面试表现好' });

    const history = await ctx.store.db
      .selectFrom('employee_history as h')
      .innerJoin('employees as e', 'e.id', 'h.employee_id')
      .select(['h.effective_from', 'h.position', 'h.level', 'h.reason'])
      .where('e.employee_no', '=', 'L001')
      .orderBy('h.effective_from')
      .execute();
    expect(history.at(-1)).toMatchObject({ effective_from: '2026-11-01', position: 'supervisor', level: 'senior' });
    const audits = await ctx.store.db.selectFrom('audit_log').select('action').where('entity_key', '=', String(id)).execute();
    expect(audits.map((a) => a.action)).toHaveLength(9);
    const state = await ctx.store.db.selectFrom('audit_log').select('entity_key').where('action', '=', 'employee.state').execute();
    expect(state.map((s) => s.entity_key)).toContain('L001@2026-11-01');

    // a closed application takes no more steps
    await refusedWith('case_closed', () => makeEffective(p.as('hr.li'), id, '2026-12-01'));
  });

  it('runs a level jump with CSAT from stored ratings and the test from the exam tables', async () => {
    p.day('2026-09-01');
    for (const month of ['2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'])
      await monthRatings(ctx.store, 'A001', month, 97, 100);
    await recordExamResults(ctx.store.db, p.as('hr.li'), [{ employeeNo: 'A001', exam: 'K2026', takenOn: '2026-08-20', score: '91' }]);
    await recordFigures(p.as('mgr.wang'), {
      employeeNo: 'A001',
      complaintResolutionRate: '0.95',
      handleTime: '200',
      testScore: '10',
      internalComplaints: 0,
    });
    const id = await approved('A001', 'level', 'senior', ['2026-09-21', '2026-09-22', '2026-09-23', '2026-09-24']);
    const app = await showApplication(ctx.store.db, id);
    expect(app.case.facts.csat?.toString()).toBe('0.97');
    expect(app.case.facts.testScore?.toString()).toBe('91');
    expect(app.case.facts.levelSince).toBe('2025-01-01');
    const submitStep = JSON.parse(app.steps[0]?.details ?? '{}') as { facts: Record<string, string> };
    expect(submitStep.facts.csat).toMatch(/582 of 600/);
    expect(submitStep.facts.complaintResolutionRate).toMatch(/mgr\.wang/);

    p.day('2026-09-25');
    expect((await publishNotice(p.as('hr.li'), id)).notice?.closesOn).toBe('2026-10-09');
    p.day('2026-10-12');
    const done = await makeEffective(p.as('hr.li'), id, '2026-11-01');
    expect(done.status).toBe('effective');
    const last = await ctx.store.db
      .selectFrom('employee_history as h')
      .innerJoin('employees as e', 'e.id', 'h.employee_id')
      .select(['h.effective_from', 'h.level', 'h.position'])
      .where('e.employee_no', '=', 'A001')
      .orderBy('h.effective_from', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ effective_from: '2026-11-01', level: 'senior', position: 'agent' });
    expect((await listApplications(ctx.store.db, { status: 'effective' })).map((a) => a.employeeNo)).toEqual(['L001', 'A001']);
  });

  it('refuses an ineligible application with every reason and writes nothing', async () => {
    p.day('2026-09-10');
    const message = await refusedWith('not_eligible', () =>
      submitApplication(p.as('A002'), { employeeNo: 'A002', track: 'level', to: 'intermediate', ...SUMMARY }),
    );
    expect(message).toMatch(/not eligible/);
    const error = await rejection(submitApplication(p.as('A002'), { employeeNo: 'A002', track: 'level', to: 'intermediate', ...SUMMARY }));
    expect(error.details.join('\n')).toMatch(/time in post/);
    expect(error.details.join('\n')).toMatch(/CSAT: no figure/);
    // the management track goes one step at a time
    await refusedWith('not_eligible', () =>
      submitApplication(p.as('A002'), { employeeNo: 'A002', track: 'position', to: 'supervisor', ...SUMMARY }),
    );
    await refusedWith('not_party', () => submitApplication(p.as('A002'), { employeeNo: 'A003', track: 'level', to: 'senior', ...SUMMARY }));
    // only the applicant submits, with a summary and achievements
    await refusedWith('role_not_allowed', () =>
      submitApplication(p.as('mgr.wang'), { employeeNo: 'A003', track: 'level', to: 'senior', ...SUMMARY }),
    );
    await refusedWith('invalid_input', () =>
      submitApplication(p.as('A003'), { employeeNo: 'A003', track: 'level', to: 'senior', workSummary: ' ', achievements: 'x' }),
    );
    await refusedWith('own_case', () => recordFigures(p.as('A002'), { employeeNo: 'A002', csat: '1' }));
    await refusedWith('role_not_allowed', () => recordFigures(p.as('A003'), { employeeNo: 'A002', csat: '1' }));
  });

  it('rejects on an upheld objection and lets the applicant withdraw before the decision', async () => {
    await goodFigures('A003', '2026-10-15');
    const id = await approved('A003', 'level', 'senior', ['2026-10-15', '2026-10-16', '2026-10-19', '2026-10-20']);
    p.day('2026-10-21');
    await publishNotice(p.as('hr.li'), id);
    p.day('2026-10-22');
    await objectToApplication(p.as('A004'), id, '有内部投诉未记录');
    await refusedWith('objection_pending', async () => {
      p.day('2026-11-02');
      return makeEffective(p.as('hr.li'), id, '2026-12-01');
    });
    await refusedWith('no_open_objection', () => ruleOnObjection(p.as('dir.zhou'), id, 2, true, '成立'));
    expect((await ruleOnObjection(p.as('dir.zhou'), id, 1, true, '经核实,异议成立')).status).toBe('rejected');

    p.day('2026-11-03');
    await goodFigures('A004', '2026-11-03');
    const second = await submitApplication(p.as('A004'), { employeeNo: 'A004', track: 'level', to: 'senior', ...SUMMARY });
    await refusedWith('not_party', () => withdrawApplication(p.as('A003'), second.id));
    expect((await withdrawApplication(p.as('A004'), second.id, '个人原因')).status).toBe('withdrawn');
  });

  it('keeps application steps append-only and closed applications unchanged in the database', async () => {
    const a = appDb(ctx.store.db);
    await expect(a.updateTable('application_steps').set({ opinion: 'changed' }).execute()).rejects.toThrow(/append-only/);
    await expect(a.deleteFrom('application_steps').execute()).rejects.toThrow(/append-only/);
    await expect(a.updateTable('applications').set({ to_code: 'manager' }).where('status', '=', 'effective').execute()).rejects.toThrow(
      /closed/,
    );
    await expect(a.deleteFrom('applications').execute()).rejects.toThrow(/never deleted/);
  });
});

describe.each([
  ['National Day 2025', '2025-09-30', '2025-10-14', ['2025-09-22', '2025-09-23', '2025-09-24', '2025-09-25']],
  ['Spring Festival 2026', '2026-02-13', '2026-02-27', ['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05']],
] as const)('the notice across %s', (_name, published, closes, days) => {
  describeStores(`notice published ${published}`, (ctx) => {
    it(`ends on ${closes} (5 working days, make-up days counted) and refuses objections after it`, async () => {
      const p = people(ctx.store);
      p.day(days[0]);
      const hr = p.as('hr.li');
      await employee(hr, { no: 'B001', group: 'basic', level: 'junior', hiredOn: '2019-01-01' }, [
        { from: '2022-01-01', level: 'intermediate' },
      ]);
      await employee(hr, { no: 'B002', group: 'basic', level: 'junior', hiredOn: '2019-01-01' });
      const root = p.as('root');
      await grantRole(root, { login: 'root', role: 'admin' });
      await grantRole(root, { login: 'mgr.wang', role: 'cs_manager' });
      await grantRole(root, { login: 'hr.li', role: 'hr' });
      await grantRole(root, { login: 'dir.zhou', role: 'director' });
      await recordFigures(p.as('mgr.wang'), {
        employeeNo: 'B001',
        csat: '0.96',
        complaintResolutionRate: '0.92',
        handleTime: '240',
        testScore: '88',
        internalComplaints: 0,
      });
      const { id } = await submitApplication(p.as('B001'), { employeeNo: 'B001', track: 'level', to: 'senior', ...SUMMARY });
      p.day(days[1]);
      await giveOpinion(p.as('mgr.wang'), id, true, '推荐');
      p.day(days[2]);
      await scorePanel(p.as('mgr.wang'), id, '85', '80', '好');
      await scorePanel(p.as('hr.li'), id, '78', '82', '好');
      p.day(days[3]);
      await decideApplication(p.as('dir.zhou'), id, 'approved', '同意');
      p.day(published);
      const notice = await publishNotice(p.as('hr.li'), id);
      expect(notice.notice).toEqual({ opensOn: published, closesOn: closes });
      expect(notice.steps.at(-1)?.details).toMatch(/make-up working day/);
      p.day(closes);
      await objectToApplication(p.as('B002'), id, '最后一天的异议');
      await ruleOnObjection(p.as('dir.zhou'), id, 1, false, '不成立');
      await expect(makeEffective(p.as('hr.li'), id, '2026-12-01')).rejects.toMatchObject({ code: 'notice_running' });
      const next = new Date(Date.parse(`${closes}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      p.day(next);
      await expect(objectToApplication(p.as('B002'), id, '晚了')).rejects.toMatchObject({ code: 'outside_window' });
    });
  });
});
