/** An empty database of either dialect, not migrated, for tests that migrate step by step. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../packages/server/src/db/schema.js';
import { createDatabase } from '../../tools/throwaway-postgres.js';

export async function unmigratedDatabase(dialect: 'sqlite' | 'postgres'): Promise<{ db: Kysely<Database>; dispose: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'ladder-migration-'));
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(path.join(dir, 'old.sqlite')) }) });
    return { db, dispose: async () => (await db.destroy(), rmSync(dir, { recursive: true, force: true })) };
  }
  const database = await createDatabase(inject('postgresUrl'), 'ladder_migration');
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }) });
  return { db, dispose: async () => (await db.destroy(), await database.drop()) };
}
