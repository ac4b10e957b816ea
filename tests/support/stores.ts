/** Runs a store suite once per dialect: embedded SQLite and a real PostgreSQL server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openStore, type Store } from '../../packages/server/src/db/connect.js';
import { createDatabase } from '../../tools/throwaway-postgres.js';

export type DialectName = 'sqlite' | 'postgres';

async function createStore(dialect: DialectName): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'ladder-sqlite-'));
    const store = await openStore({ url: path.join(dir, 'test.sqlite') });
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createDatabase(inject('postgresUrl'), 'ladder_test');
  const store = await openStore({ url: database.url });
  return {
    store,
    dispose: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/**
 * `describeStores('payroll runs', (ctx) => { it(…, async () => { ctx.store … }) })` — one fresh
 * database per dialect per suite. The PostgreSQL half runs whenever the test run started a server.
 */
export function describeStores(name: string, body: (ctx: { readonly store: Store; readonly dialect: DialectName }) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const unavailable = dialect === 'postgres' && inject('postgresUrl') === '';
    describe.skipIf(unavailable)(`${name} [${dialect}]`, () => {
      let current: { store: Store; dispose: () => Promise<void> } | undefined;
      beforeAll(async () => {
        current = await createStore(dialect);
      });
      afterAll(async () => {
        await current?.dispose();
      });
      body({
        get store() {
          if (!current) throw new Error('store not ready');
          return current.store;
        },
        dialect,
      });
    });
  }
}

/** A fresh store of its own, for tests that need an empty database. */
export { createStore };
