/**
 * Where a run reads its inputs (services/payroll/reader.ts): on PostgreSQL a connection of its own
 * that sees what the run's transaction sees, so the month is read slice by slice beside the writes.
 */
import type { Month } from '@ladder/core';
import { expect, it } from 'vitest';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { computeRun, runPayslips } from '../../packages/server/src/services/payroll/runs.js';
import { withInputReader } from '../../packages/server/src/services/payroll/reader.js';
import { seedSpecExamples, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

const OCT = '2026-10' as Month;

describeStores('a payroll run’s input reader', (context) => {
  const employeeNumbers = async (db: typeof context.store.db) =>
    (await db.selectFrom('employees').select('employee_no').orderBy('employee_no').execute()).map((r) => r.employee_no);

  it('stores the same run whether the month is read at once or one person at a time', async () => {
    const ctx = testContext(context.store);
    await seedSpecExamples(ctx, OCT);
    const whole = await computeRun(ctx, OCT, 'whole month', { helper: false });
    const wholeSlips = await runPayslips(context.store.db, OCT);
    ctx.advance();
    const sliced = await computeRun(ctx, OCT, 'one at a time', { helper: false, slicePeople: 1 });
    expect(sliced.revision).toBe(whole.revision + 1);
    expect({ ...sliced, revision: 0 }).toEqual({ ...whole, revision: 0 });
    expect(await runPayslips(context.store.db, OCT)).toEqual(wholeSlips);
    expect(wholeSlips.length).toBeGreaterThan(2);
  });

  it('reads inside the run’s view of the data, not what others commit meanwhile', async () => {
    const { store } = context;
    const ctx = testContext(store);
    const before = await employeeNumbers(store.db);
    await store.db.transaction().execute(async (trx) => {
      await withInputReader(store, trx, async (reader) => {
        if (context.dialect === 'sqlite') {
          // One connection: the reader is the run's own transaction.
          expect(reader).toBe(trx);
          return;
        }
        // Someone else hires a person while the run reads; the reader keeps the run's snapshot.
        await upsertEmployees(
          store.db,
          ctx,
          [{ employeeNo: 'Z900', name: '郑九', group: 'basic', level: 'junior', hiredOn: '2026-10-01' }],
          'hired',
        );
        expect(await employeeNumbers(store.db)).toContain('Z900');
        expect(await employeeNumbers(reader)).toEqual(before);
      });
      if (context.dialect === 'postgres') {
        // It only reads.
        await expect(withInputReader(store, trx, (reader) => reader.deleteFrom('teams').execute())).rejects.toThrow(
          /read-only transaction/,
        );
      }
    });
  });
});
