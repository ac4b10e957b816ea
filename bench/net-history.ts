/**
 * What gross-to-net needs for a department (R-NET): a pay profile for everyone (Beijing, whose
 * data covers the first half of 2026) and the earlier months of the tax year already paid — one
 * locked run per month with everyone's gross, made set-wise from the employees.
 */
import { type Month, monthParts } from '@ladder/core';
import { sql } from 'kysely';
import type { Store } from '../packages/server/dist/db/connect.js';
import { systemClock } from '../packages/server/dist/services/context.js';
import { policyForMonth } from '../packages/server/dist/services/policies.js';

export async function addNetHistory(store: Store, month: Month): Promise<void> {
  const { db } = store;
  const now = '2026-11-21T01:00:00.000Z';
  const { year, month: monthNumber } = monthParts(month);
  await sql`INSERT INTO pay_profiles (employee_id, effective_from, city, contribution_base_fen, first_income_of_year, recorded_at, recorded_by)
            SELECT id, ${`${year}-01-01`}, 'beijing', NULL, 0, ${now}, 'bench' FROM employees`.execute(db);
  for (let m = 1; m < monthNumber; m += 1) {
    const earlier = `${year}-${String(m).padStart(2, '0')}` as Month;
    const { id: policyVersionId } = await policyForMonth(db, { store, actor: 'bench', now: systemClock }, earlier);
    const run = await db
      .insertInto('payroll_runs')
      .values({
        month: earlier,
        status: 'draft',
        policy_version_id: policyVersionId,
        revision: 1,
        employee_count: 0,
        gross_total_fen: 0,
        problems: '[]',
        created_at: now,
        created_by: 'bench',
        computed_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // A gross of 3,500–7,500 yuan, the same each month for a person; no lines (net pay reads gross only).
    await sql`INSERT INTO payslips (run_id, employee_id, group_code, level, gross_fen, full_attendance, performance, inputs)
              SELECT ${run.id}, id, 'basic', 'junior', 350000 + (id * 7919) % 400000, 1, '{}', '{}' FROM employees
              WHERE hired_on <= ${`${earlier}-28`}`.execute(db);
    await db.updateTable('payroll_runs').set({ status: 'locked' }).where('id', '=', run.id).execute();
  }
}
