/* Frozen in time: never import application code here. */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './20261127T1700-initial.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

/** R-NET: what each person's pay needs to go from gross to net, and the result kept with the payslip. */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('pay_profiles')
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('contribution_base_fen', 'bigint')
    .addColumn('first_income_of_year', 'integer', (c) => c.notNull())
    .addColumn('bank_name', 'text')
    .addColumn('bank_account', 'text')
    .addColumn('account_name', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pay_profiles_pk', ['employee_id', 'effective_from'])
    .execute();

  await db.schema
    .createTable('special_deductions')
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('special_deductions_pk', ['employee_id', 'month'])
    .execute();

  await db.schema
    .createTable('annual_bonuses')
    .addColumn('employee_id', 'bigint', (c) => c.notNull().references('employees.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('separate', 'merged')`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('annual_bonuses_pk', ['employee_id', 'year'])
    .execute();

  await db.schema
    .createTable('payslip_net')
    .addColumn('payslip_id', 'bigint', (c) => c.primaryKey().references('payslips.id'))
    .addColumn('run_id', 'bigint', (c) => c.notNull())
    .addColumn('bonus_fen', 'bigint', (c) => c.notNull())
    .addColumn('employee_contributions_fen', 'bigint', (c) => c.notNull())
    .addColumn('employer_contributions_fen', 'bigint', (c) => c.notNull())
    .addColumn('taxable_ytd_fen', 'bigint', (c) => c.notNull())
    .addColumn('tax_fen', 'bigint', (c) => c.notNull())
    .addColumn('bonus_tax_fen', 'bigint', (c) => c.notNull())
    .addColumn('net_fen', 'bigint', (c) => c.notNull())
    .addColumn('employer_cost_fen', 'bigint', (c) => c.notNull())
    .addColumn('ytd', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();

  if (dialect === 'postgres') {
    const statements = [
      `CREATE TRIGGER payslip_net_guard_insert AFTER INSERT ON payslip_net REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_new_rows()`,
      `CREATE TRIGGER payslip_net_guard_update AFTER UPDATE ON payslip_net REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_changed_rows()`,
      `CREATE TRIGGER payslip_net_guard_delete AFTER DELETE ON payslip_net REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_old_rows()`,
      `CREATE TRIGGER payslip_net_no_truncate BEFORE TRUNCATE ON payslip_net FOR EACH STATEMENT EXECUTE FUNCTION ladder_guard_truncate()`,
    ];
    for (const statement of statements) await sql.raw(statement).execute(db);
  } else {
    const locked = (ref: string) => `(SELECT status FROM payroll_runs WHERE id = ${ref}.run_id) = 'locked'`;
    const statements = [
      `CREATE TRIGGER payslip_net_locked_insert BEFORE INSERT ON payslip_net WHEN ${locked('NEW')} BEGIN SELECT RAISE(ABORT, 'payroll run is locked'); END`,
      `CREATE TRIGGER payslip_net_locked_update BEFORE UPDATE ON payslip_net WHEN ${locked('OLD')} OR ${locked('NEW')} BEGIN SELECT RAISE(ABORT, 'payroll run is locked'); END`,
      `CREATE TRIGGER payslip_net_locked_delete BEFORE DELETE ON payslip_net WHEN ${locked('OLD')} BEGIN SELECT RAISE(ABORT, 'payroll run is locked'); END`,
    ];
    for (const statement of statements) await sql.raw(statement).execute(db);
  }
}
