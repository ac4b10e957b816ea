import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { startWorker } from '../worker-threads.js';
import { type Dialect, migrationsFor } from './migrations/index.js';
import { reusingStatements, WriteLockingSqliteDialect } from './sqlite-dialect.js';
import type { Database } from './schema.js';

// int8 (bigint) columns hold fen and ids, always safe integers: read them as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for messages: a file path or a URL without password. */
  location: string;
  /** The underlying SQLite handle (embedded only), for bulk paths that bypass the query builder. */
  sqlite?: SqliteDatabase.Database;
  /** The PostgreSQL pool (production only), for COPY. */
  pool?: pg.Pool;
  /**
   * Runs `write` with the SQLite file's automatic checkpoints off, then copies the write-ahead log
   * into the file on another thread: a large transaction's commit does not wait for hundreds of
   * megabytes to be copied (≈ 6 s for a run of 100,000 with net pay), and readers and writers go on
   * meanwhile. Elsewhere it just runs `write`. `settled` and `close` wait for the copy.
   */
  checkpointAfter<T>(write: () => Promise<T>): Promise<T>;
  /** Waits for what the store does in the background (SQLite: copying the log into the file). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_FILE = path.join('data', 'ladder.sqlite');

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** How long a write waits for another process's write on the same SQLite file before it is refused. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface StoreOpening {
  url?: string;
  cwd?: string;
  /** SQLite: how long a write waits for another process's (default DEFAULT_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

/** Opens the store named by DATABASE_URL (postgres://…) or the embedded SQLite file, and migrates it. */
export async function openStore(options: StoreOpening = {}): Promise<Store> {
  const url = options.url ?? process.env.DATABASE_URL;
  const store =
    url && /^postgres(ql)?:\/\//.test(url)
      ? openPostgres(url)
      : openSqlite(url, options.cwd ?? process.cwd(), options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  try {
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSqlite(url: string | undefined, cwd: string, busyTimeoutMs: number): Store {
  const file = url ? url.replace(/^(sqlite|file):(\/\/)?/, '') : DEFAULT_SQLITE_FILE;
  const location = file === ':memory:' ? file : path.resolve(cwd, file);
  if (location !== ':memory:') mkdirSync(path.dirname(location), { recursive: true });
  const sqlite = new SqliteDatabase(location);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  // 64 MiB of page cache: large imports and payroll runs touch far more than the 2 MiB default.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new WriteLockingSqliteDialect({ database: reusingStatements(sqlite) }) });
  let copying: Promise<void> = Promise.resolve();
  const automatic = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  let largeWrites = 0; // several may be under way at once (each waits for the connection in turn)
  const checkpointAfter = async <T>(write: () => Promise<T>): Promise<T> => {
    if (location === ':memory:') return write();
    if (largeWrites++ === 0) sqlite.pragma('wal_autocheckpoint = 0');
    try {
      return await write();
    } finally {
      if (--largeWrites === 0) {
        sqlite.pragma(`wal_autocheckpoint = ${automatic}`);
        copying = copying.then(() => checkpointOnAnotherThread(location));
      }
    }
  };
  const settled = () => copying;
  const close = async () => {
    await copying;
    await db.destroy();
  };
  return { db, dialect: 'sqlite', location, sqlite, checkpointAfter, settled, close };
}

function checkpointOnAnotherThread(file: string): Promise<void> {
  return new Promise((resolve) => {
    const worker = startWorker(new URL('./checkpoint-worker.js', import.meta.url), { file });
    // A checkpoint that fails (the file removed meanwhile) leaves the log to the next automatic one.
    worker.once('error', (error) => console.warn(`checkpoint of ${file} failed: ${error.message}`));
    worker.once('exit', () => resolve());
  });
}

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  let closing = false;
  // The server may end an idle pooled connection (a restart, an administrator, a database dropped
  // while the pool closes): the pool drops it and opens another when needed. Unheard, its 'error'
  // event would end the process.
  pool.on('error', (error) => {
    if (!closing) console.warn(`PostgreSQL ended an idle connection (${error.message}); a new one is opened when needed`);
  });
  // A connection lost while in use (inside a run's or an import's transaction) fails the query that
  // was waiting on it and every later one, so the transaction rolls back and says why; the client
  // reports the loss as an event as well, which would otherwise end the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const close = () => {
    closing = true;
    return db.destroy();
  };
  return { db, dialect: 'postgres', location: redact(url), pool, checkpointAfter: (write) => write(), settled: async () => {}, close };
}

export async function migrate(store: Store): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrationsFor(store.dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed on ${store.location}: ${(error as Error).message}`);
  }
}
