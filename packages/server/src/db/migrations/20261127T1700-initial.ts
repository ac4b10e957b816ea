/* Frozen in time: never import application code here. */
import { type CreateTableBuilder, type Kysely, sql } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

function withId<T extends string>(table: CreateTableBuilder<T>, dialect: Dialect): CreateTableBuilder<T, 'id'> {
  return dialect === 'postgres'
    ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

const MONEY = 'bigint';

export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('teams'), dialect)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('employees'), dialect)
    .addColumn('employee_no', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('hired_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db.schema.createTable('employee_history'), dialect)
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('team_id', 'bigint', (c) => c.references('teams.id'))
    .addColumn('base_pay_fen', MONEY)
    .addColumn('probation_end', 'text')
    .addColumn('junior_since', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('transfer_to', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addUniqueConstraint('employee_history_day', ['employee_id', 'effective_from'])
    .execute();

  await db.schema
    .createTable('agent_accounts')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addPrimaryKeyConstraint('agent_accounts_pk', ['source', 'account'])
    .execute();

  await withId(db.schema.createTable('import_files'), dialect)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('rows', 'bigint', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('import_files_content', ['kind', 'sha256'])
    .execute();

  const byEmployeeMonth = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
      .addColumn('month', 'text', (c) => c.notNull());

  await byEmployeeMonth('attendance_months')
    .addColumn('unpaid_days', 'text', (c) => c.notNull())
    .addColumn('late_count', 'integer', (c) => c.notNull())
    .addColumn('overtime_workday', 'text', (c) => c.notNull())
    .addColumn('overtime_rest_day', 'text', (c) => c.notNull())
    .addColumn('overtime_holiday', 'text', (c) => c.notNull())
    .addColumn('leave_days', 'text', (c) => c.notNull())
    .addColumn('import_id', 'bigint')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('attendance_months_pk', ['employee_id', 'month'])
    .execute();

  await withId(db.schema.createTable('conversations'), dialect)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'bigint', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('first_response_s', 'double precision')
    .addColumn('handle_s', 'double precision')
    .addColumn('valid', 'integer', (c) => c.notNull())
    .addColumn('rating', 'integer')
    .addColumn('import_id', 'bigint')
    .addUniqueConstraint('conversations_source_id', ['source', 'external_id'])
    .execute();

  await db.schema
    .createTable('agent_day_stats')
    .addColumn('employee_id', 'bigint', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('conversations', 'integer', (c) => c.notNull())
    .addColumn('valid_conversations', 'integer', (c) => c.notNull())
    .addColumn('first_response_sum_s', 'double precision', (c) => c.notNull())
    .addColumn('first_response_count', 'integer', (c) => c.notNull())
    .addColumn('rating_sum', 'integer', (c) => c.notNull())
    .addColumn('rating_count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_day_stats_pk', ['employee_id', 'day', 'source'])
    .execute();

  await db.schema
    .createTable('agent_period_stats')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'bigint', (c) => c.notNull())
    .addColumn('from_day', 'text', (c) => c.notNull())
    .addColumn('to_day', 'text', (c) => c.notNull())
    .addColumn('conversations', 'integer', (c) => c.notNull())
    .addColumn('resolved', 'integer')
    .addColumn('avg_first_response_s', 'integer')
    .addColumn('avg_resolution_s', 'integer')
    .addColumn('import_id', 'bigint')
    .addPrimaryKeyConstraint('agent_period_stats_pk', ['source', 'employee_id', 'from_day', 'to_day'])
    .execute();

  await withId(db.schema.createTable('tickets'), dialect)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'bigint', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('wrong', 'integer', (c) => c.notNull())
    .addColumn('import_id', 'bigint')
    .addUniqueConstraint('tickets_source_id', ['source', 'external_id'])
    .execute();

  await withId(db.schema.createTable('csat_ratings'), dialect)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'bigint', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('rating', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('import_id', 'bigint')
    .addUniqueConstraint('csat_source_id', ['source', 'external_id'])
    .execute();

  await withId(db.schema.createTable('deductions'), dialect)
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('points', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('import_id', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('revoke_reason', 'text')
    .addUniqueConstraint('deductions_natural', ['employee_id', 'day', 'category', 'reason', 'points', 'entered_by', 'origin'])
    .execute();

  await byEmployeeMonth('lead_points')
    .addColumn('execution', 'text', (c) => c.notNull())
    .addColumn('rewards', 'text', (c) => c.notNull())
    .addColumn('excellent_cases', 'integer', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('import_id', 'bigint')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lead_points_pk', ['employee_id', 'month'])
    .execute();

  await byEmployeeMonth('sales_months')
    .addColumn('amount', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('csat', 'text', (c) => c.notNull())
    .addColumn('complaint_rate', 'text', (c) => c.notNull())
    .addColumn('teamwork', 'text', (c) => c.notNull())
    .addColumn('import_id', 'bigint')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sales_months_pk', ['employee_id', 'month'])
    .execute();

  await db.schema
    .createTable('sales_targets')
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('import_id', 'bigint')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sales_targets_pk', ['employee_id', 'period'])
    .execute();

  await withId(db.schema.createTable('policy_versions'), dialect)
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('source_text', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('policy_versions_day', ['policy', 'effective_from'])
    .execute();

  await withId(db.schema.createTable('payroll_runs'), dialect)
    .addColumn('month', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'reviewed', 'approved', 'locked')`))
    .addColumn('policy_version_id', 'bigint', (c) => c.notNull().references('policy_versions.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('employee_count', 'integer', (c) => c.notNull())
    .addColumn('gross_total_fen', MONEY, (c) => c.notNull())
    .addColumn('problems', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('approved_by', 'text')
    .addColumn('locked_at', 'text')
    .addColumn('locked_by', 'text')
    .execute();

  await withId(db.schema.createTable('payslips'), dialect)
    .addColumn('run_id', 'bigint', (c) => c.notNull().references('payroll_runs.id'))
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('gross_fen', MONEY, (c) => c.notNull())
    .addColumn('full_attendance', 'integer', (c) => c.notNull())
    .addColumn('performance', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addUniqueConstraint('payslips_run_employee', ['run_id', 'employee_id'])
    .execute();

  await withId(db.schema.createTable('payslip_lines'), dialect)
    .addColumn('run_id', 'bigint', (c) => c.notNull())
    .addColumn('payslip_id', 'bigint', (c) => c.notNull().references('payslips.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('amount_fen', MONEY, (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('formula', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('explain_zh', 'text', (c) => c.notNull())
    .addColumn('explain_en', 'text', (c) => c.notNull())
    .addColumn('cause', 'text')
    .execute();
  await db.schema.createIndex('payslip_lines_payslip').on('payslip_lines').columns(['payslip_id', 'position']).execute();

  await withId(db.schema.createTable('audit_log'), dialect)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_key', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_key']).execute();

  await db.schema.createIndex('employee_history_lookup').on('employee_history').columns(['employee_id', 'effective_from']).execute();
  await db.schema.createIndex('deductions_employee_day').on('deductions').columns(['employee_id', 'day']).execute();
  await db.schema.createIndex('tickets_employee_day').on('tickets').columns(['employee_id', 'day']).execute();
  await db.schema.createIndex('agent_day_stats_day').on('agent_day_stats').columns(['day']).execute();

  await (dialect === 'postgres' ? postgresGuards(db) : sqliteGuards(db));
}

/** A locked run, its payslips and lines, and the audit log can never change, by any path. */
async function sqliteGuards(db: AnyDb): Promise<void> {
  const statements = [
    `CREATE TRIGGER payroll_runs_locked_update BEFORE UPDATE ON payroll_runs WHEN OLD.status = 'locked'
       BEGIN SELECT RAISE(ABORT, 'payroll run is locked'); END`,
    `CREATE TRIGGER payroll_runs_locked_delete BEFORE DELETE ON payroll_runs WHEN OLD.status IN ('approved', 'locked')
       BEGIN SELECT RAISE(ABORT, 'payroll run is approved or locked'); END`,
  ];
  for (const table of ['payslips', 'payslip_lines']) {
    const locked = (ref: string) => `(SELECT status FROM payroll_runs WHERE id = ${ref}.run_id) = 'locked'`;
    statements.push(
      `CREATE TRIGGER ${table}_locked_insert BEFORE INSERT ON ${table} WHEN ${locked('NEW')}
         BEGIN SELECT RAISE(ABORT, 'payroll run is locked'); END`,
      `CREATE TRIGGER ${table}_locked_update BEFORE UPDATE ON ${table} WHEN ${locked('OLD')} OR ${locked('NEW')}
         BEGIN SELECT RAISE(ABORT, 'payroll run is locked'); END`,
      `CREATE TRIGGER ${table}_locked_delete BEFORE DELETE ON ${table} WHEN ${locked('OLD')}
         BEGIN SELECT RAISE(ABORT, 'payroll run is locked'); END`,
    );
  }
  statements.push(
    `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
    `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`,
  );
  for (const statement of statements) await sql.raw(statement).execute(db);
}

async function postgresGuards(db: AnyDb): Promise<void> {
  const statements = [
    `CREATE FUNCTION ladder_guard_run() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'UPDATE' AND OLD.status = 'locked' THEN
         RAISE EXCEPTION 'payroll run is locked' USING ERRCODE = 'check_violation';
       END IF;
       IF TG_OP = 'DELETE' AND OLD.status IN ('approved', 'locked') THEN
         RAISE EXCEPTION 'payroll run is approved or locked' USING ERRCODE = 'check_violation';
       END IF;
       IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER payroll_runs_guard BEFORE UPDATE OR DELETE ON payroll_runs FOR EACH ROW EXECUTE FUNCTION ladder_guard_run()`,
    // Statement-level with transition tables: one check per statement, not one per row written.
    `CREATE FUNCTION ladder_guard_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF EXISTS (SELECT 1 FROM new_rows x JOIN payroll_runs r ON r.id = x.run_id WHERE r.status = 'locked') THEN
         RAISE EXCEPTION 'payroll run is locked' USING ERRCODE = 'check_violation';
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE FUNCTION ladder_guard_old_rows() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF EXISTS (SELECT 1 FROM old_rows x JOIN payroll_runs r ON r.id = x.run_id WHERE r.status = 'locked') THEN
         RAISE EXCEPTION 'payroll run is locked' USING ERRCODE = 'check_violation';
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE FUNCTION ladder_guard_changed_rows() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF EXISTS (SELECT 1 FROM old_rows x JOIN payroll_runs r ON r.id = x.run_id WHERE r.status = 'locked') OR EXISTS (SELECT 1 FROM new_rows x JOIN payroll_runs r ON r.id = x.run_id WHERE r.status = 'locked') THEN
         RAISE EXCEPTION 'payroll run is locked' USING ERRCODE = 'check_violation';
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER payslips_guard_insert AFTER INSERT ON payslips REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_new_rows()`,
    `CREATE TRIGGER payslips_guard_update AFTER UPDATE ON payslips REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_changed_rows()`,
    `CREATE TRIGGER payslips_guard_delete AFTER DELETE ON payslips REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_old_rows()`,
    `CREATE TRIGGER payslip_lines_guard_insert AFTER INSERT ON payslip_lines REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_new_rows()`,
    `CREATE TRIGGER payslip_lines_guard_update AFTER UPDATE ON payslip_lines REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_changed_rows()`,
    `CREATE TRIGGER payslip_lines_guard_delete AFTER DELETE ON payslip_lines REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_old_rows()`,
    `CREATE FUNCTION ladder_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'check_violation';
     END $$`,
    `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION ladder_append_only()`,
    `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION ladder_append_only()`,
    // TRUNCATE skips row triggers: refuse it while any run is locked.
    `CREATE FUNCTION ladder_guard_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF EXISTS (SELECT 1 FROM payroll_runs WHERE status = 'locked') THEN
         RAISE EXCEPTION 'payroll data includes a locked run' USING ERRCODE = 'check_violation';
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER payroll_runs_no_truncate BEFORE TRUNCATE ON payroll_runs FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_truncate()`,
    `CREATE TRIGGER payslips_no_truncate BEFORE TRUNCATE ON payslips FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_truncate()`,
    `CREATE TRIGGER payslip_lines_no_truncate BEFORE TRUNCATE ON payslip_lines FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_truncate()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
