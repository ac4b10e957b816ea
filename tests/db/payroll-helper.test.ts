/**
 * The helper thread of big SQLite runs (services/payroll/helper.ts): whichever thread computes a
 * slice, the stored run is the same — payslips, lines, net pay, problems, retro lines.
 */
import type { Month } from '@ladder/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../packages/server/src/db/connect.js';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { upsertAttendance } from '../../packages/server/src/services/inputs.js';
import {
  advanceRun,
  computeRun,
  type RunOptions,
  type RunProgress,
  type RunSummary,
  runPayslips,
} from '../../packages/server/src/services/payroll/runs.js';
import { attendance, conversationsOn, seedSpecExamples, testContext } from '../support/seed.js';
import { createStore } from '../support/stores.js';

const OCT = '2026-10' as Month;
const NOV = '2026-11' as Month;

/** Everything a run stores that a person sees, without ids or times. */
async function storedRun(ctx: ReturnType<typeof testContext>, month: Month, tuning: RunOptions) {
  ctx.advance();
  const summary: Partial<RunSummary> = await computeRun(ctx, month, 'compared', tuning);
  delete summary.revision;
  const run = await ctx.store.db
    .selectFrom('payroll_runs')
    .select(['employee_count', 'gross_total_fen', 'problems'])
    .where('month', '=', month)
    .executeTakeFirstOrThrow();
  const lineCount = await ctx.store.db
    .selectFrom('payslip_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { summary, run, payslips: await runPayslips(ctx.store.db, month), lines: Number(lineCount.n) };
}

describe('payroll runs computed with a helper thread [sqlite]', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  let ctx: ReturnType<typeof testContext>;
  beforeAll(async () => {
    ({ store, dispose } = await createStore('sqlite'));
    ctx = testContext(store);
  });
  afterAll(async () => dispose());

  it('stores the same run whichever thread computed each slice', async () => {
    await seedSpecExamples(ctx, OCT);
    await upsertEmployees(
      store.db,
      ctx,
      [
        { employeeNo: 'E010', name: '周一', group: 'phone', level: 'trainee', hiredOn: '2026-09-01' },
        { employeeNo: 'E011', name: '周二', group: 'phone', level: 'junior', hiredOn: '2026-09-01' },
        { employeeNo: 'E012', name: '周三', group: 'basic', level: 'trainee', hiredOn: '2026-10-12' },
        // More people than scratch files: with a slice each, the helper's last file takes several.
        ...[13, 14, 15, 16].map((n) => ({ employeeNo: `E0${n}`, name: `吴${n}`, group: 'basic', level: 'junior', hiredOn: '2026-01-05' })),
      ],
      'hired',
    );
    await upsertAttendance(store.db, ctx, [attendance('E010', OCT, 1, 6), attendance('E011', OCT), attendance('E014', OCT, 0, 3)]);
    await conversationsOn(store, 'E011', '2026-10-08', 40);

    const inline = await storedRun(ctx, OCT, { helper: false, slicePeople: 1 });
    expect(inline.payslips.length).toBe(11);
    expect(inline.summary.problems?.map((p) => p.employeeNo)).toEqual(['E012', 'E013', 'E015', 'E016']);
    // Progress counts the slices of both threads and ends with every payslip.
    const heard: RunProgress[] = [];
    await computeRun(ctx, OCT, 'progress', { helper: true, slicePeople: 2, onProgress: (p) => heard.push(p) });
    expect(heard.at(-1)).toEqual({ slices: 6, totalSlices: 6, payslips: 11 });
    expect(heard.every((p, i) => i === 0 || (p.slices >= (heard[i - 1]?.slices ?? 0) && p.payslips >= (heard[i - 1]?.payslips ?? 0)))).toBe(
      true,
    );
    // Every slice by the helper, then shared between both threads: slices of one person and of two.
    for (const tuning of [
      { helper: 'all', slicePeople: 1 },
      { helper: 'all', slicePeople: 2 },
      { helper: true, slicePeople: 1 },
    ] as const) {
      expect(await storedRun(ctx, OCT, tuning)).toEqual(inline);
    }
  });

  it('carries retro lines of a locked month into the helper’s payslips', async () => {
    await upsertAttendance(
      store.db,
      ctx,
      ['E012', 'E013', 'E015', 'E016'].map((no) => attendance(no, OCT)),
    );
    await computeRun(ctx, OCT);
    for (const step of ['review', 'approve', 'lock'] as const) await advanceRun(ctx, OCT, step);
    ctx.advance();
    await upsertAttendance(store.db, { ...ctx, actor: 'hr.wang' }, [attendance('E001', OCT, 1)]);
    await upsertAttendance(
      store.db,
      ctx,
      ['E001', 'E002', 'E010', 'E011', 'E012', 'E013', 'E014', 'E015', 'E016', 'V001'].map((no) => attendance(no, NOV)),
    );

    const inline = await storedRun(ctx, NOV, { helper: false, slicePeople: 1 });
    const e001 = inline.payslips.find((slip) => slip.employeeNo === 'E001');
    expect(e001?.lines.some((line) => line.code === 'retro_2026-10')).toBe(true);
    expect(await storedRun(ctx, NOV, { helper: 'all', slicePeople: 1 })).toEqual(inline);
  });
});
