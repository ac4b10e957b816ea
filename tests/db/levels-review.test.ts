/** Reviewing and approving a quarter's level proposals: history from the next month, and the payroll that pays it (R-LVL-6). */
import type { Month, Quarter } from '@ladder/core';
import { beforeAll, expect, it } from 'vitest';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { upsertAttendance } from '../../packages/server/src/services/inputs.js';
import {
  approveQuarter,
  decideProposal,
  evaluateLevels,
  levelReview,
  record360Reviews,
  recordCertificates,
  recordCourseCompletions,
  recordExamResults,
} from '../../packages/server/src/services/levels/index.js';
import { computeRun, runPayslips } from '../../packages/server/src/services/payroll/runs.js';
import { addPolicyVersion, defaultPolicyText, storedPolicies } from '../../packages/server/src/services/policies.js';
import { attendance, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';
import { employee, historyOf, monthConversations, monthDeductions, monthRatings, rejection, salesMonth } from './levels-support.js';

const Q3 = '2026-Q3' as Quarter;
const MONTHS = ['2026-07', '2026-08', '2026-09'] as const;
const SEP = '2026-09' as Month;
const OCT = '2026-10' as Month;

type Ctx = ReturnType<typeof testContext>;

/** A quarter of figures: conversations, deductions, CSAT ratings (x of 100) per month, and a knowledge test. */
async function figures(ctx: Ctx, no: string, conversations: number, deductions: number, satisfied: number | null, test?: number) {
  for (const month of MONTHS) {
    await monthConversations(ctx.store, no, month, conversations);
    await monthDeductions(ctx, no, month, deductions);
    if (satisfied !== null) await monthRatings(ctx.store, no, month, satisfied, 100);
  }
  if (test !== undefined)
    await recordExamResults(ctx.store.db, ctx, [{ employeeNo: no, exam: 'KT-2026Q3', takenOn: '2026-09-15', score: test }]);
}

/** A policy version from 2026-07-01 whose `levels` section is edited. */
async function policyFromJuly(ctx: Ctx, edit: (text: string) => string): Promise<void> {
  await storedPolicies(ctx.store.db, ctx);
  const text = edit(
    defaultPolicyText().replace("version: '2017.1'", "version: '2026.3'").replace('effectiveFrom: 2017-01-01', 'effectiveFrom: 2026-07-01'),
  );
  await addPolicyVersion(ctx.store.db, ctx, text);
}

describeStores('level review: approve, reject, and the next payroll', (context) => {
  let ctx: Ctx;

  beforeAll(async () => {
    ctx = testContext(context.store, 'manager.wu');
    const junior = (no: string) =>
      employee(ctx, { no, group: 'basic', level: 'trainee', hiredOn: '2023-03-01' }, [{ from: '2023-06-01', level: 'junior' }]);
    await junior('E001');
    await junior('E002');
    await employee(ctx, { no: 'E003', group: 'basic', level: 'trainee', hiredOn: '2026-03-20' });
    await employee(ctx, { no: 'W001', group: 'basic', level: 'trainee', hiredOn: '2024-01-01' }, [
      { from: '2024-04-01', level: 'junior' },
      { from: '2025-01-01', level: 'intermediate' },
    ]);
    await employee(ctx, { no: 'S001', group: 'sales', level: 'junior', hiredOn: '2024-01-01' }, [
      { from: '2025-01-01', level: 'intermediate' },
    ]);
    await employee(ctx, { no: 'S002', group: 'sales', level: 'junior', hiredOn: '2025-06-01' });
    await figures(ctx, 'E001', 2000, 10, 95, 80);
    await figures(ctx, 'E002', 2000, 10, 95, 80);
    await figures(ctx, 'E003', 2000, 10, null);
    await figures(ctx, 'W001', 1000, 40, 80, 50);
    await figures(ctx, 'S001', 900, 10, 97, 90);
    await figures(ctx, 'S002', 700, 25, 90, 70);
    for (const month of MONTHS) {
      await salesMonth(ctx, 'S001', month, '0.97');
      await salesMonth(ctx, 'S002', month, '0.9');
    }
    // A team change already entered for November, at E001's old level.
    await upsertEmployees(
      context.store.db,
      ctx,
      [
        {
          employeeNo: 'E001',
          name: 'E001',
          group: 'basic',
          level: 'junior',
          team: 'basic-2',
          hiredOn: '2023-03-01',
          effectiveFrom: '2026-11-01',
        },
      ],
      'team change',
    );
    // September's payroll, at the old levels.
    for (const no of ['E001', 'E002', 'E003', 'W001', 'S001', 'S002']) {
      await upsertAttendance(context.store.db, ctx, [attendance(no, SEP), attendance(no, OCT)]);
    }
    for (const no of ['S001', 'S002']) await salesMonth(ctx, no, OCT, '0.96');
    await monthConversations(context.store, 'E001', OCT, 2000);
    await computeRun(ctx, SEP);
  });

  it('proposes, and a reviewer approves or rejects one by one', async () => {
    const summary = await evaluateLevels(ctx, Q3);
    expect(summary.proposals.map((p) => [p.employeeNo, p.decision, p.to, p.status])).toEqual([
      ['E001', 'promote', 'intermediate', 'proposed'],
      ['E002', 'promote', 'intermediate', 'proposed'],
      ['E003', 'promote', 'junior', 'proposed'],
      ['S001', 'promote', 'senior', 'proposed'],
      ['S002', 'keep', 'junior', 'proposed'],
      ['W001', 'demote', 'junior', 'proposed'],
    ]);
    ctx.advance();
    const reviewed = await decideProposal({ ...ctx, actor: 'lead.zhao' }, Q3, 'E002', 'rejected', '投诉调查未结束');
    expect(reviewed.status).toBe('reviewed');
    expect(reviewed.proposals.find((p) => p.employeeNo === 'E002')).toMatchObject({
      status: 'rejected',
      reviewedBy: 'lead.zhao',
      note: '投诉调查未结束',
    });
    await decideProposal(ctx, Q3, 'W001', 'approved');
    expect((await rejection(decideProposal(ctx, Q3, 'X999', 'approved'))).code).toBe('proposal_missing');
  });

  it('keeps a reviewer decision when evaluating again gives the same proposal', async () => {
    ctx.advance();
    const again = await evaluateLevels(ctx, Q3, 'late CSAT import');
    expect(again).toMatchObject({ revision: 2, status: 'reviewed' });
    expect(again.proposals.filter((p) => p.status !== 'proposed').map((p) => [p.employeeNo, p.status])).toEqual([
      ['E002', 'rejected'],
      ['W001', 'approved'],
    ]);
  });

  it('writes approved changes into the history from the first day of the next month, in one audited step', async () => {
    const e002Before = await historyOf(context.store, 'E002');
    ctx.advance();
    const approval = await approveQuarter(ctx, Q3, 'Q3 评定通过');
    expect(approval).toMatchObject({ quarter: Q3, effectiveFrom: '2026-10-01', approvedBy: 'manager.wu', approved: 5, rejected: 1 });
    expect(approval.changes.map((c) => [c.employeeNo, c.from, c.to, c.basePay])).toEqual([
      ['E001', 'junior', 'intermediate', null],
      ['E003', 'trainee', 'junior', null],
      ['S001', 'intermediate', 'senior', null],
      ['W001', 'intermediate', 'junior', null],
    ]);
    const e001 = await historyOf(context.store, 'E001');
    expect(e001.map((h) => [h.effective_from, h.level])).toEqual([
      ['2023-03-01', 'trainee'],
      ['2023-06-01', 'junior'],
      ['2026-10-01', 'intermediate'],
      ['2026-11-01', 'intermediate'],
    ]);
    expect(e001[2]).toMatchObject({ reason: 'R-LVL quarterly evaluation 2026-Q3', recorded_by: 'manager.wu', team_id: e001[1]?.team_id });
    const e003 = await historyOf(context.store, 'E003');
    expect(e003.at(-1)).toMatchObject({ effective_from: '2026-10-01', level: 'junior', junior_since: '2026-10-01' });
    // rejected: the history is as it was
    expect(await historyOf(context.store, 'E002')).toEqual(e002Before);

    const review = await levelReview(context.store.db, Q3);
    expect(review).toMatchObject({ status: 'approved', approvedBy: 'manager.wu', approvalNote: 'Q3 评定通过' });
    expect(review.proposals.every((p) => p.status !== 'proposed')).toBe(true);
    const audited = await context.store.db
      .selectFrom('audit_log')
      .select(['action', 'entity_key', 'actor'])
      .where('action', 'in', [
        'levels.evaluated',
        'levels.reevaluated',
        'levels.proposal.approved',
        'levels.proposal.rejected',
        'levels.approved',
      ])
      .orderBy('id')
      .execute();
    expect(audited.map((a) => [a.action, a.entity_key, a.actor])).toEqual([
      ['levels.evaluated', Q3, 'manager.wu'],
      ['levels.proposal.rejected', `${Q3}/E002`, 'lead.zhao'],
      ['levels.proposal.approved', `${Q3}/W001`, 'manager.wu'],
      ['levels.reevaluated', Q3, 'manager.wu'],
      ['levels.approved', Q3, 'manager.wu'],
    ]);
    const states = await context.store.db
      .selectFrom('audit_log')
      .select('entity_key')
      .where('action', '=', 'employee.state')
      .where('reason', '=', 'R-LVL quarterly evaluation 2026-Q3')
      .orderBy('id')
      .execute();
    expect(states.map((s) => s.entity_key)).toEqual([
      'E001@2026-10-01',
      'E001@2026-11-01',
      'E003@2026-10-01',
      'S001@2026-10-01',
      'W001@2026-10-01',
    ]);
  });

  it('refuses a second approval, and any change to an approved quarter', async () => {
    expect((await rejection(approveQuarter(ctx, Q3))).code).toBe('review_closed');
    expect((await rejection(evaluateLevels(ctx, Q3))).code).toBe('review_closed');
    expect((await rejection(decideProposal(ctx, Q3, 'E002', 'approved'))).code).toBe('review_closed');
    expect((await rejection(approveQuarter(ctx, '2026-Q2'))).code).toBe('review_missing');
  });

  it('pays the new level from the next month: level bonus and base pay follow it', async () => {
    await computeRun(ctx, OCT);
    const slip = async (month: Month, no: string) => (await runPayslips(context.store.db, month, no))[0];
    const september = await slip(SEP, 'E001');
    const october = await slip(OCT, 'E001');
    expect(september?.level).toBe('junior');
    expect(september?.lines.find((l) => l.code === 'performance')?.inputs.levelBonus).toBe('50');
    expect(october?.level).toBe('intermediate');
    expect(october?.lines.find((l) => l.code === 'performance')?.inputs.levelBonus).toBe('100');
    expect(october?.lines.find((l) => l.code === 'performance')?.explain.en).toContain('level bonus (intermediate) 100');
    expect((await slip(SEP, 'S001'))?.lines.find((l) => l.code === 'base')?.amount).toBe(350000);
    expect(await slip(OCT, 'S001')).toMatchObject({
      level: 'senior',
      lines: expect.arrayContaining([expect.objectContaining({ code: 'base', amount: 400000 })]) as unknown,
    });
    expect((await slip(OCT, 'E002'))?.level).toBe('junior');
    expect((await slip(OCT, 'W001'))?.level).toBe('junior');
  });
});

describeStores('level review: a raise as the pay effect, and stale proposals', (context) => {
  let ctx: Ctx;

  beforeAll(async () => {
    ctx = testContext(context.store, 'hr.li');
    // From Q3 2026, a promotion on the basic track is an 8% raise of the base pay (R-LVL-6, doc 4 §12).
    await policyFromJuly(ctx, (text) => text.replace('payEffect: levelPay', 'payEffect: raise'));
    const junior = (no: string, basePay?: number) =>
      employee(ctx, { no, group: 'basic', level: 'trainee', hiredOn: '2023-03-01' }, [
        { from: '2023-06-01', level: 'junior', ...(basePay ? { basePay } : {}) },
      ]);
    await junior('R001');
    await junior('R002', 3333.33);
    await junior('R003');
    for (const no of ['R001', 'R002', 'R003']) await figures(ctx, no, 2000, 10, 95, 80);
    await evaluateLevels(ctx, Q3);
  });

  it('refuses to approve proposals the history no longer matches, naming them, and writes nothing', async () => {
    // HR promoted R003 by hand in the meantime.
    await upsertEmployees(
      context.store.db,
      ctx,
      [
        {
          employeeNo: 'R003',
          name: 'R003',
          group: 'basic',
          level: 'intermediate',
          team: 'basic-1',
          hiredOn: '2023-03-01',
          effectiveFrom: '2026-10-01',
        },
      ],
      'promoted by hand',
    );
    const refused = await rejection(approveQuarter(ctx, Q3));
    expect(refused.code).toBe('proposal_stale');
    expect(refused.details).toEqual(['R003: the state on 2026-10-01 is basic/intermediate, the proposal was made for junior']);
    expect((await historyOf(context.store, 'R001')).map((h) => h.effective_from)).toEqual(['2023-03-01', '2023-06-01']);
    expect((await levelReview(context.store.db, Q3)).status).toBe('proposed');
  });

  it('raises the base pay by the policy rate, rounded half-up to the fen, and the payroll pays it', async () => {
    await decideProposal(ctx, Q3, 'R003', 'rejected', 'promoted by hand already');
    const approval = await approveQuarter(ctx, Q3);
    expect(approval.changes.map((c) => [c.employeeNo, c.to, c.basePay])).toEqual([
      ['R001', 'intermediate', '3240.00'],
      // 3333.33 × 1.08 = 3599.9964
      ['R002', 'intermediate', '3600.00'],
    ]);
    expect((await historyOf(context.store, 'R002')).at(-1)).toMatchObject({ level: 'intermediate', base_pay_fen: 360000 });
    for (const no of ['R001', 'R002', 'R003']) await upsertAttendance(context.store.db, ctx, [attendance(no, OCT)]);
    await computeRun(ctx, OCT);
    const slips = await runPayslips(context.store.db, OCT);
    expect(slips.map((s) => [s.employeeNo, s.level, s.lines.find((l) => l.code === 'base')?.amount])).toEqual([
      ['R001', 'intermediate', 324000],
      ['R002', 'intermediate', 360000],
      ['R003', 'intermediate', 300000],
    ]);
  });
});

describeStores('level review: training, certificates and 360 as indicators', (context) => {
  let ctx: Ctx;

  beforeAll(async () => {
    ctx = testContext(context.store, 'hr.li');
    // From Q3 2026, basic intermediate also needs course cs-101, a certificate and a 360 score of 80.
    await policyFromJuly(ctx, (text) =>
      text.replace(
        '        intermediate:\n          tenure: { months: 3, since: levelSince }\n',
        '        intermediate:\n          tenure: { months: 3, since: levelSince }\n          trainingCourses: { include: [cs-101] }\n          certificates: { atLeast: 1 }\n          review360: { atLeast: 80 }\n',
      ),
    );
    for (const no of ['K001', 'K002'])
      await employee(ctx, { no, group: 'basic', level: 'trainee', hiredOn: '2023-03-01' }, [{ from: '2023-06-01', level: 'junior' }]);
    for (const no of ['K001', 'K002']) await figures(ctx, no, 2000, 10, 95, 80);
    await recordCourseCompletions(ctx.store.db, ctx, [
      { employeeNo: 'K001', course: 'cs-101', courseName: '服务礼仪', completedOn: '2026-08-01', score: 92 },
      // after the quarter: not counted for it
      { employeeNo: 'K002', course: 'cs-101', completedOn: '2026-10-05' },
    ]);
    await recordCertificates(ctx.store.db, ctx, [
      { employeeNo: 'K001', code: 'cert-a', name: '客服资格证', issuedOn: '2026-05-01', expiresOn: '2028-05-01' },
      // expired before the quarter's end
      { employeeNo: 'K002', code: 'cert-a', name: '客服资格证', issuedOn: '2024-05-01', expiresOn: '2026-09-01' },
    ]);
    await record360Reviews(ctx.store.db, ctx, [
      { employeeNo: 'K001', quarter: Q3, role: 'self', reviewer: 'K001', score: 90 },
      { employeeNo: 'K001', quarter: Q3, role: 'manager', reviewer: 'manager.wu', score: 85 },
      { employeeNo: 'K001', quarter: Q3, role: 'peer', reviewer: 'K002', score: 80 },
      { employeeNo: 'K001', quarter: Q3, role: 'peer', reviewer: 'E009', score: 70 },
      { employeeNo: 'K002', quarter: Q3, role: 'self', reviewer: 'K002', score: 95 },
      { employeeNo: 'K002', quarter: Q3, role: 'peer', reviewer: 'K001', score: 90 },
    ]);
    await evaluateLevels(ctx, Q3);
  });

  it('reads courses completed, certificates held and the weighted 360 score of the quarter', async () => {
    const review = await levelReview(context.store.db, Q3);
    const k001 = review.proposals.find((p) => p.employeeNo === 'K001');
    const k002 = review.proposals.find((p) => p.employeeNo === 'K002');
    expect(k001?.decision).toBe('promote');
    const check = (p: typeof k001, indicator: string) => p?.checks.find((c) => c.indicator === indicator);
    // 0.1 × 90 + 0.6 × 85 + 0.3 × mean(80, 70)
    expect(check(k001, 'review360')).toMatchObject({ value: '82.5', threshold: '≥ 80', pass: true });
    expect(check(k001, 'trainingCourses')).toMatchObject({ value: '1', pass: true });
    expect(check(k001, 'certificates')).toMatchObject({ value: '1', pass: true });
    expect(k002?.decision).toBe('keep');
    expect(check(k002, 'trainingCourses')).toMatchObject({ value: '0', pass: false });
    expect(check(k002, 'certificates')).toMatchObject({ value: '0', pass: false });
    expect(check(k002, 'review360')).toMatchObject({ value: null, pass: false });
    expect(k002?.figures.notes.map((n) => n.en)).toEqual(['the 2026-Q3 360 review is incomplete: no manager rating']);
    expect(k001?.figures).toMatchObject({ trainingCourses: ['cs-101'], certificates: ['cert-a'], review360: { peers: '75', ratings: 4 } });
  });

  it('records each fact once, audited, and refuses bad records whole', async () => {
    const again = await recordCourseCompletions(ctx.store.db, ctx, [
      { employeeNo: 'K001', course: 'cs-101', completedOn: '2026-08-01', score: '92' },
    ]);
    expect(again).toEqual({ inserted: 0, changed: 0, unchanged: 1 });
    const changed = await recordExamResults(ctx.store.db, ctx, [
      { employeeNo: 'K001', exam: 'KT-2026Q3', takenOn: '2026-09-15', score: 82 },
    ]);
    expect(changed).toEqual({ inserted: 0, changed: 1, unchanged: 0 });
    const bad = await rejection(
      record360Reviews(ctx.store.db, ctx, [
        { employeeNo: 'K001', quarter: Q3, role: 'self', reviewer: 'K002', score: 90 },
        { employeeNo: 'K001', quarter: '2026-Q9', role: 'peer', reviewer: 'K001', score: 101 },
      ]),
    );
    expect(bad.code).toBe('invalid_input');
    expect(bad.details).toEqual([
      'reviews[0]: a self rating is given by K001 themselves, not K002',
      'reviews[1]: quarter must be YYYY-Qn, got "2026-Q9"',
      'reviews[1]: K001 cannot give their own peer rating',
      'reviews[1]: score must be a number from 0 to 100, got "101"',
    ]);
    expect(
      (await rejection(recordCertificates(ctx.store.db, ctx, [{ employeeNo: 'X1', code: 'c', name: 'c', issuedOn: '2026-01-01' }]))).code,
    ).toBe('unknown_employee');
    const actions = await context.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', 'in', ['training_courses', 'course_completions', 'exams', 'exam_results', 'certificates', 'reviews_360'])
      .execute();
    expect(new Set(actions.map((a) => a.action))).toEqual(
      new Set([
        'training.course.added',
        'training.completed',
        'exam.added',
        'exam.result',
        'exam.result.changed',
        'certificate.recorded',
        'review360.recorded',
      ]),
    );
  });
});
