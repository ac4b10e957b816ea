import type { Kysely, Migration } from 'kysely';
import * as initial from './20261127T1700-initial.js';
import * as netPay from './20261127T1800-net-pay.js';
import * as levels from './20261127T1900-levels.js';
import * as qa from './20261127T2000-qa.js';
import * as applications from './20261127T2100-applications.js';
import * as monthStats from './20261128T0900-month-stats.js';
import * as conversationsByDay from './20261128T0930-conversations-by-day.js';
import * as conversationBlocks from './20261128T1000-conversation-blocks.js';
import * as lineKeysPerStatement from './20261128T1100-line-keys-per-statement.js';
import * as runGuardsLockRuns from './20261128T1200-run-guards-lock-runs.js';
import * as netDetailsLz4 from './20261128T1300-net-details-lz4.js';
import * as lookupsAtScale from './20261129T0900-lookups-at-scale.js';
import * as changesSinceLock from './20261129T1000-changes-since-lock.js';
import type { Dialect } from './20261127T1700-initial.js';

export type { Dialect };

interface DialectMigration {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are untyped by design
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

/** Timestamp-named, in order; one set for both dialects. */
const MIGRATIONS: Record<string, DialectMigration> = {
  '20261127T1700-initial': initial,
  '20261127T1800-net-pay': netPay,
  '20261127T1900-levels': levels,
  '20261127T2000-qa': qa,
  '20261127T2100-applications': applications,
  '20261128T0900-month-stats': monthStats,
  '20261128T0930-conversations-by-day': conversationsByDay,
  '20261128T1000-conversation-blocks': conversationBlocks,
  '20261128T1100-line-keys-per-statement': lineKeysPerStatement,
  '20261128T1200-run-guards-lock-runs': runGuardsLockRuns,
  '20261128T1300-net-details-lz4': netDetailsLz4,
  '20261129T0900-lookups-at-scale': lookupsAtScale,
  '20261129T1000-changes-since-lock': changesSinceLock,
};

export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db) => m.up(db, dialect) }]));
}
