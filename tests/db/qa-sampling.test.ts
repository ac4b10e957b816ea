import { drawSample, redrawChanges } from '@ladder/core';
import { expect, it } from 'vitest';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import {
  checkSample,
  drawDay,
  grantRole,
  listInspections,
  qaDb,
  redrawSample,
  SALT_SETTING,
  stepInspection,
} from '../../packages/server/src/services/qa/index.js';
import { addConversations, as, rejection, withQaTables } from '../../packages/server/src/services/qa/test-support.js';
import { testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

type Ctx = ReturnType<typeof testContext>;

const DAY = '2026-10-12';

describeStores('QA sampling and assignment (R-QA-1, R-QA-3)', (context) => {
  let ctx: Ctx;
  let first: string[];

  it('sets up people and roles; only an admin grants roles, after the first admin', async () => {
    await withQaTables(context.store);
    ctx = testContext(context.store, 'admin.root');
    await upsertEmployees(
      context.store.db,
      ctx,
      [
        { employeeNo: 'E001', name: '张伟', group: 'basic', level: 'intermediate', team: 'T1', hiredOn: '2024-03-01' },
        { employeeNo: 'E002', name: '李娜', group: 'basic', level: 'junior', team: 'T1', hiredOn: '2025-06-01' },
        { employeeNo: 'V001', name: '王芳', group: 'vip', level: 'vip_senior', team: 'V1', hiredOn: '2023-01-01' },
      ],
      'seed',
    );
    const early = await rejection(grantRole(ctx, { login: 'qa.sun', role: 'qa_inspector' }));
    expect(early.code).toBe('role_not_allowed');
    await grantRole(ctx, { login: 'admin.root', role: 'admin' });
    await grantRole(ctx, { login: 'qa.sun', role: 'qa_inspector' });
    await grantRole(ctx, { login: 'qa.zhou', role: 'qa_inspector' });
    await grantRole(ctx, { login: 'qam.wu', role: 'qa_manager' });
    await grantRole(ctx, { login: 'lead.zhao', role: 'team_lead', team: 'T1' });
    const notAdmin = await rejection(grantRole(as(ctx, 'qa.sun'), { login: 'qa.sun', role: 'director' }));
    expect(notAdmin.code).toBe('role_not_allowed');
    const noTeam = await rejection(grantRole(ctx, { login: 'lead.qian', role: 'team_lead' }));
    expect(noTeam.code).toBe('invalid_input');
  });

  it('draws each agent’s sample once, reproducibly from the department salt, and balances the inspectors', async () => {
    const e001 = await addConversations(context.store, 'E001', DAY, 12);
    first = e001;
    const e002 = await addConversations(context.store, 'E002', DAY, 3);
    const v001 = await addConversations(context.store, 'V001', DAY, 7);
    const refused = await rejection(drawDay(as(ctx, 'E001'), DAY));
    expect(refused.code).toBe('role_not_allowed');

    const draw = await drawDay(as(ctx, 'qam.wu'), DAY);
    expect(draw.drawn.map((d) => [d.employeeNo, d.size, d.available, d.conversations.length])).toEqual([
      ['E001', 5, 12, 5],
      ['E002', 5, 3, 3],
      ['V001', 5, 7, 5],
    ]);
    // The same draw, redone from the stored salt with core's drawSample.
    const salt = await context.store.db.selectFrom('settings').select('value').where('key', '=', SALT_SETTING).executeTakeFirstOrThrow();
    expect(salt.value).toMatch(/^[0-9a-f]{64}$/);
    for (const [no, ids] of [
      ['E001', e001],
      ['V001', v001],
    ] as const) {
      const again = drawSample({ salt: salt.value, agentId: no, day: DAY, conversationIds: [...ids].reverse(), size: 5 });
      expect(draw.drawn.find((d) => d.employeeNo === no)?.conversations).toEqual(again.drawn.map((c) => c.conversationId));
    }
    expect(draw.drawn.find((d) => d.employeeNo === 'E002')?.conversations.sort()).toEqual([...e002].sort());
    const check = await checkSample(as(ctx, 'qam.wu'), 'E001', DAY);
    expect(check).toMatchObject({ identical: true, wouldAdd: [], revision: 1 });

    // 13 inspections between two QA inspectors (R-QA-3: qa_group for every group by default): 7 and 6.
    const inspections = await listInspections(context.store.db, { day: DAY });
    expect(inspections).toHaveLength(13);
    const perInspector = new Map<string, number>();
    for (const i of inspections) perInspector.set(i.inspector, (perInspector.get(i.inspector) ?? 0) + 1);
    expect([...perInspector.keys()].sort()).toEqual(['qa.sun', 'qa.zhou']);
    expect(Math.abs((perInspector.get('qa.sun') ?? 0) - (perInspector.get('qa.zhou') ?? 0))).toBeLessThanOrEqual(1);

    // The salt is never written to the audit log.
    const audits = await context.store.db.selectFrom('audit_log').select(['action', 'details']).execute();
    expect(audits.some((a) => a.action === 'qa.salt_created')).toBe(true);
    expect(audits.every((a) => !(a.details ?? '').includes(salt.value))).toBe(true);
  });

  it('leaves a sampled day alone when conversations arrive late, until a QA manager asks for a re-draw', async () => {
    const late = await addConversations(context.store, 'E001', DAY, 20, 100);
    const again = await drawDay(as(ctx, 'qa.sun'), DAY);
    expect(again.drawn).toEqual([]);
    expect(again.unchanged.find((u) => u.employeeNo === 'E001')).toMatchObject({ late: 20, assigned: [] });
    const check = await checkSample(as(ctx, 'qam.wu'), 'E001', DAY);
    expect(check.stored).toHaveLength(5);

    // One inspection has started: it stays whatever the re-draw says.
    const e001 = await listInspections(context.store.db, { day: DAY, employeeNo: 'E001' });
    const started = e001[0];
    if (!started) throw new Error('no inspection');
    await stepInspection(as(ctx, started.inspector), started.id, { type: 'start' });

    const notManager = await rejection(redrawSample(as(ctx, 'qa.sun'), 'E001', DAY, 'late import'));
    expect(notManager.code).toBe('role_not_allowed');
    const noReason = await rejection(redrawSample(as(ctx, 'qam.wu'), 'E001', DAY, ' '));
    expect(noReason.code).toBe('opinion_required');

    const redraw = await redrawSample(as(ctx, 'qam.wu'), 'E001', DAY, 'the 2026-10-12 export arrived late');
    expect(redraw.revision).toBe(2);
    expect(redraw.sample).toContain(started.conversation);
    expect(redraw.sample).toHaveLength(5);
    // Exactly what core's redrawChanges says from the stored salt, keeping the started inspection.
    const salt = await context.store.db.selectFrom('settings').select('value').where('key', '=', SALT_SETTING).executeTakeFirstOrThrow();
    const expected = redrawChanges({
      salt: salt.value,
      agentId: 'E001',
      day: DAY,
      conversationIds: [...first, ...late],
      size: 5,
      current: check.stored,
      keep: [started.conversation],
    });
    expect(redraw).toMatchObject({
      sample: expected.sample,
      added: expected.added,
      removed: expected.removed,
      keptOutsideDraw: expected.keptOutsideDraw,
    });
    expect(redraw.added.length).toBeGreaterThan(0);
    expect(redraw.removed.length).toBe(redraw.added.length);
    expect(redraw.withdrawnInspections).toHaveLength(redraw.removed.length);
    const after = await listInspections(context.store.db, { day: DAY, employeeNo: 'E001' });
    expect(after.map((i) => i.conversation).sort()).toEqual([...redraw.sample].sort());

    const audit = await context.store.db
      .selectFrom('audit_log')
      .select(['actor', 'reason', 'details'])
      .where('action', '=', 'qa.sample_redrawn')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'qam.wu', reason: 'the 2026-10-12 export arrived late' });
    // Removed conversations stay on record, marked with the revision that removed them.
    const removed = await qaDb(context.store.db)
      .selectFrom('qa_sample_items')
      .select('conversation_key')
      .where('removed_revision', '=', 2)
      .execute();
    expect(removed.map((r) => r.conversation_key).sort()).toEqual([...redraw.removed].sort());
    // After the re-draw the stored sample again equals a fresh draw over everything but the kept one.
    const recheck = await checkSample(as(ctx, 'qam.wu'), 'E001', DAY);
    expect(recheck.revision).toBe(2);
  });

  it('never assigns agents their own conversations and reports what nobody may inspect', async () => {
    // Only E001 is left as a QA inspector for a day of E001's own conversations.
    const admin = ctx;
    await grantRole(admin, { login: 'E001', role: 'qa_inspector' });
    const { revokeRole } = await import('../../packages/server/src/services/qa/index.js');
    await revokeRole(admin, 'qa.sun', 'qa_inspector');
    await revokeRole(admin, 'qa.zhou', 'qa_inspector');
    await addConversations(context.store, 'E001', '2026-10-13', 2);
    const draw = await drawDay(as(ctx, 'qam.wu'), '2026-10-13');
    expect(draw.drawn[0]).toMatchObject({ employeeNo: 'E001', assigned: [], unassigned: expect.any(Array) });
    expect(draw.drawn[0]?.unassigned).toHaveLength(2);
    await grantRole(admin, { login: 'qa.sun', role: 'qa_inspector' });
    const later = await drawDay(as(ctx, 'qam.wu'), '2026-10-13');
    expect(later.unchanged[0]?.assigned.map((a) => a.inspector)).toEqual(['qa.sun', 'qa.sun']);
  });

  it('refuses a sample for a day that is not a date', async () => {
    const bad = await rejection(drawDay(as(ctx, 'qam.wu'), '2026-13-01'));
    expect(bad.code).toBe('invalid_input');
  });
});
