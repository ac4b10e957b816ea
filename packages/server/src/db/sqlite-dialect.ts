/**
 * Kysely's SQLite dialect, with one change: a transaction begun as `read write` (`writeTransaction`)
 * takes the file's write lock before anything else. SQLite's deferred transactions take it at their
 * first write, and one that has read before cannot wait for it: when another process (a second
 * `ladder` command, a payroll run, an import) commits meanwhile, what it read is no longer the
 * latest, and SQLite refuses the write at once (SQLITE_BUSY), whatever the busy timeout. Taken first,
 * the lock is waited for (busy_timeout) and what follows reads the latest data.
 * `BEGIN IMMEDIATE` would lock every attached file too — a payroll run's scratch files, which its
 * helper threads are writing — so the lock is taken by a write that changes nothing in the main
 * file. Transactions not so marked (reads, the migrator's) stay deferred and never wait for writers.
 */
import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type SqliteDatabase as KyselySqliteDatabase,
  type TransactionSettings,
} from 'kysely';
import type { Kysely, TransactionBuilder } from 'kysely';
import type { Database } from './schema.js';

// Kysely's own table, present in every migrated store; WHERE 0 deletes nothing, but the statement
// still opens a write on the main file.
const TAKE_WRITE_LOCK = CompiledQuery.raw('DELETE FROM main.kysely_migration WHERE 0');

class WriteLockingSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection);
    if (settings?.accessMode === 'read write') await connection.executeQuery(TAKE_WRITE_LOCK);
  }
}

export class WriteLockingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new WriteLockingSqliteDriver(this.#config);
  }
}

/** A transaction that writes: on SQLite it waits for the file's write lock before its first read (see above). */
export function writeTransaction(db: Kysely<Database>): TransactionBuilder<Database> {
  return db.transaction().setAccessMode('read write');
}

/** Statements kept for reuse, the most recently used first out when full. */
const STATEMENTS_KEPT = 500;

/**
 * The connection as Kysely's driver sees it, keeping its prepared statements: the driver prepares
 * every query again each time it runs, and preparing cost more than running (an import of 100,000
 * employees: 15 of its 41 s of CPU). A statement still being iterated (a streamed query) is not
 * handed out twice: the same SQL meanwhile gets a statement of its own.
 */
export function reusingStatements(sqlite: SqliteDatabase.Database, kept = STATEMENTS_KEPT): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(source) {
      const cached = statements.get(source);
      if (cached && !cached.busy) {
        statements.delete(source);
        statements.set(source, cached);
        return cached;
      }
      const statement = sqlite.prepare(source);
      statements.set(source, statement);
      if (statements.size > kept) statements.delete(statements.keys().next().value as string);
      return statement;
    },
    close: () => sqlite.close(),
  };
}
