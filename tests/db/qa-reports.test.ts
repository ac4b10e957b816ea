import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  bandStanding,
  calculatePayslip,
  Decimal,
  type EmployeeMonth,
  formatDecimal,
  formatYuan,
  type Month,
  parsePolicy,
} from '@ladder/core';
import ExcelJS from 'exceljs';
import { afterAll, expect, it } from 'vitest';
import { addPolicyVersion, defaultPolicyText } from '../../packages/server/src/services/policies.js';
import {
  acknowledgeForfeiture,
  board,
  calibrationReport,
  closeCalibration,
  createCalibration,
  dailyReport,
  drawDay,
  fileDispute,
  isoWeek,
  listInspections,
  qaDb,
  qaBlockers,
  scoreCalibration,
  scoreInspection,
  stepDispute,
  stepInspection,
  writeBoardXlsx,
  writeDailyReportXlsx,
} from '../../packages/server/src/services/qa/index.js';
import { addConversations, as, rejection, seedQaPeople, withQaTables } from '../../packages/server/src/services/qa/test-support.js';
import { seedSpecExamples, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';
import { computeRun, runPayslips } from '../../packages/server/src/services/payroll/runs.js';

const OCT = '2026-10' as Month;
const d = (v: string | number) => new Decimal(v);
const dir = mkdtempSync(path.join(tmpdir(), 'ladder-qa-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStores('QA reports, board and calibration (R-QA-5, R-EXT-2)', (context) => {
  let ctx: ReturnType<typeof testContext>;
  let e001: string[];

  async function publish(id: number, inspector: string, item: string) {
    await stepInspection(as(ctx, inspector), id, { type: 'start' });
    await scoreInspection(as(ctx, inspector), id, [{ item, hit: true }]);
    await stepInspection(as(ctx, inspector), id, { type: 'submit' });
    return stepInspection(as(ctx, 'qam.wu'), id, { type: 'publish' });
  }

  it('reports the day per agent: inspections done and pending, deductions, band, points to the next band, projected pay', async () => {
    await withQaTables(context.store);
    ctx = testContext(context.store, 'hr.li');
    await seedSpecExamples(ctx, OCT);
    await seedQaPeople(ctx, false);
    e001 = await addConversations(context.store, 'E001', '2026-10-12', 3);
    ctx.at('2026-10-12T10:00:00.000Z');
    await drawDay(as(ctx, 'qam.wu'), '2026-10-12');
    const [one, two] = await listInspections(context.store.db, { employeeNo: 'E001' });
    if (!one || !two) throw new Error('missing inspections');
    await publish(one.id, one.inspector, 'wrong_information');
    await stepInspection(as(ctx, two.inspector), two.id, { type: 'start' });

    const day = await dailyReport(as(ctx, 'lead.zhao'), 'T1', '2026-10-12');
    expect(day.agents.map((a) => [a.employeeNo, a.inspections, a.deductions])).toEqual([
      ['E001', { sampled: 3, done: 1, pending: 2 }, { today: '5', monthToDate: '15' }],
      ['E002', { sampled: 0, done: 0, pending: 0 }, { today: '0', monthToDate: '0' }],
    ]);
  });

  it('agrees with the core calculation (ladder calc) on the same figures', async () => {
    const report = await dailyReport(as(ctx, 'lead.zhao'), 'T1', '2026-10-16');
    const e001Row = report.agents.find((a) => a.employeeNo === 'E001');
    const e002Row = report.agents.find((a) => a.employeeNo === 'E002');
    // E001 on 16 Oct: 10 (3 Oct) + 5 (QA, 12 Oct) + 8 (15 Oct) = 23 → band 20 < d ≤ 30, coefficient 1.0, 7 points left.
    const { policy } = parsePolicy(defaultPolicyText());
    const figures: EmployeeMonth = {
      id: 'E001',
      group: 'basic',
      level: 'intermediate',
      attendance: { unpaidDays: d(0), lateCount: d(0), overtimeHours: { workday: d(0), restDay: d(0), holiday: d(0) }, leaveDays: {} },
      metrics: {
        conversations: d(2000),
        tickets: d(30),
        wrongTickets: d(2),
        deductions: d(23),
        execution: d(50),
        rewards: d(0),
        excellentCases: d(1),
        extra: d(0),
      },
    };
    const slip = calculatePayslip(policy, OCT, figures);
    const standing = bandStanding(policy.bands.basic ?? [], d(23));
    expect(e001Row?.deductions).toEqual({ today: '0', monthToDate: '23' });
    expect(e001Row?.band).toMatchObject({
      range: standing.range,
      coefficient: '1',
      grade: 'good',
      pointsToNextBand: formatDecimal(standing.pointsToEdge ?? d(-1)),
      edgeInclusive: true,
      next: { coefficient: '0.8' },
    });
    expect(e001Row?.band?.pointsToNextBand).toBe('7');
    expect(e001Row?.projected.performancePay).toBe(formatYuan(slip.performance.pay));
    expect(e001Row?.projected).toMatchObject({ performancePay: '1155.00', gross: formatYuan(slip.gross), score: '2310', coefficient: '1' });
    // E002 (2 unpaid days, 25 points on the 16th): as SPEC §14 example 3 — 800.00.
    expect(e002Row).toMatchObject({
      deductions: { today: '25', monthToDate: '25' },
      band: { pointsToNextBand: '5' },
      projected: { performancePay: '800.00' },
    });
    expect(e001Row?.band?.explain.en).toBe(standing.explain.en);

    const file = await writeDailyReportXlsx(report, path.join(dir, 'daily.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(2).values).toEqual(expect.arrayContaining(['E001', 23, 7, 1155]));
  });

  it('shows a team lead only their own team', async () => {
    const other = await rejection(dailyReport(as(ctx, 'lead.qian'), 'T1', '2026-10-16'));
    expect(other.code).toBe('role_not_allowed');
    const agent = await rejection(dailyReport(as(ctx, 'E001'), 'T1', '2026-10-16'));
    expect(agent.code).toBe('role_not_allowed');
    const unknown = await rejection(dailyReport(as(ctx, 'qam.wu'), 'T9', '2026-10-16'));
    expect(unknown.code).toBe('unknown_team');
    const manager = await dailyReport(as(ctx, 'qam.wu'), 'V1', '2026-10-16');
    expect(manager.agents.map((a) => [a.employeeNo, a.band?.coefficient, a.band?.pointsToNextBand])).toEqual([['V001', '1.5', '15']]);
  });

  it('ranks the week per group with the titles 服务明星 / 优秀客服', async () => {
    expect(isoWeek('2026-W42')).toMatchObject({ from: '2026-10-12', to: '2026-10-18' });
    expect(isoWeek('2026-W01').from).toBe('2025-12-29');
    expect((await rejection(Promise.resolve().then(() => isoWeek('2026-W54')))).code).toBe('invalid_input');
    const week = await board(as(ctx, 'E002'), isoWeek('2026-W42'));
    const basic = week.groups.find((g) => g.group === 'basic');
    expect(basic?.rows.map((r) => [r.rank, r.employeeNo, r.deductions, r.qaDeductions, r.inspections, r.title?.zh ?? null])).toEqual([
      [1, 'E001', '13', '5', 1, '服务明星'],
      [2, 'E002', '25', '0', 0, null],
    ]);
    const vip = week.groups.find((g) => g.group === 'vip');
    expect(vip?.rows).toEqual([expect.objectContaining({ rank: 1, employeeNo: 'V001', deductions: '51', title: null })]);
    const file = await writeBoardXlsx(week, path.join(dir, 'board.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['basic 2026-W42', 'sales 2026-W42', 'vip 2026-W42']);
  });

  it('reports each inspector’s deviation from the consensus per item in a calibration session', async () => {
    const [c1, c2] = e001 as [string, string];
    const notManager = await rejection(
      createCalibration(as(ctx, 'qa.sun'), { title: '10月校准', group: 'basic', conversations: [c1], inspectors: ['qa.sun', 'qa.zhou'] }),
    );
    expect(notManager.code).toBe('role_not_allowed');
    const notInspector = await rejection(
      createCalibration(as(ctx, 'qam.wu'), { title: '10月校准', group: 'basic', conversations: [c1], inspectors: ['qa.sun', 'hr.li'] }),
    );
    expect(notInspector.code).toBe('not_inspector');
    const session = await createCalibration(as(ctx, 'qam.wu'), {
      title: '10月校准',
      group: 'basic',
      conversations: [c1, c2],
      inspectors: ['qa.sun', 'qa.zhou', 'lead.zhao'],
    });
    expect(session).toMatchObject({ scorecard: 'service', version: '2017.1' });
    const before = (await context.store.db.selectFrom('deductions').select('id').execute()).length;
    await scoreCalibration(as(ctx, 'qa.sun'), session.id, c1, [{ item: 'wrong_information', hit: true }]);
    await scoreCalibration(as(ctx, 'qa.sun'), session.id, c2, [{ item: 'greeting_closing', hit: false }]);
    await scoreCalibration(as(ctx, 'qa.zhou'), session.id, c1, [
      { item: 'wrong_information', hit: true },
      { item: 'slow_reply', hit: true, count: 2 },
    ]);
    await scoreCalibration(as(ctx, 'qa.zhou'), session.id, c2, [{ item: 'greeting_closing', hit: true }]);
    await scoreCalibration(as(ctx, 'lead.zhao'), session.id, c1, [{ item: 'greeting_closing', hit: false }]);
    await scoreCalibration(as(ctx, 'lead.zhao'), session.id, c2, [{ item: 'greeting_closing', hit: true }]);
    const outsider = await rejection(scoreCalibration(as(ctx, 'qam.wu'), session.id, c1, [{ item: 'slow_reply', hit: true }]));
    expect(outsider.code).toBe('not_party');
    const badItem = await rejection(scoreCalibration(as(ctx, 'qa.sun'), session.id, c1, [{ item: 'rude_emoji', hit: true }]));
    expect(badItem.code).toBe('unknown_item');
    const notInSession = await rejection(
      scoreCalibration(as(ctx, 'qa.sun'), session.id, e001[2] as string, [{ item: 'slow_reply', hit: true }]),
    );
    expect(notInSession.code).toBe('not_in_session');

    const report = await calibrationReport(as(ctx, 'qam.wu'), session.id);
    const item = (code: string) => report.items.find((i) => i.item === code);
    expect(item('wrong_information')?.conversations[0]).toEqual({
      conversation: c1,
      consensus: '5',
      points: { 'lead.zhao': '0', 'qa.sun': '5', 'qa.zhou': '5' },
    });
    expect(item('wrong_information')?.deviation).toEqual({
      'qa.sun': { sum: '0', absolute: '0', differs: 0 },
      'qa.zhou': { sum: '0', absolute: '0', differs: 0 },
      'lead.zhao': { sum: '-5', absolute: '5', differs: 1 },
    });
    expect(item('slow_reply')?.deviation['qa.zhou']).toEqual({ sum: '1', absolute: '1', differs: 1 });
    expect(item('greeting_closing')?.deviation['qa.sun']).toEqual({ sum: '-1', absolute: '1', differs: 1 });
    expect(report.inspectors).toEqual([
      { login: 'qa.sun', scored: 2, missing: [], absoluteDeviation: '1', agreement: '83.3%' },
      { login: 'qa.zhou', scored: 2, missing: [], absoluteDeviation: '1', agreement: '83.3%' },
      { login: 'lead.zhao', scored: 2, missing: [], absoluteDeviation: '5', agreement: '83.3%' },
    ]);
    expect((await context.store.db.selectFrom('deductions').select('id').execute()).length).toBe(before);
    await closeCalibration(as(ctx, 'qam.wu'), session.id);
    const closed = await rejection(scoreCalibration(as(ctx, 'qa.sun'), session.id, c1, [{ item: 'slow_reply', hit: true }]));
    expect(closed.code).toBe('case_closed');
  });

  it('records a critical hit that forfeits the month, blocks approval until the director acknowledges it', async () => {
    // A policy version from November 2026 that marks argued_with_customer critical.
    const text = defaultPolicyText()
      .replace("version: '2017.1'", "version: '2026.11'")
      .replace('effectiveFrom: 2017-01-01', 'effectiveFrom: 2026-11-01')
      .replace(/(- code: argued_with_customer[\s\S]*?points: 10)/, '$1\n              critical: true');
    await addPolicyVersion(context.store.db, ctx, text, 'critical items');
    await addConversations(context.store, 'E002', '2026-11-02', 1);
    ctx.at('2026-11-02T10:00:00.000Z');
    await drawDay(as(ctx, 'qam.wu'), '2026-11-02');
    const [inspection] = await listInspections(context.store.db, { day: '2026-11-02' });
    if (!inspection) throw new Error('missing inspection');
    const published = await publish(inspection.id, inspection.inspector, 'argued_with_customer');
    expect(published).toMatchObject({ forfeits: ['argued_with_customer'], total: '10' });
    const blockers = await qaBlockers(context.store.db, '2026-11');
    expect(blockers).toEqual([expect.objectContaining({ kind: 'forfeiture', employeeNo: 'E002' })]);
    expect(blockers[0]?.explain.en).toContain('forfeits the 2026-11 performance pay (the draft is computed so)');
    const report = await dailyReport(as(ctx, 'lead.zhao'), 'T1', '2026-11-02');
    expect(report.agents.find((a) => a.employeeNo === 'E002')?.notes.map((n) => n.en)).toEqual([
      expect.stringContaining('critical item(s) argued_with_customer stand'),
    ]);
    const forfeiture = await context.store.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'qa.deductions_published')
      .execute();
    expect(forfeiture.length).toBeGreaterThan(0);
    const id = Number(/forfeit ack (\d+)/.exec(blockers[0]?.explain.en ?? '')?.[1]);
    const byHr = await rejection(acknowledgeForfeiture(as(ctx, 'hr.li'), id, 'HR 已录入额外扣分'));
    expect(byHr.code).toBe('role_not_allowed');
    await acknowledgeForfeiture(as(ctx, 'dir.wang'), id, 'HR entered extra −score for the forfeited performance pay');
    expect(await qaBlockers(context.store.db, '2026-11')).toEqual([]);
    const again = await rejection(acknowledgeForfeiture(as(ctx, 'dir.wang'), id, 'twice'));
    expect(again.code).toBe('case_closed');

    // A second critical hit, overturned on dispute: its forfeiture is void and blocks nothing.
    await addConversations(context.store, 'E002', '2026-11-03', 1);
    ctx.at('2026-11-03T10:00:00.000Z');
    await drawDay(as(ctx, 'qam.wu'), '2026-11-03');
    const [next] = await listInspections(context.store.db, { day: '2026-11-03' });
    if (!next) throw new Error('missing inspection');
    await publish(next.id, next.inspector, 'argued_with_customer');
    ctx.at('2026-11-04T02:00:00.000Z');
    const filed = await fileDispute(as(ctx, 'E002'), { inspection: next.id, item: 'argued_with_customer' }, '客户先辱骂,已按流程处理');
    expect(filed.belowQualified).toBe(true);
    expect((await qaBlockers(context.store.db, '2026-11')).map((b) => b.kind).sort()).toEqual(['dispute', 'forfeiture']);
    await stepDispute(as(ctx, 'qam.wu'), filed.id, { type: 'review' });
    for (const who of ['qam.wu', 'vipm.zheng', 'lead.zhao']) {
      await stepDispute(as(ctx, who), filed.id, { type: 'record_view', view: 'overturned', opinion: '录音证实客户先辱骂' });
    }
    await stepDispute(as(ctx, 'qam.wu'), filed.id, { type: 'decide', outcome: 'overturned', opinion: '撤销' });
    await stepDispute(as(ctx, 'dir.wang'), filed.id, { type: 'director_decide', outcome: 'overturned', opinion: '同意撤销' });
    expect(await qaBlockers(context.store.db, '2026-11')).toEqual([]);
    const forfeitures = await qaDb(context.store.db).selectFrom('qa_forfeitures').select(['status', 'decided_by']).orderBy('id').execute();
    expect(forfeitures).toEqual([
      { status: 'acknowledged', decided_by: 'dir.wang' },
      { status: 'void', decided_by: 'dir.wang' },
    ]);
    // The pay engine applies it: E002's November performance pay is forfeited in the draft.
    await computeRun(ctx, '2026-11' as Month);
    const [slip] = await runPayslips(context.store.db, '2026-11' as Month, 'E002');
    expect(slip?.performance).toMatchObject({ forfeited: true, coefficient: null, grade: 'unqualified', pay: '0.00' });
    expect((slip?.performance.explain as { en: string }).en).toContain('A critical QA item stands this month');
  });
});
