/**
 * A PostgreSQL store outlives the server ending its idle connections (a restart, an administrator,
 * a failover): the pool opens new ones, and the process does not crash on the lost ones.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Store } from '../../packages/server/src/db/connect.js';
import { createStore } from '../support/stores.js';

describe.skipIf(inject('postgresUrl') === '')('PostgreSQL connections [postgres]', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ store, dispose } = await createStore('postgres'));
  });
  afterAll(async () => dispose());

  it('keeps working after the server ends its idle connections', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // Two connections busy at once, then idle in the pool.
      await Promise.all([sql`SELECT pg_sleep(0.05)`.execute(store.db), sql`SELECT pg_sleep(0.05)`.execute(store.db)]);
      expect(store.pool?.idleCount).toBe(2);
      const { rows } = await sql<{ database: string }>`SELECT current_database() AS database`.execute(store.db);
      const admin = new pg.Client({ connectionString: inject('postgresUrl') });
      await admin.connect();
      try {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [rows[0]?.database]);
      } finally {
        await admin.end();
      }
      await vi.waitFor(() => expect(store.pool?.idleCount).toBe(0));
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/PostgreSQL ended an idle connection \(terminating connection/));
      const again = await store.db
        .selectFrom('employees')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(again.n)).toBe(0);
    } finally {
      warn.mockRestore();
    }
  });
});
