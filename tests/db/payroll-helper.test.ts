/**
 * The helper threads of big SQLite runs (services/payroll/helper.ts): whichever thread computes a
 * slice, and however many helpers share a run, the stored run is the same — payslips, lines, net
 * pay, problems, retro lines.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Decimal, fen, type Month } from '@ladder/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../packages/server/src/db/connect.js';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { upsertAttendance } from '../../packages/server/src/services/inputs.js';
import { declareSpecialDeduction, setAnnualBonus, setPayProfile } from '../../packages/server/src/services/pay-profiles.js';
import {
  advanceRun,
  computeRun,
  type RunOptions,
  type RunProgress,
  type RunSummary,
  runPayslips,
} from '../../packages/server/src/services/payroll/runs.js';
import { defaultHelperCount, MAX_HELPERS, waitingHelperThreads } from '../../packages/server/src/services/payroll/helper.js';
import { employeeRanges } from '../../packages/server/src/services/payroll/slices.js';
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
    // Eleven people two by two, the last two ranges cut down to one person each: seven slices.
    expect(heard.at(-1)).toEqual({ slices: 7, totalSlices: 7, payslips: 11, share: 1 });
    expect(heard.every((p, i) => i === 0 || (p.slices >= (heard[i - 1]?.slices ?? 0) && p.payslips >= (heard[i - 1]?.payslips ?? 0)))).toBe(
      true,
    );
    // Every slice by the helper, then shared between both threads: slices of one person and of two.
    // Then several helpers: with a person a slice, more ranges than scratch files (the spare files run
    // out and each helper goes on in the file it has).
    for (const tuning of [
      { helper: 'all', slicePeople: 1 },
      { helper: 'all', slicePeople: 2 },
      { helper: true, slicePeople: 1 },
      { helper: true, helpers: 2, slicePeople: 1 },
      { helper: 'all', helpers: 3, slicePeople: 1 },
      { helper: 'all', helpers: MAX_HELPERS, slicePeople: 2 },
      { helper: true, helpers: MAX_HELPERS, slicePeople: 1 },
    ] as const) {
      expect(await storedRun(ctx, OCT, tuning)).toEqual(inline);
    }
    // Progress counts every helper's slices.
    const heardOfMany: RunProgress[] = [];
    await computeRun(ctx, OCT, 'progress', { helper: 'all', helpers: 3, slicePeople: 2, onProgress: (p) => heardOfMany.push(p) });
    expect(heardOfMany.at(-1)).toEqual({ slices: 7, totalSlices: 7, payslips: 11, share: 1 });
  });

  it('tells the share of a run done by the ids of its ranges done, not by the count of slices', async () => {
    const spans = (await employeeRanges(store.db, 2)).map((range) => range.to - range.from + 1);
    expect(new Set(spans).size).toBeGreaterThan(1); // the last ranges are smaller
    const total = spans.reduce((sum, span) => sum + span, 0);
    const heard: RunProgress[] = [];
    await computeRun(ctx, OCT, 'progress', { helper: false, slicePeople: 2, onProgress: (p) => heard.push(p) });
    expect(heard.length).toBeGreaterThan(2);
    for (const p of heard) expect(p.share).toBeCloseTo(spans.slice(0, p.slices).reduce((sum, span) => sum + span, 0) / total, 12);
    expect(heard.at(-1)?.share).toBe(1);
  });

  it('takes one helper per core beyond the main thread’s, at least one and at most MAX_HELPERS, unless configured', () => {
    expect([1, 2, 3, 4, 5, 64].map((cores) => defaultHelperCount(cores, undefined))).toEqual([1, 1, 2, 3, MAX_HELPERS, MAX_HELPERS]);
    expect(defaultHelperCount(64, '2')).toBe(2);
    expect(defaultHelperCount(2, ' ')).toBe(1);
    for (const wrong of ['0', '1.5', 'two', String(MAX_HELPERS + 1)]) {
      expect(() => defaultHelperCount(8, wrong)).toThrow(
        `LADDER_PAYROLL_HELPERS: takes a whole number from 1 to ${MAX_HELPERS}, not "${wrong}"`,
      );
    }
  });

  it('keeps the helper threads for the next run, but not one stopped by a failed run', async () => {
    await computeRun(ctx, OCT, 'warm', { helper: true, helpers: MAX_HELPERS, slicePeople: 2 });
    const threads = waitingHelperThreads().sort();
    expect(threads).toHaveLength(MAX_HELPERS);
    expect(new Set(threads).size).toBe(MAX_HELPERS);
    await computeRun(ctx, OCT, 'again', { helper: true, helpers: MAX_HELPERS, slicePeople: 2 });
    expect(waitingHelperThreads().sort()).toEqual(threads);
    // A run with fewer helpers takes some of them and gives them back.
    await computeRun(ctx, OCT, 'fewer', { helper: true, helpers: 1, slicePeople: 2 });
    expect(waitingHelperThreads().sort()).toEqual(threads);

    const failing = computeRun(ctx, OCT, 'fails', {
      helper: true,
      helpers: 1,
      slicePeople: 1,
      onProgress: () => {
        throw new Error('stopped by the test');
      },
    });
    await expect(failing).rejects.toThrow('stopped by the test');
    // The failed run's thread was stopped midway: ended, not kept.
    const afterFailure = waitingHelperThreads();
    expect(afterFailure).toHaveLength(MAX_HELPERS - 1);
    expect(afterFailure.every((thread) => threads.includes(thread))).toBe(true);
    // The next run starts a new thread for the missing one and computes the same run.
    const after = await storedRun(ctx, OCT, { helper: true, helpers: MAX_HELPERS, slicePeople: 2 });
    const now = waitingHelperThreads();
    expect(now).toHaveLength(MAX_HELPERS);
    expect(now.filter((thread) => !threads.includes(thread))).toHaveLength(1);
    expect(after).toEqual(await storedRun(ctx, OCT, { helper: false, slicePeople: 2 }));
  });

  it('removes the scratch files that runs of processes now gone left behind, and only those', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const abandoned = path.join(tmpdir(), `ladder-run-${gone}-test`);
    const ours = path.join(tmpdir(), `ladder-run-${process.pid}-test`);
    for (const dir of [abandoned, ours]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'scratch-0.sqlite'), 'left behind');
    }
    try {
      await computeRun(ctx, OCT, 'after a killed run', { helper: true, slicePeople: 2 });
      expect(existsSync(abandoned)).toBe(false);
      expect(existsSync(ours)).toBe(true);
    } finally {
      for (const dir of [abandoned, ours]) rmSync(dir, { recursive: true, force: true });
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
    expect(await storedRun(ctx, NOV, { helper: 'all', helpers: 2, slicePeople: 1 })).toEqual(inline);
  });
});

describe('net pay computed with a helper thread [sqlite]', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeAll(async () => ({ store, dispose } = await createStore('sqlite')));
  afterAll(async () => dispose());

  it('stores the same net pay and the same problems whichever thread computed each slice', async () => {
    const ctx = testContext(store);
    ctx.at('2026-01-26T02:00:00.000Z');
    const months = ['2026-01', '2026-02', '2026-03'] as Month[];
    const person = (n: number, hiredOn = '2025-06-01') => ({
      employeeNo: `N0${n}`,
      name: `钱${n}`,
      group: 'basic',
      level: 'trainee',
      hiredOn,
      basePay: new Decimal(6000 + n * 1500),
    });
    const hire = async (people: ReturnType<typeof person>[]) => {
      await upsertEmployees(store.db, ctx, people, 'hired');
      for (const { employeeNo, hiredOn } of people)
        await setPayProfile(store.db, ctx, { employeeNo, effectiveFrom: hiredOn, city: 'beijing' });
    };
    await hire([1, 2, 3, 4, 5, 6].map((n) => person(n)));
    for (const month of months.slice(0, 2)) {
      if (month === '2026-02') await hire([person(7, '2026-02-10')]);
      await declareSpecialDeduction(store.db, ctx, 'N02', month, fen(200000), '赡养老人 elderly care');
      const onPayroll = month === '2026-01' ? [1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5, 6, 7];
      await upsertAttendance(
        store.db,
        ctx,
        onPayroll.map((n) => attendance(`N0${n}`, month)),
      );
      await computeRun(ctx, month);
      for (const step of ['review', 'approve', 'lock'] as const) await advanceRun(ctx, month, step);
      ctx.advance(28 * 24 * 3600 * 1000);
    }
    // March: a person without a pay profile, one whose earlier months were never paid, two annual bonuses.
    await upsertEmployees(store.db, ctx, [person(8, '2026-03-02')], 'hired');
    await hire([person(9, '2025-11-01')]);
    await setAnnualBonus(store.db, ctx, 'N03', months[2]!, fen(3600000), 'separate');
    await setAnnualBonus(store.db, ctx, 'N04', months[2]!, fen(3600000), 'merged');
    await declareSpecialDeduction(store.db, ctx, 'N02', months[2]!, fen(200000), '赡养老人 elderly care');
    await upsertAttendance(
      store.db,
      ctx,
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => attendance(`N0${n}`, months[2]!, n % 3)),
    );

    const inline = await storedRun(ctx, months[2]!, { helper: false, slicePeople: 100 });
    expect(inline.payslips.filter((slip) => slip.net).map((slip) => slip.employeeNo)).toEqual([
      'N01',
      'N02',
      'N03',
      'N04',
      'N05',
      'N06',
      'N07',
    ]);
    expect(inline.summary.problems?.map((p) => `${p.employeeNo} ${p.code}`)).toEqual([
      'N08 pay_profile_missing',
      'N09 net_history_missing',
    ]);
    for (const tuning of [
      { helper: false, slicePeople: 1 },
      { helper: 'all', slicePeople: 2 },
      { helper: true, slicePeople: 1 },
      { helper: true, slicePeople: 4 },
      { helper: true, helpers: 3, slicePeople: 1 },
    ] as const) {
      expect(await storedRun(ctx, months[2]!, tuning)).toEqual(inline);
    }
  });
});
