/**
 * A PostgreSQL store outlives the server ending its connections (a restart, an administrator, a
 * failover): a transaction on a lost one fails, the pool opens new ones, and the process does not
 * crash on the lost ones.
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

  const terminate = async (pids: string, parameter: unknown) => {
    const admin = new pg.Client({ connectionString: inject('postgresUrl') });
    await admin.connect();
    try {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${pids}`, [parameter]);
    } finally {
      await admin.end();
    }
  };

  it('fails a transaction whose connection is lost, and goes on', async () => {
    const failed = store.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
      await terminate('pid = $1', rows[0]?.pid);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await trx.selectFrom('employees').selectAll().execute();
    });
    await expect(failed).rejects.toThrow(/terminat|not queryable|Connection/i);
    const again = await store.db
      .selectFrom('employees')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(again.n)).toBe(0);
  });

  it('keeps working after the server ends its idle connections', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // Two connections busy at once, then idle in the pool.
      await Promise.all([sql`SELECT pg_sleep(0.05)`.execute(store.db), sql`SELECT pg_sleep(0.05)`.execute(store.db)]);
      expect(store.pool?.idleCount).toBe(2);
      const { rows } = await sql<{ database: string }>`SELECT current_database() AS database`.execute(store.db);
      await terminate('datname = $1', rows[0]?.database);
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
