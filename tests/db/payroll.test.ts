import type { Month } from '@ladder/core';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { AppError } from '../../packages/server/src/services/context.js';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { upsertAttendance } from '../../packages/server/src/services/inputs.js';
import { advanceRun, computeRun, runPayslips } from '../../packages/server/src/services/payroll/runs.js';
import { attendance, conversationsOn, seedSpecExamples, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

const OCT = '2026-10' as Month;
const NOV = '2026-11' as Month;
const DEC = '2026-12' as Month;

async function grossByEmployee(ctx: ReturnType<typeof testContext>, month: Month) {
  const slips = await runPayslips(ctx.store.db, month);
  return Object.fromEntries(slips.map((s) => [s.employeeNo, s.gross]));
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describeStores('payroll runs', (context) => {
  let ctx: ReturnType<typeof testContext>;

  it('computes the SPEC §14 worked examples from stored data, to the fen', async () => {
    ctx = testContext(context.store);
    await seedSpecExamples(ctx, OCT);
    const summary = await computeRun(ctx, OCT);
    expect(summary).toMatchObject({ month: OCT, status: 'draft', revision: 1, employees: 4, grossTotal: '18612.59', problems: [] });
    expect(await grossByEmployee(ctx, OCT)).toEqual({ E001: 435500, E002: 362759, S001: 763000, V001: 300000 });
    const [e002] = await runPayslips(context.store.db, OCT, 'E002');
    expect(e002?.lines.map((l) => [l.code, l.amount, l.rule])).toEqual([
      ['base', 300000, 'R-PAY-2'],
      ['unpaid_days', -27586, 'R-PAY-2'],
      ['overtime_workday', 10345, 'R-PAY-3'],
      ['performance', 80000, 'R-PAY-4'],
    ]);
    expect(e002?.lines[1]?.explain.zh).toContain('3000.00 × 2 ÷ 21.75');
    expect(e002?.performance).toMatchObject({ deductions: '25', coefficient: '1', score: '1600' });
    // The summary's explanation is the performance line's, stored once and read back from the line.
    expect(e002?.performance.explain).toEqual(e002?.lines[3]?.explain);
    expect((e002?.performance.explain as { zh: string }).zh).toContain('绩效工资');
    const stored = await context.store.db.selectFrom('payslips').select('performance').execute();
    expect(stored.every((row) => !row.performance.includes('绩效工资 ='))).toBe(true);
  });

  it('recomputes a draft when inputs change, as a new revision', async () => {
    ctx.advance();
    await conversationsOn(context.store, 'E001', '2026-10-21', 100);
    const summary = await computeRun(ctx, OCT, 'more conversations imported');
    expect(summary.revision).toBe(2);
    expect((await grossByEmployee(ctx, OCT)).E001).toBe(435500 + 6000); // 100 × 1.2 × 0.5 yuan
  });

  it('holds approval while a problem is open, then follows draft → reviewed → approved → locked', async () => {
    ctx.advance();
    await upsertEmployees(
      context.store.db,
      ctx,
      [{ employeeNo: 'E003', name: '陈静', group: 'phone', level: 'trainee', hiredOn: '2026-10-12' }],
      'new hire',
    );
    const withNewHire = await computeRun(ctx, OCT);
    expect(withNewHire.problems).toEqual([
      { employeeNo: 'E003', code: 'attendance_missing', message: 'no attendance for 2026-10; computed as a month without absence' },
    ]);
    const early = await rejection(advanceRun(ctx, OCT, 'approve'));
    expect(early.code).toBe('run_state');
    await advanceRun(ctx, OCT, 'review');
    const blocked = await rejection(advanceRun(ctx, OCT, 'approve'));
    expect(blocked.code).toBe('run_blocked');
    expect(blocked.details).toEqual(['E003: no attendance for 2026-10; computed as a month without absence']);

    await upsertAttendance(context.store.db, ctx, [attendance('E003', OCT, 7)]);
    const fixed = await computeRun(ctx, OCT);
    expect(fixed.problems).toEqual([]);
    expect(fixed.status).toBe('draft');
    await advanceRun(ctx, OCT, 'review');
    await advanceRun(ctx, OCT, 'approve');
    const locked = await advanceRun(ctx, OCT, 'lock');
    expect(locked.status).toBe('locked');
    const actions = await context.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'payroll_runs')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'payroll.computed',
      'payroll.recomputed',
      'payroll.recomputed',
      'payroll.review',
      'payroll.recomputed',
      'payroll.review',
      'payroll.approve',
      'payroll.lock',
    ]);
  });

  it('never changes a locked run', async () => {
    const refused = await rejection(computeRun(ctx, OCT));
    expect(refused.code).toBe('run_closed');
    await expect(context.store.db.updateTable('payslips').set({ gross_fen: 1 }).execute()).rejects.toThrow(/locked/);
    // The runs before lifted SQLite's per-row insert guards for their own writing: they are back.
    const run = await context.store.db.selectFrom('payroll_runs').select('id').where('month', '=', OCT).executeTakeFirstOrThrow();
    const slip = await context.store.db.selectFrom('payslips').select('id').where('run_id', '=', run.id).executeTakeFirstOrThrow();
    const line = { run_id: run.id, payslip_id: slip.id, position: 99, code: 'x', amount_fen: 1, rule: 'R', formula: '', inputs: '{}' };
    await expect(
      context.store.db
        .insertInto('payslip_lines')
        .values({ ...line, explain_zh: '', explain_en: '' })
        .execute(),
    ).rejects.toThrow(/locked/);
  });

  it('puts the insert guards back when a run fails midway', async () => {
    const triggers = () =>
      context.dialect === 'sqlite'
        ? context.store.db
            .selectFrom(sql<{ name: string; type: string; sql: string }>`sqlite_master`.as('m'))
            .select(['name', 'sql'])
            .where('type', '=', 'trigger')
            .orderBy('name')
            .execute()
        : Promise.resolve([]);
    const before = await triggers();
    const failing = computeRun(ctx, NOV, 'fails', {
      slicePeople: 1,
      onProgress: () => {
        throw new Error('stopped by the test');
      },
    });
    await expect(failing).rejects.toThrow('stopped by the test');
    expect(await triggers()).toEqual(before);
    expect(await context.store.db.selectFrom('payroll_runs').select('id').where('month', '=', NOV).execute()).toEqual([]);
  });

  it('turns a late change to a locked month into a traced retro line in the next open run', async () => {
    ctx.advance();
    // E001 was in fact absent one day in October: −137.93 base and the 100 full-attendance points (−50.00).
    await upsertAttendance(context.store.db, { ...ctx, actor: 'hr.wang' }, [attendance('E001', OCT, 1)]);
    for (const no of ['E001', 'E002', 'E003', 'V001', 'S001']) await upsertAttendance(context.store.db, ctx, [attendance(no, NOV)]);
    await context.store.db
      .insertInto('sales_months')
      .values({
        employee_id: (
          await context.store.db.selectFrom('employees').select('id').where('employee_no', '=', 'S001').executeTakeFirstOrThrow()
        ).id,
        month: NOV,
        amount: '100000',
        target: '100000',
        csat: '0.95',
        complaint_rate: '0.01',
        teamwork: '90',
        import_id: null,
        updated_at: ctx.now(),
        updated_by: 't',
      })
      .execute();
    await computeRun(ctx, NOV);
    const [e001] = await runPayslips(context.store.db, NOV, 'E001');
    const retro = e001?.lines.find((l) => l.code === 'retro_2026-10');
    expect(retro?.amount).toBe(-18793);
    expect(retro?.rule).toBe('R-RUN-2');
    expect(retro?.explain.zh).toContain('unpaidDays "0" → "1"');
    const cause = retro?.cause as { lockedRun: string; history: { actor: string; action: string }[] };
    expect(cause.lockedRun).toBe('2026-10');
    expect(cause.history).toEqual([expect.objectContaining({ actor: 'hr.wang', action: 'input.changed' })]);
    const others = await runPayslips(context.store.db, NOV);
    expect(others.filter((s) => s.lines.some((l) => l.code.startsWith('retro_'))).map((s) => s.employeeNo)).toEqual(['E001']);
  });

  it('pays each retro difference once: a locked retro is not paid again', async () => {
    await advanceRun(ctx, NOV, 'review');
    await advanceRun(ctx, NOV, 'approve');
    await advanceRun(ctx, NOV, 'lock');
    ctx.advance();
    for (const no of ['E001', 'E002', 'E003', 'V001']) await upsertAttendance(context.store.db, ctx, [attendance(no, DEC)]);
    await computeRun(ctx, DEC);
    const december = await runPayslips(context.store.db, DEC, 'E001');
    expect(december[0]?.lines.some((l) => l.code.startsWith('retro_'))).toBe(false);
  });
});
