import {
  cityMonth,
  describeProblem,
  employeeNet,
  type Fen,
  fen,
  formatYuan,
  lastDayOf,
  type Month,
  monthParts,
  type NetEmployeeInput,
  netMonthToJson,
  taxMonth,
  ValidationError,
} from '@ladder/core';
import type { Db } from '../context.js';
import { cityRates, nationalTaxTables } from '../china-data.js';
import type { RunProblem } from './inputs.js';

export interface NetRow {
  bonus: Fen;
  employeeContributions: Fen;
  employerContributions: Fen;
  taxableYtd: Fen;
  tax: Fen;
  bonusTax: Fen;
  net: Fen;
  employerCost: Fen;
  ytd: string;
  details: string;
}

export interface GrossOfMonth {
  employeeId: number;
  employeeNo: string;
  hiredOn: string;
  gross: Fen;
}

const NET_ROWS_AT_ONCE = 1000;

/**
 * R-NET for a month's payslips: for everyone with a pay profile, the tax year so far (January or
 * the hire month through this month) is taken from the earlier runs' gross, the declared special
 * deductions and any annual bonus, and run through the cumulative withholding engine. People whose
 * year cannot be completed are listed as problems, never guessed.
 */
export async function computeNetPay(
  db: Db,
  month: Month,
  slips: readonly GrossOfMonth[],
  store: (rows: ReadonlyMap<number, NetRow>) => Promise<void>,
): Promise<{ problems: RunProblem[] }> {
  // Handed on to `store` a thousand people at a time (keyed by employee id): each row holds ≈ 5 KB
  // of explained details, too much to keep for a whole department.
  let rows = new Map<number, NetRow>();
  const problems: RunProblem[] = [];
  const last = lastDayOf(month);
  const { year } = monthParts(month);
  const profiles = new Map<number, { city: string; contribution_base_fen: number | null; first_income_of_year: number }>();
  const profileRows = await db
    .selectFrom('pay_profiles')
    .select(['employee_id', 'effective_from', 'city', 'contribution_base_fen', 'first_income_of_year'])
    .where('effective_from', '<=', last)
    .orderBy('effective_from')
    .execute();
  for (const row of profileRows) profiles.set(row.employee_id, row);
  if (profiles.size === 0) return { problems };

  const earlierGross = new Map<string, number>();
  const earlier = await db
    .selectFrom('payslips as p')
    .innerJoin('payroll_runs as r', 'r.id', 'p.run_id')
    .select(['p.employee_id', 'r.month', 'p.gross_fen'])
    .where('r.month', '>=', `${year}-01`)
    .where('r.month', '<', month)
    .execute();
  for (const row of earlier) earlierGross.set(`${row.employee_id}/${row.month}`, row.gross_fen);
  const special = new Map<string, number>();
  const specialRows = await db
    .selectFrom('special_deductions')
    .select(['employee_id', 'month', 'amount_fen'])
    .where('month', '>=', `${year}-01`)
    .where('month', '<=', month)
    .execute();
  for (const row of specialRows) special.set(`${row.employee_id}/${row.month}`, row.amount_fen);
  const bonuses = new Map(
    (await db.selectFrom('annual_bonuses').selectAll().where('year', '=', year).where('month', '<=', month).execute()).map((b) => [
      b.employee_id,
      b,
    ]),
  );
  const tax = nationalTaxTables();

  for (const slip of slips) {
    const profile = profiles.get(slip.employeeId);
    if (!profile) {
      problems.push({
        employeeNo: slip.employeeNo,
        code: 'pay_profile_missing',
        message: `no pay profile (city, contribution base, bank account) for ${month}; net pay not computed`,
      });
      continue;
    }
    const city = cityRates(profile.city);
    if (!city) {
      problems.push({
        employeeNo: slip.employeeNo,
        code: 'net_data_missing',
        message: `no social-insurance data for city "${profile.city}"`,
      });
      continue;
    }
    const firstMonth = slip.hiredOn.slice(0, 7) > `${year}-01` ? slip.hiredOn.slice(0, 7) : `${year}-01`;
    const months: NetEmployeeInput['months'] = [];
    const missing: string[] = [];
    for (let m = Number(firstMonth.slice(5, 7)); m <= monthParts(month).month; m += 1) {
      const key = `${year}-${String(m).padStart(2, '0')}` as Month;
      const gross = key === month ? slip.gross : earlierGross.get(`${slip.employeeId}/${key}`);
      if (gross === undefined) {
        missing.push(key);
        continue;
      }
      const declared = special.get(`${slip.employeeId}/${key}`);
      months.push({ month: key, gross: fen(gross), ...(declared !== undefined ? { specialAdditional: fen(declared) } : {}) });
    }
    if (missing.length > 0) {
      problems.push({
        employeeNo: slip.employeeNo,
        code: 'net_history_missing',
        message: `no payslip for ${missing.join(', ')} of the tax year; net pay needs every month since ${firstMonth}`,
      });
      continue;
    }
    // Data a whole city (or the tax tables) lacks for some month is said in one short line: when
    // the data is out of date, every person of the city has the same problem.
    const gaps = months.flatMap(({ month: m }) => {
      const lacking = [cityMonth(city, m), taxMonth(tax, m)].flatMap((lookup) => (lookup.found ? [] : lookup.missing));
      return lacking.length > 0 ? [{ month: m, lacking }] : [];
    });
    const [first] = gaps;
    if (first) {
      const more = first.lacking.length > 1 ? ` and ${first.lacking.length - 1} more values` : '';
      problems.push({
        employeeNo: slip.employeeNo,
        code: 'net_data_missing',
        message: `net pay not computed: no ${profile.city} contribution or income-tax data for ${gaps.map((g) => g.month).join(', ')} (${first.lacking[0]}${more})`,
      });
      continue;
    }
    const bonus = bonuses.get(slip.employeeId);
    const person: NetEmployeeInput = {
      id: slip.employeeNo,
      firstIncomeOfYear: profile.first_income_of_year === 1,
      months,
      ...(profile.contribution_base_fen !== null ? { contributionBase: fen(profile.contribution_base_fen) } : {}),
      ...(bonus ? { annualBonus: { month: bonus.month as Month, amount: fen(bonus.amount_fen), method: bonus.method } } : {}),
    };
    try {
      const employee = employeeNet(person, { city, tax });
      const current = employee.months.at(-1);
      if (!current) continue;
      rows.set(slip.employeeId, {
        bonus: current.bonus?.amount ?? fen(0),
        employeeContributions: current.employeeContributions,
        employerContributions: current.employerContributions,
        taxableYtd: current.taxableYtd,
        tax: current.tax,
        bonusTax: current.bonus?.tax ?? fen(0),
        net: current.net,
        employerCost: current.employerCost,
        ytd: JSON.stringify(Object.fromEntries(Object.entries(employee.totals).map(([k, v]) => [k, formatYuan(v as Fen)]))),
        details: JSON.stringify(netMonthToJson(current)),
      });
      if (rows.size === NET_ROWS_AT_ONCE) {
        await store(rows);
        rows = new Map();
      }
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push({
        employeeNo: slip.employeeNo,
        code: 'net_data_missing',
        message: `net pay not computed: ${error.problems.slice(0, 3).map(describeProblem).join('; ')}${error.problems.length > 3 ? ` and ${error.problems.length - 3} more` : ''}`,
      });
    }
  }
  if (rows.size > 0) await store(rows);
  return { problems };
}
