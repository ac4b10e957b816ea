/* Frozen in time: never import application code here. */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './20261127T1700-initial.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

interface OldConversation {
  source: string;
  external_id: string;
  employee_id: number;
  day: string;
  started_at: string;
  first_response_s: number | null;
  handle_s: number | null;
  valid: number;
  rating: number | null;
  import_id: number | null;
}

/**
 * Conversations move into blocks: one row per import, source and China day holding that day's
 * conversations as columns (external ids as a JSON array in ascending JavaScript string order,
 * numbers as little-endian float64 or byte arrays). The rows already in `conversations` are copied
 * into blocks and stay where they are, since QA may refer to them; from now on that table holds
 * only the conversations QA works on.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  let table = db.schema.createTable('conversation_blocks');
  table =
    dialect === 'postgres'
      ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : table.addColumn('id', 'integer', (c) => c.primaryKey());
  await table
    .addColumn('import_id', 'bigint')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .addColumn('first_id', 'text', (c) => c.notNull())
    .addColumn('last_id', 'text', (c) => c.notNull())
    .addColumn('external_ids', 'text', (c) => c.notNull())
    .addColumn('employee_ids', bytes, (c) => c.notNull())
    .addColumn('started_at', bytes, (c) => c.notNull())
    .addColumn('first_response_s', bytes, (c) => c.notNull())
    .addColumn('handle_s', bytes, (c) => c.notNull())
    .addColumn('valid', bytes, (c) => c.notNull())
    .addColumn('rating', bytes, (c) => c.notNull())
    .execute();
  if (dialect === 'postgres') {
    // Columns of numbers compress little and slowly: stored out of line as they are.
    for (const column of ['external_ids', 'employee_ids', 'started_at', 'first_response_s', 'handle_s', 'valid', 'rating'])
      await sql.raw(`ALTER TABLE conversation_blocks ALTER COLUMN ${column} SET STORAGE EXTERNAL`).execute(db);
  }
  await db.schema.createIndex('conversation_blocks_day').on('conversation_blocks').columns(['day']).execute();
  await db.schema.createIndex('conversation_blocks_source').on('conversation_blocks').columns(['source']).execute();
  await db.schema.createIndex('conversation_blocks_import').on('conversation_blocks').columns(['import_id']).execute();

  const groups = await db.selectFrom('conversations').select(['import_id', 'source', 'day']).distinct().execute();
  for (const group of groups as { import_id: number | null; source: string; day: string }[]) {
    let query = db.selectFrom('conversations').selectAll().where('source', '=', group.source).where('day', '=', group.day);
    query = group.import_id === null ? query.where('import_id', 'is', null) : query.where('import_id', '=', group.import_id);
    const rows = ((await query.execute()) as OldConversation[]).sort((a, b) =>
      a.external_id < b.external_id ? -1 : a.external_id > b.external_id ? 1 : 0,
    );
    const floats = (value: (r: OldConversation) => number) => {
      const a = new Float64Array(rows.length);
      rows.forEach((r, i) => (a[i] = value(r)));
      return Buffer.from(a.buffer);
    };
    await db
      .insertInto('conversation_blocks')
      .values({
        import_id: group.import_id,
        source: group.source,
        day: group.day,
        row_count: rows.length,
        first_id: rows[0]?.external_id,
        last_id: rows[rows.length - 1]?.external_id,
        external_ids: JSON.stringify(rows.map((r) => r.external_id)),
        employee_ids: floats((r) => Number(r.employee_id)),
        started_at: floats((r) => Date.parse(r.started_at)),
        first_response_s: floats((r) => r.first_response_s ?? NaN),
        handle_s: floats((r) => r.handle_s ?? NaN),
        valid: Buffer.from(rows.map((r) => (r.valid ? 1 : 0))),
        rating: Buffer.from(rows.map((r) => r.rating ?? 0)),
      })
      .execute();
  }
}
