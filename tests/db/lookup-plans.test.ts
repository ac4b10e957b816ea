/**
 * Lookups made once per person must reach their rows by an index, not by reading a table that
 * grows every day: a day's QA draw asks, for every agent, which sample items have an inspection
 * (8,000 agents: 80 s when that scanned all inspections, 6 s by the index), and a retro adjustment
 * reads the audit history of every person whose locked month changed; and every run asks, for each
 * locked month before it, whether its inputs changed since the lock. The plans are read from
 * the database itself; on PostgreSQL with sequential scans priced out, so that only a missing
 * index can make it scan (its tables here are too small to prefer an index otherwise).
 */
import { type CompiledQuery, sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Store } from '../../packages/server/src/db/connect.js';
import { sampleItemsQuery } from '../../packages/server/src/services/qa/assignment.js';
import { changeHistoryQuery, retroPaidQuery, sinceLockChecks } from '../../packages/server/src/services/payroll/retro.js';
import { withQaTables } from '../../packages/server/src/services/qa/test-support.js';
import { describeStores } from '../support/stores.js';

async function plan(store: Store, query: CompiledQuery): Promise<string> {
  if (store.sqlite) {
    const rows = store.sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[];
    return rows.map((row) => row.detail).join('\n');
  }
  return store.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    const explained = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: `EXPLAIN ${query.sql}` });
    return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

describeStores('lookups made once per person use an index', (context) => {
  it('finds the inspections of an agent’s sample items by their item', async () => {
    await withQaTables(context.store);
    const text = await plan(context.store, sampleItemsQuery(context.store.db, 1, '2026-10-15').compile());
    expect(text).toContain('qa_inspections_sample_item');
    expect(text).not.toMatch(/SCAN n\b|Seq Scan on qa_inspections/);
  });

  it('finds a person’s audit history after a lock by its keys', async () => {
    const text = await plan(
      context.store,
      changeHistoryQuery(context.store.db, context.store.dialect, 'E_01', '2026-10', '2026-11-05').compile(),
    );
    expect(text).toContain('audit_log_key');
    expect(text).not.toMatch(/SCAN audit_log\b|Seq Scan on audit_log/);
  });

  it('asks whether a locked month’s inputs changed from that month’s index entries, not every month’s rows', async () => {
    // Each table by the index made for this question (on PostgreSQL a whole other index can stand in for a scan).
    const indexes = {
      tickets: 'tickets_day_import',
      deductions: 'deductions_day_changes',
      attendance_months: 'attendance_months_month_updated',
      lead_points: 'lead_points_month_updated',
      sales_months: 'sales_months_month_updated',
    };
    const checks = sinceLockChecks(context.store.db, '2026-05', '2026-06-05T00:00:00Z');
    const plans = await Promise.all(checks.map((check) => plan(context.store, check.compile())));
    for (const [table, index] of Object.entries(indexes)) {
      const asked = plans.filter((text) => text.includes(table));
      expect(asked, table).not.toHaveLength(0);
      for (const text of asked) expect(text, table).toContain(index);
    }
  });

  it('finds the retro lines already paid among retro lines alone', async () => {
    const text = await plan(context.store, retroPaidQuery(context.store.db, 'retro_2026-10').compile());
    expect(text).toContain('payslip_lines_retro');
  });

  it('reads only the person’s own keys, whatever their employee number holds', async () => {
    const keys = ['E_01/2026-10', 'E_01@2026-11-02', 'EX01@2026-11-02', 'E_01X@2026-11-02', 'E_01/2026-09', 'E_010@2026-11-03'];
    await context.store.db
      .insertInto('audit_log')
      .values(
        keys.map((key, i) => ({
          at: `2026-11-0${6 + (i % 3)}T00:00:00Z`,
          actor: 'test',
          action: 'test.change',
          entity: 'test',
          entity_key: key,
          reason: key,
          details: null,
        })),
      )
      .execute();
    const history = await changeHistoryQuery(context.store.db, context.store.dialect, 'E_01', '2026-10', '2026-11-05').execute();
    expect(history.map((row) => row.reason)).toEqual(['E_01/2026-10', 'E_01@2026-11-02']);
  });
});
