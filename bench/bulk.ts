/** Fast loading of generated rows for benchmarks: prepared statements on SQLite, COPY on PostgreSQL. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Store } from '../packages/server/dist/db/connect.js';

export type Cell = string | number | null;

function copyText(value: Cell): string {
  if (value === null) return '\\N';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export async function bulkInsert(store: Store, table: string, columns: readonly string[], rows: Iterable<Cell[]>): Promise<number> {
  let count = 0;
  if (store.sqlite) {
    const sqlite = store.sqlite;
    const insert = sqlite.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    sqlite.transaction(() => {
      for (const row of rows) {
        insert.run(row);
        count += 1;
      }
    })();
    return count;
  }
  if (!store.pool) throw new Error('no PostgreSQL pool');
  const client = await store.pool.connect();
  try {
    const lines = (function* () {
      let chunk = '';
      for (const row of rows) {
        chunk += `${row.map(copyText).join('\t')}\n`;
        count += 1;
        if (chunk.length > 1 << 20) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    })();
    await pipeline(Readable.from(lines), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
  } finally {
    client.release();
  }
  return count;
}

/** After loading explicit ids on PostgreSQL, moves the identity sequence past them. */
export async function resetIdentity(store: Store, table: string): Promise<void> {
  if (!store.pool) return;
  await store.pool.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT max(id) FROM ${table}), 0) + 1, false)`);
}
