/**
 * The conversation writer on batches out of id order, with a cache too small to keep the blocks it
 * meets: repeats across batches are found by reading stored blocks back, the first occurrence in
 * file order stays, and the day totals count exactly what was stored — on both databases.
 */
import { expect, it } from 'vitest';
import { columnsFromRows } from '../../packages/server/src/ingest/fast/batch.js';
import type { ConversationRow } from '../../packages/server/src/ingest/types.js';
import { storedConversations } from '../../packages/server/src/services/conversations/blocks.js';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { AgentResolver } from '../../packages/server/src/services/imports/agents.js';
import { ConversationWriter } from '../../packages/server/src/services/imports/conversations.js';
import { testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

let row = 1;
function conversation(id: string, agent: string, day: number, handle: number): ConversationRow {
  return {
    row: (row += 1),
    source: 'desk',
    externalId: id,
    agent,
    startedAt: `2026-10-${String(day).padStart(2, '0')}T09:00:00+08:00`,
    firstResponseSeconds: null,
    handleSeconds: handle,
    valid: true,
    rating: null,
  };
}

describeStores('conversation writer', (context) => {
  it('finds repeats in blocks it no longer keeps in memory, keeps the first, and counts what it stored', async () => {
    const ctx = testContext(context.store);
    const db = context.store.db;
    await upsertEmployees(
      db,
      ctx,
      ['E1', 'E2'].map((no) => ({
        employeeNo: no,
        name: no,
        group: 'basic',
        level: 'junior',
        team: null,
        hiredOn: '2025-01-01',
        effectiveFrom: '2025-01-01',
      })),
      'test',
    );
    const writer = new ConversationWriter(db, context.dialect, await AgentResolver.load(db), 1, 2);
    const refuse = () => {
      throw new Error('no problem expected');
    };
    const batches = [
      [conversation('c', 'E1', 8, 10), conversation('a', 'E1', 8, 11), conversation('e', 'E2', 9, 12)],
      [conversation('b', 'E2', 8, 13), conversation('d', 'E1', 9, 14), conversation('f', 'E1', 9, 15)],
      // Repeats of a, d and f (other handle times: they must not replace the first ones), a new g twice.
      [
        conversation('f', 'E1', 9, 90),
        conversation('g', 'E2', 8, 16),
        conversation('a', 'E1', 8, 91),
        conversation('g', 'E2', 8, 92),
        conversation('d', 'E1', 9, 93),
      ],
    ];
    for (const batch of batches) expect(await writer.write(columnsFromRows(batch), refuse)).toEqual([]);
    await writer.finish();

    const stored = await storedConversations(db, '2026-10-01', '2026-10-31');
    expect(stored.map((c) => [c.externalId, c.handleSeconds]).sort()).toEqual([
      ['a', 11],
      ['b', 13],
      ['c', 10],
      ['d', 14],
      ['e', 12],
      ['f', 15],
      ['g', 16],
    ]);
    const days = await db
      .selectFrom('agent_day_stats')
      .select(['employee_id', 'day', 'conversations'])
      .orderBy('day')
      .orderBy('employee_id')
      .execute();
    const ids = new Map(
      (await db.selectFrom('employees').select(['id', 'employee_no']).execute()).map((e) => [Number(e.id), e.employee_no]),
    );
    expect(days.map((d) => [ids.get(Number(d.employee_id)), d.day, d.conversations])).toEqual([
      ['E1', '2026-10-08', 2],
      ['E2', '2026-10-08', 2],
      ['E1', '2026-10-09', 2],
      ['E2', '2026-10-09', 1],
    ]);
  });

  it("adds a day's totals once the batches move past it (SQLite), and again when a later batch brings more of it", async () => {
    const ctx = testContext(context.store);
    const db = context.store.db;
    await upsertEmployees(
      db,
      ctx,
      [{ employeeNo: 'E3', name: 'E3', group: 'basic', level: 'junior', team: null, hiredOn: '2025-01-01', effectiveFrom: '2025-01-01' }],
      'test',
    );
    const writer = new ConversationWriter(db, context.dialect, await AgentResolver.load(db), 1);
    const refuse = () => {
      throw new Error('no problem expected');
    };
    const dayTotals = async () =>
      (
        await db
          .selectFrom('agent_day_stats as s')
          .innerJoin('employees as e', 'e.id', 's.employee_id')
          .select(['s.day', 's.conversations'])
          .where('e.employee_no', '=', 'E3')
          .orderBy('s.day')
          .execute()
      ).map((d) => [d.day, d.conversations]);
    await writer.write(columnsFromRows([conversation('100', 'E3', 10, 1), conversation('101', 'E3', 10, 1)]), refuse);
    expect(await dayTotals()).toEqual([]);
    await writer.write(columnsFromRows([conversation('102', 'E3', 11, 1)]), refuse);
    // Day 10 was not in the second batch: on SQLite its totals are in the statistics before the
    // import ends (PostgreSQL adds them all at the end).
    expect(await dayTotals()).toEqual(context.dialect === 'sqlite' ? [['2026-10-10', 2]] : []);
    await writer.write(columnsFromRows([conversation('103', 'E3', 10, 1), conversation('101', 'E3', 10, 1)]), refuse);
    await writer.finish();
    expect(await dayTotals()).toEqual([
      ['2026-10-10', 3],
      ['2026-10-11', 1],
    ]);
    const month = await db
      .selectFrom('agent_month_stats as m')
      .innerJoin('employees as e', 'e.id', 'm.employee_id')
      .select('m.conversations')
      .where('e.employee_no', '=', 'E3')
      .where('m.month', '=', '2026-10')
      .executeTakeFirstOrThrow();
    expect(month.conversations).toBe(4);
  });
});
