/**
 * Rows as arrays of their selected values, for reads of a whole department. On SQLite the
 * connection hands them over so directly (better-sqlite3's raw mode): making an object with named
 * properties per row was a third of what the payroll's reads cost. Elsewhere the rows Kysely reads
 * are turned into arrays in the order the query selected them.
 */
import type SqliteDatabase from 'better-sqlite3';
import type { Compilable } from 'kysely';

/** The SQLite connection a query's Kysely handle uses (a transaction's, or a read-only one), when there is one. */
export type SqliteConnection = SqliteDatabase.Database;

const prepared = new WeakMap<SqliteConnection, Map<string, SqliteDatabase.Statement>>();

function statementOf(sqlite: SqliteConnection, text: string): SqliteDatabase.Statement {
  let statements = prepared.get(sqlite);
  if (!statements) prepared.set(sqlite, (statements = new Map()));
  let statement = statements.get(text);
  if (!statement) statements.set(text, (statement = sqlite.prepare(text).raw()));
  return statement;
}

/** The query's rows as `Row` tuples, read on `sqlite` when given (it must be the connection the query's handle uses). */
export async function rowArrays<Row extends unknown[]>(
  sqlite: SqliteConnection | undefined,
  query: Compilable & { execute(): Promise<object[]> },
): Promise<Row[]> {
  if (!sqlite) return (await query.execute()).map((row) => Object.values(row) as Row);
  const { sql, parameters } = query.compile();
  return statementOf(sqlite, sql).all(...parameters) as Row[];
}
