/**
 * Where a run reads its inputs. On SQLite: the run's own transaction. On PostgreSQL: a second
 * connection that sees exactly what the run's transaction sees (the snapshot it exports), so
 * reading the next slice of people never waits behind the payslip inserts queued on the run's
 * connection, and the month can be read slice by slice while the payslips already computed are
 * being stored.
 */
import { sql } from 'kysely';
import type { Store } from '../../db/connect.js';
import type { Db } from '../context.js';

export async function withInputReader<T>(store: Store, trx: Db, work: (reader: Db) => Promise<T>): Promise<T> {
  if (store.dialect !== 'postgres') return work(trx);
  const exported = await sql<{ snapshot: string }>`SELECT pg_export_snapshot() AS snapshot`.execute(trx);
  const snapshot = exported.rows[0]?.snapshot ?? '';
  // SET TRANSACTION SNAPSHOT takes no parameters; the id PostgreSQL made is hexadecimal and dashes.
  if (!/^[0-9A-F-]+$/i.test(snapshot)) throw new Error(`PostgreSQL exported an unexpected snapshot id: ${snapshot}`);
  return store.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (reader) => {
      await sql.raw(`SET TRANSACTION SNAPSHOT '${snapshot}'`).execute(reader);
      return work(reader);
    });
}
