import type { Month } from '@ladder/core';
import { expect, it } from 'vitest';
import { computeRun, runPayslips } from '../../packages/server/src/services/payroll/runs.js';
import {
  drawDay,
  enterDeduction,
  inspectionView,
  listInspections,
  qaDb,
  scoreInspection,
  stepInspection,
} from '../../packages/server/src/services/qa/index.js';
import { addConversations, as, rejection, seedQaPeople, withQaTables } from '../../packages/server/src/services/qa/test-support.js';
import { seedSpecExamples, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

const OCT = '2026-10' as Month;
const DAY = '2026-10-12';

describeStores('QA inspections (R-QA-2…4)', (context) => {
  let ctx: ReturnType<typeof testContext>;
  let conversations: string[];
  let first: { id: number; inspector: string; conversation: string };
  let second: { id: number; inspector: string; conversation: string };
  const other = (login: string) => (login === 'qa.sun' ? 'qa.zhou' : 'qa.sun');

  async function itemRows(id: number) {
    return qaDb(context.store.db).selectFrom('qa_inspection_items').selectAll().where('inspection_id', '=', id).execute();
  }

  it('samples a day of E001 and computes the October draft (deductions 18: coefficient 1.2)', async () => {
    await withQaTables(context.store);
    ctx = testContext(context.store, 'hr.li');
    await seedSpecExamples(ctx, OCT);
    await seedQaPeople(ctx, false);
    conversations = await addConversations(context.store, 'E001', DAY, 6);
    ctx.at('2026-10-13T01:00:00.000Z');
    await drawDay(as(ctx, 'qam.wu'), DAY);
    const list = await listInspections(context.store.db, { employeeNo: 'E001' });
    expect(list).toHaveLength(5);
    [first, second] = list as [typeof first, typeof first];
    await computeRun(ctx, OCT);
    const [e001] = await runPayslips(context.store.db, OCT, 'E001');
    expect(e001?.performance).toMatchObject({ deductions: '18', coefficient: '1.2' });
  });

  it('refuses a conversation not in the sample, and one that does not exist', async () => {
    const inspections = await listInspections(context.store.db, { employeeNo: 'E001' });
    const drawn = new Set(inspections.map((i) => i.conversation));
    const outside = conversations.find((key) => !drawn.has(key));
    expect(outside).toBeDefined();
    const refused = await rejection(
      scoreInspection(as(ctx, first.inspector), outside as string, [{ item: 'wrong_information', hit: true }]),
    );
    expect(refused.code).toBe('not_in_sample');
    expect(refused.message).toContain('not in the sample');
    const unknown = await rejection(stepInspection(as(ctx, first.inspector), 'desk:nope', { type: 'start' }));
    expect(unknown.code).toBe('unknown_conversation');
  });

  it('lets only the assigned inspector start and score, and only while in progress', async () => {
    const early = await rejection(scoreInspection(as(ctx, first.inspector), first.id, [{ item: 'wrong_information', hit: true }]));
    expect(early.code).toBe('invalid_state');
    const byAgent = await rejection(stepInspection(as(ctx, 'E001'), first.id, { type: 'start' }));
    expect(byAgent.code).toBe('role_not_allowed');
    const byOther = await rejection(stepInspection(as(ctx, other(first.inspector)), first.id, { type: 'start' }));
    expect(byOther.code).toBe('not_party');
    const started = await stepInspection(as(ctx, first.inspector), first.id, { type: 'start' });
    expect(started.status).toBe('in_progress');
    // Scored by someone else: refused.
    const otherScore = await rejection(
      scoreInspection(as(ctx, other(first.inspector)), first.id, [{ item: 'wrong_information', hit: true }]),
    );
    expect(otherScore.code).toBe('not_party');
    expect(await itemRows(first.id)).toEqual([]);
  });

  it('refuses items not on the scorecard version in force, all at once, writing nothing', async () => {
    const refused = await rejection(
      scoreInspection(as(ctx, first.inspector), first.conversation, [
        { item: 'wrong_information', hit: true },
        { item: 'rude_emoji', hit: true },
        { item: 'slow_reply', hit: true, count: 0 },
      ]),
    );
    expect(refused.code).toBe('unknown_item');
    expect(refused.details).toEqual([
      'items[1].item: "rude_emoji" is not an item of scorecard service version 2017.1, in force on 2026-10-12',
      'items[2].count: must be a whole number from 1 to 1000, got 0',
    ]);
    expect(await itemRows(first.id)).toEqual([]);
  });

  it('records per item: hit or not, count, note, evidence, who and when; again replaces, audited', async () => {
    ctx.at('2026-10-13T02:00:00.000Z');
    await scoreInspection(as(ctx, first.inspector), first.id, [
      { item: 'wrong_information', hit: true, note: '报错价格', evidence: 'msg#4 10:02:11' },
      { item: 'greeting_closing', hit: false, note: '问候规范' },
      { item: 'slow_reply', hit: true, count: 3, evidence: 'msg#6, msg#9, msg#12' },
    ]);
    ctx.advance();
    const view = await scoreInspection(as(ctx, first.inspector), first.id, [{ item: 'slow_reply', hit: false, note: '复核:未超时' }]);
    expect(view.items).toEqual([
      expect.objectContaining({
        item: 'wrong_information',
        hit: true,
        count: 1,
        points: '5',
        note: '报错价格',
        evidence: 'msg#4 10:02:11',
        recordedBy: first.inspector,
      }),
      expect.objectContaining({ item: 'greeting_closing', hit: false, count: 0, points: '1', note: '问候规范' }),
      expect.objectContaining({ item: 'slow_reply', hit: false, count: 0, note: '复核:未超时', recordedAt: '2026-10-13T02:01:00.000Z' }),
    ]);
    const audits = await context.store.db
      .selectFrom('audit_log')
      .select(['actor', 'details'])
      .where('action', '=', 'qa.inspection.item')
      .where('entity_key', '=', `${first.id}/slow_reply`)
      .orderBy('id')
      .execute();
    expect(audits).toHaveLength(2);
    expect(JSON.parse(audits[1]?.details ?? '{}')).toMatchObject({ before: { hit: true, count: 3 }, after: { hit: false, count: 0 } });
  });

  it('submits, refuses publication by the inspector, publishes by the QA manager and recomputes the draft (23: coefficient 1.0)', async () => {
    await stepInspection(as(ctx, first.inspector), first.id, { type: 'submit' });
    const own = await rejection(stepInspection(as(ctx, first.inspector), first.id, { type: 'publish' }));
    expect(own.code).toBe('role_not_allowed');
    const published = await stepInspection(as(ctx, 'qam.wu'), first.id, { type: 'publish' });
    expect(published).toMatchObject({
      status: 'published',
      total: '5',
      forfeits: [],
      deductions: [{ item: 'wrong_information', subtotal: '5' }],
    });
    expect(published.recomputed).toMatchObject({ month: OCT, revision: 2 });
    const [e001] = await runPayslips(context.store.db, OCT, 'E001');
    expect(e001?.performance).toMatchObject({ deductions: '23', coefficient: '1' });
    const deduction = await context.store.db.selectFrom('deductions').selectAll().where('origin', '=', 'qa').executeTakeFirstOrThrow();
    expect(deduction).toMatchObject({
      day: DAY,
      points: '5',
      category: 'qa:wrong_information',
      entered_by: first.inspector,
      revoked_at: null,
    });
    const view = await inspectionView(context.store.db, first.id);
    expect(view).toMatchObject({ status: 'published', publishedOn: '2026-10-13', totalPoints: '5' });
    expect(view.history.map((h) => [h.event, h.from, h.to, h.as])).toEqual([
      ['start', 'assigned', 'in_progress', 'qa_inspector'],
      ['submit', 'in_progress', 'submitted', 'qa_inspector'],
      ['publish', 'submitted', 'published', 'qa_manager'],
    ]);
    // A published inspection's items never change, whatever path a change takes.
    await expect(
      qaDb(context.store.db).updateTable('qa_inspection_items').set({ count: 9 }).where('inspection_id', '=', first.id).execute(),
    ).rejects.toThrow(/published/);
    const again = await rejection(stepInspection(as(ctx, 'qam.wu'), first.id, { type: 'publish' }));
    expect(again.code).toBe('invalid_state');
  });

  it('returns a submitted inspection only with a reason, and reassigns only to someone R-QA-3 allows', async () => {
    await stepInspection(as(ctx, second.inspector), second.id, { type: 'start' });
    await stepInspection(as(ctx, second.inspector), second.id, { type: 'submit' });
    const bare = await rejection(stepInspection(as(ctx, 'qam.wu'), second.id, { type: 'return', opinion: ' ' }));
    expect(bare.code).toBe('opinion_required');
    const returned = await stepInspection(as(ctx, 'qam.wu'), second.id, { type: 'return', opinion: '证据不足' });
    expect(returned.status).toBe('in_progress');
    const toLead = await rejection(stepInspection(as(ctx, 'qam.wu'), second.id, { type: 'reassign', inspectorId: 'lead.zhao' }));
    expect(toLead.code).toBe('not_inspector');
    const toAgent = await rejection(stepInspection(as(ctx, 'qam.wu'), second.id, { type: 'reassign', inspectorId: 'E001' }));
    expect(toAgent.code).toBe('own_case');
    const moved = await stepInspection(as(ctx, 'qam.wu'), second.id, {
      type: 'reassign',
      inspectorId: other(second.inspector),
      opinion: 'workload',
    });
    expect(moved).toMatchObject({ status: 'assigned', inspector: other(second.inspector) });
    const steps = await qaDb(context.store.db)
      .selectFrom('qa_steps')
      .select('event')
      .where('entity_id', '=', second.id)
      .orderBy('seq')
      .execute();
    expect(steps.map((s) => s.event)).toEqual(['start', 'submit', 'return', 'reassign']);
    await expect(qaDb(context.store.db).deleteFrom('qa_steps').execute()).rejects.toThrow(/append-only/);
  });

  it('takes efficiency and discipline deductions from whoever R-QA-3 names for the group', async () => {
    const wrongLead = await rejection(
      enterDeduction(as(ctx, 'lead.qian'), { employeeNo: 'E001', day: '2026-10-14', points: 2, kind: 'efficiency', reason: '超时' }),
    );
    expect(wrongLead.code).toBe('role_not_allowed');
    const inspector = await rejection(
      enterDeduction(as(ctx, 'qa.sun'), { employeeNo: 'E001', day: '2026-10-14', points: 2, kind: 'efficiency', reason: '超时' }),
    );
    expect(inspector.code).toBe('role_not_allowed');
    const bad = await rejection(
      enterDeduction(as(ctx, 'lead.zhao'), { employeeNo: 'E001', day: '2026-10-14', points: -1, kind: 'efficiency', reason: 'x' }),
    );
    expect(bad.code).toBe('invalid_input');
    const byLead = await enterDeduction(as(ctx, 'lead.zhao'), {
      employeeNo: 'E001',
      day: '2026-10-14',
      points: '2.5',
      kind: 'discipline',
      reason: '迟到',
    });
    expect(byLead.inserted).toBe(true);
    expect(byLead.recomputed?.revision).toBe(3);
    // vip agents' efficiency is the QA group's (default policy); their team lead may not.
    const vipLead = await rejection(
      enterDeduction(as(ctx, 'lead.qian'), { employeeNo: 'V001', day: '2026-10-14', points: 1, kind: 'efficiency', reason: '超时' }),
    );
    expect(vipLead.code).toBe('role_not_allowed');
    const vipQa = await enterDeduction(as(ctx, 'qa.sun'), {
      employeeNo: 'V001',
      day: '2026-10-14',
      points: 1,
      kind: 'efficiency',
      reason: '超时',
    });
    expect(vipQa.inserted).toBe(true);
    const rows = await context.store.db
      .selectFrom('deductions')
      .select(['category', 'points', 'entered_by', 'origin'])
      .where('day', '=', '2026-10-14')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { category: 'discipline', points: '2.5', entered_by: 'lead.zhao', origin: 'lead' },
      { category: 'efficiency', points: '1', entered_by: 'qa.sun', origin: 'lead' },
    ]);
    const [e001] = await runPayslips(context.store.db, OCT, 'E001');
    expect(e001?.performance).toMatchObject({ deductions: '25.5' });
  });
});
