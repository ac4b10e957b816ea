/* Frozen in time: never import application code here. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

/**
 * Conversations are found by day (QA sampling: a day, then optionally one agent). An index on the
 * day alone grows at a handful of places while an import writes (files run in time order), where
 * (employee, day) took a random place for every row and made imports several times slower.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('qa_conversations_employee_day').execute();
  await db.schema.createIndex('conversations_day').on('conversations').columns(['day']).execute();
}
