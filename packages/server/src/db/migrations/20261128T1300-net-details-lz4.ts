/* Frozen in time: never import application code here. */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './20261127T1700-initial.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

/**
 * PostgreSQL: a net row's explained details (≈ 6 KB each) are compressed with lz4 instead of the
 * default pglz, which cost the server more CPU than the rest of storing them (a run of 100,000 with
 * net pay: 40 s against 50 s, the machine's CPU 63 s against 83 s). A server built without lz4
 * keeps pglz and says so. SQLite stores the text as it is.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`
    DO $$
    BEGIN
      ALTER TABLE payslip_net ALTER COLUMN details SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
      RAISE NOTICE 'this PostgreSQL has no lz4: payslip_net.details keeps the default compression';
    END $$`.execute(db);
}
