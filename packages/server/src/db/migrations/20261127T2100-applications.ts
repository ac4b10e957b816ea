/* Frozen in time: never import application code here. */
import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { Dialect } from './20261127T1700-initial.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

function withId<T extends string>(table: CreateTableBuilder<T>, dialect: Dialect): CreateTableBuilder<T, 'id'> {
  return dialect === 'postgres'
    ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

const STATES = `('draft', 'submitted', 'panel_review', 'decision_pending', 'approved', 'on_notice', 'rejected', 'effective', 'withdrawn')`;
const FINAL = `('rejected', 'effective', 'withdrawn')`;

/**
 * R-APP: promotion applications (management track and level jumps), every step of each (who, in
 * which role, when, their opinion and scores), and the figures a manager records for an applicant
 * when the store has no data for an indicator. Guards: steps and recorded figures are append-only;
 * an application is never deleted and never changes once final (rejected, effective, withdrawn).
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await withId(db.schema.createTable('applications'), dialect)
    .addColumn('applicant_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('track', 'text', (c) => c.notNull().check(sql`track in ('level', 'position')`))
    .addColumn('from_code', 'text')
    .addColumn('to_code', 'text', (c) => c.notNull())
    .addColumn('work_summary', 'text', (c) => c.notNull())
    .addColumn('achievements', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in ${STATES}`)))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('policy_version_id', 'bigint', (c) => c.notNull().references('policy_versions.id'))
    .addColumn('notice_opens_on', 'text')
    .addColumn('notice_closes_on', 'text')
    .addColumn('effective_on', 'text')
    .addColumn('history_id', 'bigint', (c) => c.references('employee_history.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('applications_applicant').on('applications').columns(['applicant_id']).execute();
  await db.schema.createIndex('applications_status').on('applications').columns(['status']).execute();

  await withId(db.schema.createTable('application_steps'), dialect)
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('on_day', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('opinion', 'text')
    .addColumn('interview_score', 'text')
    .addColumn('case_analysis_score', 'text')
    .addColumn('details', 'text')
    .addUniqueConstraint('application_steps_seq', ['application_id', 'seq'])
    .execute();

  await withId(db.schema.createTable('application_figures'), dialect)
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('recorded_on', 'text', (c) => c.notNull())
    .addColumn('csat', 'text')
    .addColumn('complaint_resolution_rate', 'text')
    .addColumn('handle_time_s', 'text')
    .addColumn('test_score', 'text')
    .addColumn('internal_complaints', 'integer')
    .addColumn('note', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('application_figures_employee').on('application_figures').columns(['employee_id', 'recorded_on']).execute();

  if (dialect === 'postgres') {
    const statements = [
      `CREATE FUNCTION ladder_app_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'check_violation';
       END $$`,
      `CREATE TRIGGER application_steps_append_only BEFORE UPDATE OR DELETE ON application_steps FOR EACH ROW EXECUTE FUNCTION ladder_app_refuse('application steps are append-only')`,
      `CREATE TRIGGER application_steps_no_truncate BEFORE TRUNCATE ON application_steps FOR EACH STATEMENT EXECUTE FUNCTION ladder_app_refuse('application steps are append-only')`,
      `CREATE TRIGGER application_figures_append_only BEFORE UPDATE OR DELETE ON application_figures FOR EACH ROW EXECUTE FUNCTION ladder_app_refuse('recorded figures are append-only')`,
      `CREATE TRIGGER application_figures_no_truncate BEFORE TRUNCATE ON application_figures FOR EACH STATEMENT EXECUTE FUNCTION ladder_app_refuse('recorded figures are append-only')`,
      `CREATE TRIGGER applications_no_delete BEFORE DELETE ON applications FOR EACH ROW EXECUTE FUNCTION ladder_app_refuse('applications are never deleted')`,
      `CREATE TRIGGER applications_no_truncate BEFORE TRUNCATE ON applications FOR EACH STATEMENT EXECUTE FUNCTION ladder_app_refuse('applications are never deleted')`,
      `CREATE TRIGGER applications_final BEFORE UPDATE ON applications FOR EACH ROW WHEN (OLD.status IN ${FINAL}) EXECUTE FUNCTION ladder_app_refuse('the application is closed: it never changes')`,
    ];
    for (const statement of statements) await sql.raw(statement).execute(db);
  } else {
    const abort = (message: string) => `BEGIN SELECT RAISE(ABORT, '${message}'); END`;
    const statements = [
      `CREATE TRIGGER application_steps_no_update BEFORE UPDATE ON application_steps ${abort('application steps are append-only')}`,
      `CREATE TRIGGER application_steps_no_delete BEFORE DELETE ON application_steps ${abort('application steps are append-only')}`,
      `CREATE TRIGGER application_figures_no_update BEFORE UPDATE ON application_figures ${abort('recorded figures are append-only')}`,
      `CREATE TRIGGER application_figures_no_delete BEFORE DELETE ON application_figures ${abort('recorded figures are append-only')}`,
      `CREATE TRIGGER applications_no_delete BEFORE DELETE ON applications ${abort('applications are never deleted')}`,
      `CREATE TRIGGER applications_final BEFORE UPDATE ON applications WHEN OLD.status IN ${FINAL} ${abort('the application is closed: it never changes')}`,
    ];
    for (const statement of statements) await sql.raw(statement).execute(db);
  }
}
