/* Frozen in time: never import application code here. */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './20261127T1700-initial.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

/**
 * Lookups that read a whole growing table once per row, found by drawing a day's QA samples for a
 * large department (8,000 agents: 82 s, every assignment scanning all inspections; 5.3 s with these):
 * - an inspection by its sample item (assignment asks, for each agent, which items have one);
 * - inspections of a day (the inspectors' day list);
 * - audit entries by key (retro adjustments read each changed person's history; that scanned the
 *   whole log once per person). On PostgreSQL with the pattern operator class, so that a prefix
 *   `LIKE 'E001@%'` uses it whatever the database's collation.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema.createIndex('qa_inspections_sample_item').on('qa_inspections').columns(['sample_item_id']).execute();
  await db.schema.createIndex('qa_inspections_day').on('qa_inspections').columns(['day']).execute();
  if (dialect === 'postgres') await sql`CREATE INDEX audit_log_key ON audit_log (entity_key text_pattern_ops)`.execute(db);
  else await db.schema.createIndex('audit_log_key').on('audit_log').columns(['entity_key']).execute();
}
