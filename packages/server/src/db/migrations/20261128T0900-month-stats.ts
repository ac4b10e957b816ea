/* Frozen in time: never import application code here. */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './20261127T1700-initial.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

const SUMS = ['conversations', 'valid_conversations', 'first_response_sum_s', 'first_response_count', 'rating_sum', 'rating_count'];
const COLUMNS = `month, employee_id, source, ${SUMS.join(', ')}`;
const ADD = SUMS.map((c) => `${c} = agent_month_stats.${c} + excluded.${c}`).join(', ');

/**
 * Per agent and month, the sums of the daily statistics, kept equal to them by the database
 * itself (triggers on every insert, update and delete of a day), so a payroll run reads one
 * row per agent instead of grouping a month of days.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('agent_month_stats')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('conversations', 'integer', (c) => c.notNull())
    .addColumn('valid_conversations', 'integer', (c) => c.notNull())
    .addColumn('first_response_sum_s', 'double precision', (c) => c.notNull())
    .addColumn('first_response_count', 'integer', (c) => c.notNull())
    .addColumn('rating_sum', 'integer', (c) => c.notNull())
    .addColumn('rating_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_month_stats_pk', ['month', 'employee_id', 'source'])
    .execute();
  const month = (day: string) => (dialect === 'postgres' ? `left(${day}, 7)` : `substr(${day}, 1, 7)`);
  await sql
    .raw(
      `INSERT INTO agent_month_stats (${COLUMNS})
       SELECT ${month('day')}, employee_id, source, ${SUMS.map((c) => `sum(${c})`).join(', ')}
       FROM agent_day_stats GROUP BY ${month('day')}, employee_id, source`,
    )
    .execute(db);

  if (dialect === 'sqlite') {
    const upsert = (row: 'NEW' | 'OLD', sign: '' | '-') => `
      INSERT INTO agent_month_stats (${COLUMNS})
      VALUES (substr(${row}.day, 1, 7), ${row}.employee_id, ${row}.source, ${SUMS.map((c) => `${sign}${row}.${c}`).join(', ')})
      ON CONFLICT (month, employee_id, source) DO UPDATE SET ${ADD};`;
    await sql.raw(`CREATE TRIGGER agent_day_stats_month_insert AFTER INSERT ON agent_day_stats BEGIN ${upsert('NEW', '')} END`).execute(db);
    await sql
      .raw(
        `CREATE TRIGGER agent_day_stats_month_update AFTER UPDATE ON agent_day_stats BEGIN ${upsert('OLD', '-')} ${upsert('NEW', '')} END`,
      )
      .execute(db);
    await sql
      .raw(`CREATE TRIGGER agent_day_stats_month_delete AFTER DELETE ON agent_day_stats BEGIN ${upsert('OLD', '-')} END`)
      .execute(db);
    return;
  }

  // PostgreSQL: once per statement, from its transition tables (a bulk import is one statement).
  const upsert = (rows: string, sign: '' | '-') => `
    INSERT INTO agent_month_stats (${COLUMNS})
    SELECT left(day, 7), employee_id, source, ${SUMS.map((c) => `${sign}sum(${c})`).join(', ')}
    FROM ${rows} GROUP BY left(day, 7), employee_id, source
    ON CONFLICT (month, employee_id, source) DO UPDATE SET ${ADD};`;
  await sql
    .raw(
      `CREATE FUNCTION ladder_month_stats_add() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${upsert('new_rows', '')} RETURN NULL; END $$`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE FUNCTION ladder_month_stats_subtract() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${upsert('old_rows', '-')} RETURN NULL; END $$`,
    )
    .execute(db);
  for (const statement of [
    `CREATE TRIGGER agent_day_stats_month_insert AFTER INSERT ON agent_day_stats REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_month_stats_add()`,
    // An update is its old rows taken away, then its new rows added (two triggers, fired in name order).
    `CREATE TRIGGER agent_day_stats_month_update_1 AFTER UPDATE ON agent_day_stats REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_month_stats_subtract()`,
    `CREATE TRIGGER agent_day_stats_month_update_2 AFTER UPDATE ON agent_day_stats REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_month_stats_add()`,
    `CREATE TRIGGER agent_day_stats_month_delete AFTER DELETE ON agent_day_stats REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_month_stats_subtract()`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
