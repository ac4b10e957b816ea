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
import type { EmployeeRange } from '../employees.js';
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

/** Whether the department uses gross to net for this month: someone has a pay profile by its last day. */
export async function netPayInUse(db: Db, month: Month): Promise<boolean> {
  const row = await db
    .selectFrom('pay_profiles')
    .select('employee_id')
    .where('effective_from', '<=', lastDayOf(month))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

interface Profile {
  city: string;
  contribution_base_fen: number | null;
  first_income_of_year: number;
}

/** What R-NET reads for the people of one id range: pay profiles, the tax year's earlier gross, declared deductions, bonuses. */
export interface NetInputs {
  month: Month;
  year: number;
  profiles: Map<number, Profile>;
  /** Keyed by `earlierKey`. */
  earlierGross: Map<number, number>;
  special: Map<number, number>;
  bonuses: Map<number, { month: string; amount_fen: number; method: 'separate' | 'merged' }>;
}

// An employee and a month of the tax year as one number: ids stay far below 2⁵³ ÷ 16.
const earlierKey = (employeeId: number, monthNumber: number) => employeeId * 16 + monthNumber;

export async function gatherNetInputs(db: Db, month: Month, range: EmployeeRange): Promise<NetInputs> {
  const { year } = monthParts(month);
  const profiles = new Map<number, Profile>();
  const profileRows = await db
    .selectFrom('pay_profiles')
    .select(['employee_id', 'city', 'contribution_base_fen', 'first_income_of_year'])
    .where('employee_id', '>=', range.from)
    .where('employee_id', '<=', range.to)
    .where('effective_from', '<=', lastDayOf(month))
    .orderBy('effective_from')
    .execute();
  for (const row of profileRows) profiles.set(row.employee_id, row);
  const inputs: NetInputs = { month, year, profiles, earlierGross: new Map(), special: new Map(), bonuses: new Map() };
  if (profiles.size === 0) return inputs;

  const earlier = await db
    .selectFrom('payslips as p')
    .innerJoin('payroll_runs as r', 'r.id', 'p.run_id')
    .select(['p.employee_id', 'r.month', 'p.gross_fen'])
    .where('r.month', '>=', `${year}-01`)
    .where('r.month', '<', month)
    .where('p.employee_id', '>=', range.from)
    .where('p.employee_id', '<=', range.to)
    .execute();
  for (const row of earlier) inputs.earlierGross.set(earlierKey(row.employee_id, monthParts(row.month as Month).month), row.gross_fen);
  const specialRows = await db
    .selectFrom('special_deductions')
    .select(['employee_id', 'month', 'amount_fen'])
    .where('employee_id', '>=', range.from)
    .where('employee_id', '<=', range.to)
    .where('month', '>=', `${year}-01`)
    .where('month', '<=', month)
    .execute();
  for (const row of specialRows) inputs.special.set(earlierKey(row.employee_id, monthParts(row.month as Month).month), row.amount_fen);
  const bonusRows = await db
    .selectFrom('annual_bonuses')
    .select(['employee_id', 'month', 'amount_fen', 'method'])
    .where('employee_id', '>=', range.from)
    .where('employee_id', '<=', range.to)
    .where('year', '=', year)
    .where('month', '<=', month)
    .execute();
  for (const row of bonusRows) inputs.bonuses.set(row.employee_id, row);
  return inputs;
}

/**
 * R-NET for one payslip: the tax year so far (January or the hire month through this month) is
 * taken from the earlier runs' gross, the declared special deductions and any annual bonus, and
 * run through the cumulative withholding engine. A person whose year cannot be completed is a
 * problem, never a guess.
 */
export function netOfSlip(inputs: NetInputs, slip: GrossOfMonth): { row: NetRow } | { problem: RunProblem } {
  const { month, year } = inputs;
  const problem = (code: RunProblem['code'], message: string) => ({ problem: { employeeNo: slip.employeeNo, code, message } });
  const profile = inputs.profiles.get(slip.employeeId);
  if (!profile)
    return problem('pay_profile_missing', `no pay profile (city, contribution base, bank account) for ${month}; net pay not computed`);
  const city = cityRates(profile.city);
  if (!city) return problem('net_data_missing', `no social-insurance data for city "${profile.city}"`);
  const tax = nationalTaxTables();

  const firstMonth = slip.hiredOn.slice(0, 7) > `${year}-01` ? slip.hiredOn.slice(0, 7) : `${year}-01`;
  const months: NetEmployeeInput['months'] = [];
  const missing: string[] = [];
  for (let m = Number(firstMonth.slice(5, 7)); m <= monthParts(month).month; m += 1) {
    const key = `${year}-${String(m).padStart(2, '0')}` as Month;
    const gross = key === month ? slip.gross : inputs.earlierGross.get(earlierKey(slip.employeeId, m));
    if (gross === undefined) {
      missing.push(key);
      continue;
    }
    const declared = inputs.special.get(earlierKey(slip.employeeId, m));
    months.push({ month: key, gross: fen(gross), ...(declared !== undefined ? { specialAdditional: fen(declared) } : {}) });
  }
  if (missing.length > 0) {
    return problem(
      'net_history_missing',
      `no payslip for ${missing.join(', ')} of the tax year; net pay needs every month since ${firstMonth}`,
    );
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
    return problem(
      'net_data_missing',
      `net pay not computed: no ${profile.city} contribution or income-tax data for ${gaps.map((g) => g.month).join(', ')} (${first.lacking[0]}${more})`,
    );
  }
  const bonus = inputs.bonuses.get(slip.employeeId);
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
    if (!current) throw new Error(`net pay of ${slip.employeeNo} has no month`);
    return {
      row: {
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
      },
    };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const more = error.problems.length > 3 ? ` and ${error.problems.length - 3} more` : '';
    return problem('net_data_missing', `net pay not computed: ${error.problems.slice(0, 3).map(describeProblem).join('; ')}${more}`);
  }
}
