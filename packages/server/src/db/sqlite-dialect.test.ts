import SqliteDatabase from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { reusingStatements, WriteLockingSqliteDialect } from './sqlite-dialect.js';

interface Tables {
  t: { id: number; name: string };
}

describe('statements reused by Kysely on SQLite', () => {
  let sqlite: SqliteDatabase.Database;
  afterEach(() => {
    if (sqlite.open) sqlite.close();
  });

  const open = () => {
    sqlite = new SqliteDatabase(':memory:');
    sqlite.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a'), ('b'), ('c')");
    return sqlite;
  };

  it('prepares a query once and hands the same statement out again', () => {
    const connection = reusingStatements(open());
    const first = connection.prepare('SELECT name FROM t WHERE id = ?');
    expect(connection.prepare('SELECT name FROM t WHERE id = ?')).toBe(first);
    expect(connection.prepare('SELECT name FROM t WHERE id > ?')).not.toBe(first);
  });

  it('gives a statement still being iterated to nobody else', () => {
    const connection = reusingStatements(open());
    const sql = 'SELECT name FROM t ORDER BY id';
    const streaming = connection.prepare(sql);
    const seen: string[] = [];
    for (const row of streaming.iterate([]) as IterableIterator<{ name: string }>) {
      const again = connection.prepare(sql);
      expect(again).not.toBe(streaming);
      seen.push(`${row.name}:${(again.all([]) as { name: string }[]).length}`);
    }
    expect(seen).toEqual(['a:3', 'b:3', 'c:3']);
  });

  it('keeps only the most recently used statements', () => {
    const connection = reusingStatements(open(), 2);
    const a = connection.prepare('SELECT 1');
    const b = connection.prepare('SELECT 2');
    expect(connection.prepare('SELECT 1')).toBe(a); // now the most recent
    connection.prepare('SELECT 3'); // SELECT 2 goes
    expect(connection.prepare('SELECT 1')).toBe(a);
    expect(connection.prepare('SELECT 2')).not.toBe(b);
  });

  it('runs Kysely queries on reused statements, and sees a table changed since they were prepared', async () => {
    const db = new Kysely<Tables>({ dialect: new WriteLockingSqliteDialect({ database: reusingStatements(open()) }) });
    const names = () => db.selectFrom('t').selectAll().orderBy('id').execute();
    expect((await names()).map((row) => row.name)).toEqual(['a', 'b', 'c']);
    for (const name of ['d', 'e']) await db.insertInto('t').values({ name }).execute();
    expect((await names()).map((row) => row.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    sqlite.exec("ALTER TABLE t ADD COLUMN team TEXT DEFAULT '一组'");
    expect((await names()).at(0)).toEqual({ id: 1, name: 'a', team: '一组' });
    await db.destroy();
  });
});
