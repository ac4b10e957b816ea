/**
 * What gross-to-net needs for a department (R-NET): a pay profile for everyone (Beijing, whose
 * data covers the first half of 2026) and the earlier months of the tax year already paid — one
 * locked run per month with everyone's gross, made set-wise from the employees — the last of them
 * with everyone's net row, from which the month benchmarked continues the year.
 */
import { employeeNet, fen, type Month, monthParts } from '@ladder/core';
import { sql } from 'kysely';
import type { Store } from '../packages/server/dist/db/connect.js';
import { systemClock } from '../packages/server/dist/services/context.js';
import { cityRates, nationalTaxTables } from '../packages/server/dist/services/china-data.js';
import { yearToDateText } from '../packages/server/dist/services/payroll/net.js';
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
    if (m === monthNumber - 1) await addNetRows(store, run.id, earlier);
    await db.updateTable('payroll_runs').set({ status: 'locked' }).where('id', '=', run.id).execute();
  }
}

/**
 * Everyone's net row of `month`'s run, computed by the engine from the year's gross so far, as a
 * run would store it — without the month's explained details, which the next month never reads.
 */
async function addNetRows(store: Store, runId: number, month: Month): Promise<void> {
  const { db } = store;
  const { year } = monthParts(month);
  const data = { city: cityRates('beijing')!, tax: nationalTaxTables() };
  const grossRows = await db
    .selectFrom('payslips as p')
    .innerJoin('payroll_runs as r', 'r.id', 'p.run_id')
    .select(['p.id', 'p.run_id', 'p.employee_id', 'r.month', 'p.gross_fen'])
    .where('r.month', '>=', `${year}-01`)
    .where('r.month', '<=', month)
    .orderBy('p.employee_id')
    .orderBy('r.month')
    .execute();
  const years = new Map<number, { slip: number; months: { month: Month; gross: ReturnType<typeof fen> }[] }>();
  for (const row of grossRows) {
    const person = years.get(row.employee_id) ?? { slip: 0, months: [] };
    person.months.push({ month: row.month as Month, gross: fen(row.gross_fen) });
    if (row.run_id === runId) person.slip = row.id;
    years.set(row.employee_id, person);
  }
  let chunk: Record<string, unknown>[] = [];
  const flush = async () => {
    if (chunk.length > 0)
      await db
        .insertInto('payslip_net')
        .values(chunk as never)
        .execute();
    chunk = [];
  };
  for (const [employeeId, person] of years) {
    if (person.slip === 0) continue;
    const net = employeeNet({ id: String(employeeId), firstIncomeOfYear: false, months: person.months }, data);
    const current = net.months.at(-1)!;
    chunk.push({
      payslip_id: person.slip,
      run_id: runId,
      bonus_fen: 0,
      employee_contributions_fen: current.employeeContributions,
      employer_contributions_fen: current.employerContributions,
      taxable_ytd_fen: current.taxableYtd,
      tax_fen: current.tax,
      bonus_tax_fen: 0,
      net_fen: current.net,
      employer_cost_fen: current.employerCost,
      ytd: yearToDateText(net.totals, current.ytd),
      details: '{}',
    });
    if (chunk.length === 1000) await flush();
  }
  await flush();
}
