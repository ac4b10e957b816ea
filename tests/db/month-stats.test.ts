/** agent_month_stats stays the sum of agent_day_stats whatever writes the days (database triggers). */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { AgentMonthStatsTable } from '../../packages/server/src/db/schema.js';
import { describeStores } from '../support/stores.js';

const day = (employee_id: number, dayText: string, source: string, conversations: number, rating_sum = 0) => ({
  employee_id,
  day: dayText,
  source,
  conversations,
  valid_conversations: conversations,
  first_response_sum_s: conversations * 1.5,
  first_response_count: conversations,
  rating_sum,
  rating_count: rating_sum > 0 ? 1 : 0,
});

describeStores('monthly statistics follow the daily ones', (ctx) => {
  const months = async () =>
    (
      await ctx.store.db
        .selectFrom('agent_month_stats')
        .select([
          'month',
          'employee_id',
          'source',
          'conversations',
          'valid_conversations',
          'first_response_sum_s',
          'rating_sum',
          'rating_count',
        ])
        .where('conversations', '!=', 0)
        .orderBy('month')
        .orderBy('employee_id')
        .orderBy('source')
        .execute()
    ).map((r) => ({ ...r, employee_id: Number(r.employee_id), first_response_sum_s: Number(r.first_response_sum_s) }));
  const grouped = async () =>
    (
      await sql<AgentMonthStatsTable>`SELECT substr(day, 1, 7) AS month, employee_id, source, sum(conversations) AS conversations, sum(valid_conversations) AS valid_conversations,
             sum(first_response_sum_s) AS first_response_sum_s, sum(rating_sum) AS rating_sum, sum(rating_count) AS rating_count
         FROM agent_day_stats GROUP BY substr(day, 1, 7), employee_id, source HAVING sum(conversations) != 0 ORDER BY 1, 2, 3`.execute(
        ctx.store.db,
      )
    ).rows.map((r) => ({
      month: r.month,
      employee_id: Number(r.employee_id),
      source: r.source,
      conversations: Number(r.conversations),
      valid_conversations: Number(r.valid_conversations),
      first_response_sum_s: Number(r.first_response_sum_s),
      rating_sum: Number(r.rating_sum),
      rating_count: Number(r.rating_count),
    }));

  it('adds inserted days into their month', async () => {
    await ctx.store.db
      .insertInto('agent_day_stats')
      .values([day(1, '2026-10-01', 'a', 10), day(1, '2026-10-31', 'a', 5, 4), day(1, '2026-11-01', 'a', 7), day(2, '2026-10-02', 'b', 3)])
      .execute();
    expect(await months()).toEqual(await grouped());
    const october = (await months()).find((m) => m.month === '2026-10' && m.employee_id === 1);
    expect(october?.conversations).toBe(15);
    expect(october?.rating_sum).toBe(4);
  });

  it('follows updates, upserts and deletes', async () => {
    await ctx.store.db.updateTable('agent_day_stats').set({ conversations: 20 }).where('day', '=', '2026-10-01').execute();
    expect(await months()).toEqual(await grouped());
    // An upsert that both inserts one day and adds onto another (the conversations import's statement).
    await ctx.store.db
      .insertInto('agent_day_stats')
      .values([day(1, '2026-10-31', 'a', 2), day(3, '2026-10-05', 'a', 9)])
      .onConflict((oc) =>
        oc
          .columns(['employee_id', 'day', 'source'])
          .doUpdateSet((eb) => ({ conversations: eb('agent_day_stats.conversations', '+', eb.ref('excluded.conversations')) })),
      )
      .execute();
    expect(await months()).toEqual(await grouped());
    expect((await months()).find((m) => m.month === '2026-10' && m.employee_id === 1)?.conversations).toBe(27);
    // A day moved to another month leaves the first and joins the second.
    await ctx.store.db.updateTable('agent_day_stats').set({ day: '2026-12-01' }).where('employee_id', '=', 2).execute();
    expect(await months()).toEqual(await grouped());
    await ctx.store.db.deleteFrom('agent_day_stats').where('employee_id', '=', 1).where('day', '=', '2026-10-01').execute();
    expect(await months()).toEqual(await grouped());
    expect((await months()).find((m) => m.month === '2026-10' && m.employee_id === 1)?.conversations).toBe(7);
  });
});
