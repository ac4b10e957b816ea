import type { Month } from '@ladder/core';
import { expect, it } from 'vitest';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { computeRow } from '../../packages/server/src/services/payroll/compute.js';
import { gatherMonthInputs } from '../../packages/server/src/services/payroll/inputs.js';
import { computeSlices, employeeRanges, SLICE_PEOPLE, SLICE_ROWS } from '../../packages/server/src/services/payroll/slices.js';
import { policyForMonth } from '../../packages/server/src/services/policies.js';
import { conversationsOn, seedSpecExamples, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

const OCT = '2026-10' as Month;

describeStores('payroll slices', (context) => {
  it('cover every employee once, in id order, whatever the slice sizes', async () => {
    const ctx = testContext(context.store);
    await seedSpecExamples(ctx, OCT);
    // More people, one of them without attendance (a problem) and one who left before October.
    await upsertEmployees(
      context.store.db,
      ctx,
      [
        { employeeNo: 'E010', name: '周一', group: 'phone', level: 'trainee', hiredOn: '2026-09-01' },
        { employeeNo: 'E011', name: '周二', group: 'phone', level: 'trainee', hiredOn: '2026-09-01' },
        { employeeNo: 'E012', name: '周三', group: 'phone', level: 'trainee', hiredOn: '2026-09-01', status: 'left' },
      ],
      'hired',
    );
    await conversationsOn(context.store, 'E011', '2026-10-08', 40);
    const { policy } = await policyForMonth(context.store.db, ctx, OCT);

    const whole = await gatherMonthInputs(context.store.db, OCT, policy);
    const expected = whole.employees.map(({ employee, input }) => computeRow(policy, OCT, { employee, input }).row);
    expect(expected.length).toBeGreaterThan(4);

    for (const sizes of [
      { people: 1, rows: 1 },
      { people: 2, rows: 3 },
      { people: 3, rows: 2 },
      { people: SLICE_PEOPLE, rows: SLICE_ROWS },
    ]) {
      const rows = [];
      const problems = [];
      const grossIds = [];
      const ranges = await employeeRanges(context.store.db, sizes.people);
      for await (const slice of computeSlices(
        context.store.db,
        { month: OCT, policy, retro: new Map(), netPay: false },
        ranges.values(),
        sizes.rows,
      )) {
        expect(slice.rows.length).toBeLessThanOrEqual(sizes.rows);
        rows.push(...slice.rows);
        problems.push(...slice.problems);
        grossIds.push(...slice.grosses.map((g) => g.employeeId));
      }
      expect(rows).toEqual(expected);
      expect(problems).toEqual(whole.problems);
      expect(grossIds).toEqual(expected.map((row) => row.employeeId));
    }
  });

  it('splits the ids into ranges that touch and cover them all', async () => {
    const ids = (await context.store.db.selectFrom('employees').select('id').orderBy('id').execute()).map((r) => r.id);
    const ranges = await employeeRanges(context.store.db, 2);
    expect(ranges[0]?.from).toBe(ids[0]);
    expect(ranges.at(-1)?.to).toBe(ids.at(-1));
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.from).toBe((ranges[i - 1]?.to ?? 0) + 1);
    // About two ids a range, as asked; the last two ranges' worth cut in four (here: one id each).
    const slices = Math.ceil(ids.length / 2);
    const span = Math.ceil(((ids.at(-1) ?? 0) - (ids[0] ?? 0) + 1) / slices);
    const whole = ranges.filter((r) => r.to - r.from + 1 === span);
    expect(whole.length).toBe(slices - 2);
    expect(ranges.slice(whole.length).every((r) => r.to - r.from + 1 <= Math.ceil(span / 4))).toBe(true);
  });
});
