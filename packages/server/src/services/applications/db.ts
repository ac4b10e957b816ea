import type { Kysely, Transaction } from 'kysely';
import type { ApplicationTables } from '../../db/schema-applications.js';
import type { Database } from '../../db/schema.js';
import type { Db } from '../context.js';

/** The store's tables with those of migration 20261127T2100-applications (until schema.ts merges them). */
export type ApplicationDatabase = Database & ApplicationTables;
export type ApplicationDb = Kysely<ApplicationDatabase> | Transaction<ApplicationDatabase>;

/** The same connection or transaction, typed with the application tables. */
export function appDb(db: Db): ApplicationDb {
  return db as unknown as ApplicationDb;
}

/** The China calendar day (UTC+8) of an ISO timestamp: the day a step happens on. */
export function chinaDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}
