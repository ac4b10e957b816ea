/** How PostgreSQL stores what a run writes: the large explained texts are compressed cheaply. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Store } from '../../packages/server/src/db/connect.js';
import { createStore } from '../support/stores.js';

describe.skipIf(inject('postgresUrl') === '')('PostgreSQL storage of net details [postgres]', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeAll(async () => ({ store, dispose } = await createStore('postgres')));
  afterAll(async () => dispose());

  it('compresses the explained details of net rows with lz4', async () => {
    const { rows } = await sql<{ compression: string }>`
      SELECT attcompression AS compression FROM pg_attribute
      WHERE attrelid = 'payslip_net'::regclass AND attname = 'details'`.execute(store.db);
    expect(rows[0]?.compression).toBe('l');
  });
});
