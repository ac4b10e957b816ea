/** The month-stats migration on a database that already holds daily statistics: months are backfilled. */
import { Migrator } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { migrationsFor } from '../../packages/server/src/db/migrations/index.js';
import { unmigratedDatabase as database } from '../support/unmigrated.js';

const BEFORE = '20261127T2100-applications';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && inject('postgresUrl') === '')(`month statistics migration [${dialect}]`, () => {
    it('sums the days already stored into their months, then keeps following them', async () => {
      const { db, dispose } = await database(dialect);
      try {
        const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect) } });
        expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
        const day = (employee_id: number, dayText: string, conversations: number) => ({
          employee_id,
          day: dayText,
          source: 'chatwoot',
          conversations,
          valid_conversations: conversations - 1,
          first_response_sum_s: conversations * 2,
          first_response_count: conversations,
          rating_sum: 0,
          rating_count: 0,
        });
        await db
          .insertInto('agent_day_stats')
          .values([day(1, '2026-09-30', 4), day(1, '2026-10-01', 10), day(1, '2026-10-31', 5), day(2, '2026-10-15', 7)])
          .execute();

        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        const months = async () =>
          (
            await db
              .selectFrom('agent_month_stats')
              .select(['month', 'employee_id', 'conversations', 'valid_conversations'])
              .orderBy('month')
              .orderBy('employee_id')
              .execute()
          ).map((m) => [m.month, Number(m.employee_id), m.conversations, m.valid_conversations]);
        expect(await months()).toEqual([
          ['2026-09', 1, 4, 3],
          ['2026-10', 1, 15, 13],
          ['2026-10', 2, 7, 6],
        ]);
        await db
          .insertInto('agent_day_stats')
          .values(day(2, '2026-10-16', 3))
          .execute();
        expect((await months()).at(-1)).toEqual(['2026-10', 2, 10, 8]);
      } finally {
        await dispose();
      }
    });
  });
}
