import type { Kysely, Transaction } from 'kysely';
import type { AgentDaySatisfactionColumn, LevelTables } from '../../db/schema-levels.js';
import type { Database } from '../../db/schema.js';
import type { Db } from '../context.js';

/** The store's tables with those of migration 20261127T1900-levels (until schema.ts merges them). */
export type LevelDatabase = Database & LevelTables & { agent_day_stats: AgentDaySatisfactionColumn };
export type LevelDb = Kysely<LevelDatabase> | Transaction<LevelDatabase>;

/** The same connection or transaction, typed with the level tables. */
export function levelDb(db: Db): LevelDb {
  return db as unknown as LevelDb;
}
