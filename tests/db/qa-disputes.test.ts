import type { Month } from '@ladder/core';
import { expect, it } from 'vitest';
import { advanceRun, computeRun, runPayslips } from '../../packages/server/src/services/payroll/runs.js';
import {
  drawDay,
  fileDispute,
  grantRole,
  listDisputes,
  listInspections,
  listSignOffs,
  requestSignOffs,
  qaDb,
  registerQaApprovalChecks,
  scoreInspection,
  stepDispute,
  stepInspection,
  stepSignOff,
} from '../../packages/server/src/services/qa/index.js';
import { addConversations, as, rejection, seedQaPeople, withQaTables } from '../../packages/server/src/services/qa/test-support.js';
import { seedSpecExamples, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

const OCT = '2026-10' as Month;

describeStores('QA disputes and sign-offs (R-DSP, R-PAY-7)', (context) => {
  let ctx: ReturnType<typeof testContext>;
  const ids: Record<string, number> = {};
  const inspectors: Record<string, string> = {};

  /** Starts, scores, submits and publishes an inspection (published by the QA manager). */
  async function inspect(id: number, inspector: string, item: string) {
    await stepInspection(as(ctx, inspector), id, { type: 'start' });
    await scoreInspection(as(ctx, inspector), id, [{ item, hit: true }]);
    await stepInspection(as(ctx, inspector), id, { type: 'submit' });
    return stepInspection(as(ctx, 'qam.wu'), id, { type: 'publish' });
  }

  async function disputeCount() {
    const rows = await qaDb(context.store.db).selectFrom('qa_disputes').select('id').execute();
    return rows.length;
  }

  it('publishes inspections in September (E002) and October (E001, V001)', async () => {
    await withQaTables(context.store);
    registerQaApprovalChecks();
    ctx = testContext(context.store, 'hr.li');
    await seedSpecExamples(ctx, OCT);
    await seedQaPeople(ctx, false);

    await addConversations(context.store, 'E002', '2026-09-30', 2);
    ctx.at('2026-09-30T03:00:00.000Z');
    await drawDay(as(ctx, 'qam.wu'), '2026-09-30');
    const september = await listInspections(context.store.db, { day: '2026-09-30' });
    for (const [name, i] of [
      ['sepA', september[0]],
      ['sepB', september[1]],
    ] as const) {
      if (!i) throw new Error('missing inspection');
      ids[name] = i.id;
      inspectors[name] = i.inspector;
      const published = await inspect(i.id, i.inspector, 'wrong_information');
      expect(published).toMatchObject({ status: 'published', recomputed: null });
    }

    await addConversations(context.store, 'E001', '2026-10-12', 1);
    await addConversations(context.store, 'V001', '2026-10-12', 1);
    ctx.at('2026-10-13T01:00:00.000Z');
    await drawDay(as(ctx, 'qam.wu'), '2026-10-12');
    await computeRun(ctx, OCT);
    for (const no of ['E001', 'V001']) {
      const [i] = await listInspections(context.store.db, { employeeNo: no, day: '2026-10-12' });
      if (!i) throw new Error('missing inspection');
      ids[no] = i.id;
      inspectors[no] = i.inspector;
      await inspect(i.id, i.inspector, no === 'E001' ? 'wrong_information' : 'forbidden_phrase');
    }
    const [e001] = await runPayslips(context.store.db, OCT, 'E001');
    expect(e001?.performance).toMatchObject({ deductions: '23', coefficient: '1', grade: 'good' });
  });

  it('counts the window in working days of the statutory calendar: the National Day week skipped, the make-up Saturday counted', async () => {
    // Published Wed 30 Sep 2026: Oct 1–7 are holidays, so the 3 working days are Thu 8, Fri 9 and Sat 10 (调休上班).
    ctx.at('2026-10-10T02:00:00.000Z');
    const filed = await fileDispute(as(ctx, 'E002'), { inspection: ids.sepA as number, item: 'wrong_information' }, '价格当天已调整');
    expect(filed).toMatchObject({ status: 'filed', month: '2026-09', publishedOn: '2026-09-30', cutoffOn: '2026-10-21' });
    ctx.at('2026-10-12T02:00:00.000Z');
    const before = await disputeCount();
    const late = await rejection(fileDispute(as(ctx, 'E002'), { inspection: ids.sepB as number, item: 'wrong_information' }, '同上'));
    expect(late.code).toBe('outside_window');
    expect(late.message).toContain('2026-10-10');
    expect(await disputeCount()).toBe(before);
    const [sepB] = await listInspections(context.store.db, { day: '2026-09-30' }).then((l) => l.filter((i) => i.id === ids.sepB));
    expect(sepB?.status).toBe('published');
  });

  it('lets only the agent whose result it is file, on a deducted item, once', async () => {
    ctx.at('2026-10-15T02:00:00.000Z');
    const other = await rejection(fileDispute(as(ctx, 'E002'), { inspection: ids.E001 as number, item: 'wrong_information' }, '不是我'));
    expect(other.code).toBe('not_party');
    const lead = await rejection(
      fileDispute(as(ctx, 'lead.zhao'), { inspection: ids.E001 as number, item: 'wrong_information' }, '替组员申诉'),
    );
    expect(lead.code).toBe('role_not_allowed');
    const notHit = await rejection(fileDispute(as(ctx, 'E001'), { inspection: ids.E001 as number, item: 'greeting_closing' }, '?'));
    expect(notHit.code).toBe('not_disputable');
    const noReason = await rejection(fileDispute(as(ctx, 'E001'), { inspection: ids.E001 as number, item: 'wrong_information' }, ''));
    expect(noReason.code).toBe('opinion_required');
    const filed = await fileDispute(as(ctx, 'E001'), { inspection: ids.E001 as number, item: 'wrong_information' }, '报价依据当日价目表');
    ids.d1 = filed.id;
    expect(filed).toMatchObject({
      status: 'filed',
      belowQualified: false,
      subject: { kind: 'inspection_item', item: 'wrong_information', points: '5' },
    });
    const [inspection] = (await listInspections(context.store.db, { employeeNo: 'E001' })).filter((i) => i.id === ids.E001);
    expect(inspection?.status).toBe('disputed');
    const twice = await rejection(fileDispute(as(ctx, 'E001'), { inspection: ids.E001 as number, item: 'wrong_information' }, '再次'));
    expect(twice.code).toBe('already_disputed');
  });

  it('holds the payroll approval while a dispute or a below-qualified sign-off is pending', async () => {
    await advanceRun(ctx, OCT, 'review');
    const blocked = await rejection(advanceRun(ctx, OCT, 'approve'));
    expect(blocked.code).toBe('run_blocked');
    expect(blocked.details).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`E001: dispute ${ids.d1} of E001 is filed, not closed`),
        "V001: V001's below-qualified 2026-10 is awaiting the director's sign-off",
      ]),
    );
  });

  it('runs the panel: review, three views from the three seats, outcome; nobody twice, nobody on the wrong seat', async () => {
    const d = ids.d1 as number;
    const byLead = await rejection(stepDispute(as(ctx, 'lead.zhao'), d, { type: 'review' }));
    expect(byLead.code).toBe('role_not_allowed');
    await stepDispute(as(ctx, 'qam.wu'), d, { type: 'review' });
    const inspector = await rejection(
      stepDispute(as(ctx, inspectors.E001 as string), d, { type: 'record_view', view: 'upheld', opinion: '扣分正确' }),
    );
    expect(inspector.code).toBe('role_not_allowed');
    const early = await rejection(stepDispute(as(ctx, 'qam.wu'), d, { type: 'decide', outcome: 'overturned', opinion: '价目表已更新' }));
    expect(early.code).toBe('views_missing');
    await stepDispute(as(ctx, 'qam.wu'), d, { type: 'record_view', view: 'overturned', opinion: '价目表当日已更新' });
    const twice = await rejection(stepDispute(as(ctx, 'qam.wu'), d, { type: 'record_view', view: 'upheld', opinion: '改主意' }));
    expect(twice.code).toBe('already_recorded');
    await stepDispute(as(ctx, 'vipm.zheng'), d, { type: 'record_view', view: 'overturned', opinion: '同意撤销' });
    const vipLead = await rejection(stepDispute(as(ctx, 'lead.qian'), d, { type: 'record_view', view: 'overturned', opinion: '同意' }));
    expect(vipLead.code).toBe('not_basic_team_lead');
    await stepDispute(as(ctx, 'lead.zhao'), d, { type: 'record_view', view: 'overturned', opinion: '同意' });
    const notManager = await rejection(stepDispute(as(ctx, 'vipm.zheng'), d, { type: 'decide', outcome: 'overturned', opinion: 'x' }));
    expect(notManager.code).toBe('role_not_allowed');
    const bare = await rejection(stepDispute(as(ctx, 'qam.wu'), d, { type: 'decide', outcome: 'overturned', opinion: ' ' }));
    expect(bare.code).toBe('opinion_required');
  });

  it('overturns the deduction: revoked (kept), the draft recomputed with the changed coefficient', async () => {
    const d = ids.d1 as number;
    const closed = await stepDispute(as(ctx, 'qam.wu'), d, { type: 'decide', outcome: 'overturned', opinion: '价目表当日已更新,扣分撤销' });
    expect(closed).toMatchObject({ status: 'closed', decision: { level: 'panel', outcome: 'overturned', by: 'qam.wu' } });
    expect(closed.views.map((v) => v.seat)).toEqual(['qa_manager', 'vip_manager', 'team_lead']);
    expect(closed.recomputed).toMatchObject({ month: OCT, status: 'draft' });
    const [e001] = await runPayslips(context.store.db, OCT, 'E001');
    expect(e001?.performance).toMatchObject({ deductions: '18', coefficient: '1.2', grade: 'excellent' });
    const deduction = await context.store.db
      .selectFrom('deductions')
      .selectAll()
      .where('category', '=', 'qa:wrong_information')
      .where('day', '=', '2026-10-12')
      .executeTakeFirstOrThrow();
    expect(deduction).toMatchObject({ points: '5', revoked_by: 'qam.wu' });
    expect(deduction.revoke_reason).toContain(`dispute #${d} overturned`);

    const second = await rejection(stepDispute(as(ctx, 'qam.wu'), d, { type: 'decide', outcome: 'upheld', opinion: '重新决定' }));
    expect(second.code).toBe('case_closed');
    await expect(qaDb(context.store.db).updateTable('qa_disputes').set({ status: 'filed' }).where('id', '=', d).execute()).rejects.toThrow(
      /final/,
    );
    await expect(qaDb(context.store.db).deleteFrom('qa_dispute_views').execute()).rejects.toThrow(/append-only/);
  });

  it('sends a below-qualified month to the director, whose changed decision replaces the deduction; nobody decides their own case', async () => {
    const admin = as(ctx, 'admin.root');
    await grantRole(admin, { login: 'V001', role: 'vip_manager' });
    await grantRole(admin, { login: inspectors.V001 as string, role: 'qa_manager' });
    const filed = await fileDispute(as(ctx, 'V001'), { inspection: ids.V001 as number, item: 'forbidden_phrase' }, '用语并非禁语');
    const d = filed.id;
    expect(filed.belowQualified).toBe(true);
    const ownInspection = await rejection(stepDispute(as(ctx, inspectors.V001 as string), d, { type: 'review' }));
    expect(ownInspection.code).toBe('own_inspection');
    await stepDispute(as(ctx, 'qam.wu'), d, { type: 'review' });
    const own = await rejection(stepDispute(as(ctx, 'V001'), d, { type: 'record_view', view: 'overturned', opinion: '我没错' }));
    expect(own.code).toBe('own_case');
    const notBefore = await rejection(stepDispute(as(ctx, 'E002'), d, { type: 'escalate' }));
    expect(notBefore.code).toBe('role_not_allowed');
    for (const who of ['qam.wu', 'vipm.zheng', 'lead.zhao']) {
      await stepDispute(as(ctx, who), d, { type: 'record_view', view: 'changed', points: '2', opinion: '情节较轻' });
    }
    const samePoints = await rejection(
      stepDispute(as(ctx, 'qam.wu'), d, { type: 'decide', outcome: 'changed', points: '5', opinion: '不变' }),
    );
    expect(samePoints.code).toBe('invalid_input');
    const escalated = await stepDispute(as(ctx, 'qam.wu'), d, { type: 'decide', outcome: 'changed', points: '2', opinion: '情节较轻' });
    expect(escalated).toMatchObject({ status: 'escalated', panelDecision: { outcome: 'changed', points: '2' }, decision: null });
    expect(escalated.recomputed).toBeUndefined();
    const notDirector = await rejection(
      stepDispute(as(ctx, 'qam.wu'), d, { type: 'director_decide', outcome: 'changed', points: '3', opinion: 'x' }),
    );
    expect(notDirector.code).toBe('role_not_allowed');
    const final = await stepDispute(as(ctx, 'dir.wang'), d, {
      type: 'director_decide',
      outcome: 'changed',
      points: '3',
      opinion: '改扣 3 分',
    });
    expect(final).toMatchObject({ status: 'closed', decision: { level: 'director', outcome: 'changed', points: '3' } });
    const rows = await context.store.db
      .selectFrom('deductions')
      .select(['points', 'revoked_at', 'reason'])
      .where('category', '=', 'qa:forbidden_phrase')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.points, r.revoked_at !== null])).toEqual([
      ['5', true],
      ['3', false],
    ]);
    expect(rows[1]?.reason).toContain(`changed on dispute #${d}`);
    const [v001] = await runPayslips(context.store.db, OCT, 'V001');
    expect(v001?.performance).toMatchObject({ deductions: '54', coefficient: null, grade: 'unqualified' });
  });

  it('takes a dispute of the month’s result, which blocks approval until withdrawn or decided; it cannot be escalated early', async () => {
    const filed = await fileDispute(as(ctx, 'E002'), { month: '2026-10' }, '工单量统计有误');
    expect(filed).toMatchObject({ status: 'filed', subject: { kind: 'month_result' }, publishedOn: '2026-10-13' });
    const early = await rejection(stepDispute(as(ctx, 'qam.wu'), filed.id, { type: 'escalate' }));
    expect(early.code).toBe('not_escalable');
    const someoneElse = await rejection(stepDispute(as(ctx, 'E001'), filed.id, { type: 'withdraw' }));
    expect(someoneElse.code).toBe('not_party');
    const withdrawn = await stepDispute(as(ctx, 'E002'), filed.id, { type: 'withdraw', opinion: '已核对无误' });
    expect(withdrawn).toMatchObject({ status: 'closed', decision: { level: 'withdrawn', outcome: 'withdrawn' } });
  });

  it('has the director sign off the below-qualified month (return, resubmit, sign), then approves; signed months are frozen', async () => {
    const [first] = await listSignOffs(context.store.db, OCT);
    expect(first).toMatchObject({ employeeNo: 'V001', grade: 'unqualified', status: 'pending' });
    // HR may withdraw a request (with a reason) and ask again.
    const bareWithdraw = await rejection(stepSignOff(as(ctx, 'hr.li'), first?.id as number, 'withdraw'));
    expect(bareWithdraw.code).toBe('opinion_required');
    const withdrawn = await stepSignOff(as(ctx, 'hr.li'), first?.id as number, 'withdraw', '重算后复核');
    expect(withdrawn.status).toBe('withdrawn');
    const notHr = await rejection(requestSignOffs(as(ctx, 'E001'), OCT));
    expect(notHr.code).toBe('role_not_allowed');
    expect(await requestSignOffs(as(ctx, 'hr.li'), OCT)).toEqual({ created: ['V001'], stale: [] });
    const signOff = (await listSignOffs(context.store.db, OCT)).find((s) => s.status === 'pending');
    const id = signOff?.id as number;
    const byHr = await rejection(stepSignOff(as(ctx, 'hr.li'), id, 'sign'));
    expect(byHr.code).toBe('role_not_allowed');
    const noReason = await rejection(stepSignOff(as(ctx, 'dir.wang'), id, 'return'));
    expect(noReason.code).toBe('opinion_required');
    await stepSignOff(as(ctx, 'dir.wang'), id, 'return', '请核对申诉结果');
    await stepSignOff(as(ctx, 'hr.li'), id, 'resubmit');
    await advanceRun(ctx, OCT, 'review');
    const stillBlocked = await rejection(advanceRun(ctx, OCT, 'approve'));
    expect(stillBlocked.details).toEqual([expect.stringContaining("V001's below-qualified 2026-10 is awaiting the director's sign-off")]);
    const signed = await stepSignOff(as(ctx, 'dir.wang'), id, 'sign', '已知悉');
    expect(signed.status).toBe('signed');
    expect(signed.history.map((h) => h.event)).toEqual(['return', 'resubmit', 'sign']);
    const approved = await advanceRun(as(ctx, 'dir.wang'), OCT, 'approve');
    expect(approved.status).toBe('approved');
    await expect(
      qaDb(context.store.db).updateTable('qa_sign_offs').set({ status: 'pending' }).where('id', '=', id).execute(),
    ).rejects.toThrow(/approved or locked/);
  });

  it('sends a dispute still open at the cut-off to the director: the panel may no longer decide it', async () => {
    // The September dispute filed on 10 Oct; September's cut-off is 21 Oct.
    ctx.at('2026-10-22T02:00:00.000Z');
    const d = (await listDisputes(context.store.db, '2026-09'))[0]?.id as number;
    await stepDispute(as(ctx, 'qam.wu'), d, { type: 'review' });
    for (const who of ['qam.wu', 'vipm.zheng', 'lead.zhao']) {
      await stepDispute(as(ctx, who), d, { type: 'record_view', view: 'upheld', opinion: '扣分正确' });
    }
    const audits = (await context.store.db.selectFrom('audit_log').select('id').execute()).length;
    const late = await rejection(stepDispute(as(ctx, 'qam.wu'), d, { type: 'decide', outcome: 'upheld', opinion: '维持' }));
    expect(late.code).toBe('past_cutoff');
    const agent = await rejection(stepDispute(as(ctx, 'E002'), d, { type: 'escalate' }));
    expect(agent.code).toBe('role_not_allowed');
    expect((await context.store.db.selectFrom('audit_log').select('id').execute()).length).toBe(audits);
    const escalated = await stepDispute(as(ctx, 'hr.li'), d, { type: 'escalate' });
    expect(escalated).toMatchObject({ status: 'escalated', escalation: { by: 'hr.li', because: ['cutoff'] } });
    const decided = await stepDispute(as(ctx, 'dir.wang'), d, { type: 'director_decide', outcome: 'upheld', opinion: '维持原判' });
    expect(decided).toMatchObject({ status: 'closed', decision: { level: 'director', outcome: 'upheld' } });
    expect(decided.recomputed).toBeUndefined();
    const deductions = await context.store.db.selectFrom('deductions').select('revoked_at').where('day', '=', '2026-09-30').execute();
    expect(deductions.map((r) => r.revoked_at)).toEqual([null, null]);
  });
});
