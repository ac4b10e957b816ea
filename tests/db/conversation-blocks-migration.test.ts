/**
 * The conversation-blocks migration on a database that already holds conversations (one row
 * each): every one is copied into a block of its import, source and day, the rows stay for QA's
 * references, and an import after it still recognises them.
 */
import { Migrator } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { migrationsFor } from '../../packages/server/src/db/migrations/index.js';
import { findConversation, storedConversations } from '../../packages/server/src/services/conversations/blocks.js';
import { unmigratedDatabase } from '../support/unmigrated.js';

const BEFORE = '20261128T0930-conversations-by-day';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && inject('postgresUrl') === '')(`conversation blocks migration [${dialect}]`, () => {
    it('copies the stored conversations into blocks, sorted by id, and keeps their rows', async () => {
      const { db, dispose } = await unmigratedDatabase(dialect);
      try {
        const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect) } });
        expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined();
        const conversation = (
          id: string,
          employee: number,
          day: string,
          importId: number | null,
          extra: Partial<{ frt: number; rating: number }> = {},
        ) => ({
          source: 'chatwoot',
          external_id: id,
          employee_id: employee,
          day,
          started_at: `${day}T09:30:15+08:00`,
          first_response_s: extra.frt ?? null,
          handle_s: 120.5,
          valid: 1,
          rating: extra.rating ?? null,
          import_id: importId,
        });
        await db
          .insertInto('conversations')
          .values([
            conversation('20', 1, '2026-10-01', 1, { frt: 30, rating: 5 }),
            conversation('100', 2, '2026-10-01', 1),
            conversation('9', 1, '2026-10-02', 1),
            conversation('7', 1, '2026-10-01', null),
          ])
          .execute();

        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        const blocks = await db
          .selectFrom('conversation_blocks')
          .select(['import_id', 'day', 'row_count', 'first_id', 'last_id'])
          .orderBy('id')
          .execute();
        expect(
          blocks
            .map((b) => [b.import_id === null ? null : Number(b.import_id), b.day, b.row_count, b.first_id, b.last_id])
            .sort((a, b) => String(a).localeCompare(String(b))),
        ).toEqual([
          [null, '2026-10-01', 1, '7', '7'],
          [1, '2026-10-01', 2, '100', '20'],
          [1, '2026-10-02', 1, '9', '9'],
        ]);
        const stored = await storedConversations(db, '2026-10-01', '2026-10-31');
        expect(stored.map((c) => c.externalId).sort()).toEqual(['100', '20', '7', '9']);
        expect(await findConversation(db, 'chatwoot', '20')).toEqual({
          source: 'chatwoot',
          externalId: '20',
          employeeId: 1,
          day: '2026-10-01',
          startedAt: Date.parse('2026-10-01T09:30:15+08:00'),
          firstResponseSeconds: 30,
          handleSeconds: 120.5,
          valid: true,
          rating: 5,
          importId: 1,
        });
        expect(await findConversation(db, 'chatwoot', '21')).toBeUndefined();
        const rows = await db
          .selectFrom('conversations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(rows.n)).toBe(4);
      } finally {
        await dispose();
      }
    });
  });
}
