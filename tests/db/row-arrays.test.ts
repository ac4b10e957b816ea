/**
 * Rows as arrays (services/row-arrays.ts): the values in the order the query selected them, on
 * SQLite read by the connection itself (raw mode), on PostgreSQL from Kysely's rows.
 */
import { expect, it } from 'vitest';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { rowArrays } from '../../packages/server/src/services/row-arrays.js';
import { testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

describeStores('rows read as arrays', (context) => {
  it('gives each row’s values in the order selected, nulls and all, read again by the same statement', async () => {
    const ctx = testContext(context.store);
    await upsertEmployees(
      context.store.db,
      ctx,
      [
        { employeeNo: 'A002', name: '钱二', group: 'basic', level: 'junior', hiredOn: '2026-02-01' },
        { employeeNo: 'A001', name: '赵一', group: 'phone', level: 'trainee', hiredOn: '2026-01-05' },
      ],
      'hired',
    );
    const { db, sqlite } = context.store;
    const query = (from: string) =>
      db
        .selectFrom('employee_history as h')
        .innerJoin('employees as e', 'e.id', 'h.employee_id')
        .select(['e.name', 'e.employee_no', 'h.team_id', 'h.group_code'])
        .where('e.hired_on', '>=', from)
        .orderBy('e.employee_no');
    const first = await rowArrays<[string, string, number | null, string]>(sqlite, query('2026-01-01'));
    expect(first).toEqual([
      ['赵一', 'A001', null, 'phone'],
      ['钱二', 'A002', null, 'basic'],
    ]);
    // The same text with other parameters (on SQLite the statement prepared the first time).
    expect(await rowArrays(sqlite, query('2026-02-01'))).toEqual([['钱二', 'A002', null, 'basic']]);
    // Without the connection, the same rows through Kysely.
    expect(await rowArrays(undefined, query('2026-01-01'))).toEqual(first);
  });
});
