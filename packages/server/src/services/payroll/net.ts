import {
  type CarriedYear,
  cityMonth,
  describeProblem,
  employeeNet,
  type Fen,
  fen,
  fenOfYuanText,
  formatYuan,
  lastDayOf,
  type Month,
  monthParts,
  type NetEmployeeInput,
  netMonthToJson,
  type NetTotals,
  taxMonth,
  ValidationError,
  type YearToDate,
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

/**
 * What R-NET reads for the people of one id range: pay profiles, the year as the last locked run of
 * it left each person, the tax year's earlier gross, declared deductions, bonuses.
 */
export interface NetInputs {
  month: Month;
  year: number;
  profiles: Map<number, Profile>;
  carried: Map<number, CarriedYear>;
  /** Keyed by `earlierKey`. */
  earlierGross: Map<number, number>;
  special: Map<number, number>;
  bonuses: Map<number, { month: string; amount_fen: number; method: 'separate' | 'merged' }>;
}

/**
 * What a net row stores as the year to date: the year's totals, and the cumulative withholding
 * figures a Chinese payslip shows (累计收入, 累计减除费用, 累计专项扣除, 累计专项附加扣除,
 * 累计已预扣税额), which the next month continues from.
 */
export function yearToDateText(totals: NetTotals, withholding: YearToDate): string {
  const text: Record<string, string> = {};
  for (const [key, value] of Object.entries(totals)) text[key] = formatYuan(value as Fen);
  text.cumulativeIncome = formatYuan(withholding.income);
  text.cumulativeBasicDeduction = formatYuan(withholding.basicDeduction);
  text.basicDeductionMonths = String(withholding.basicMonths);
  text.cumulativeContributions = formatYuan(withholding.contributions);
  text.cumulativeSpecialAdditional = formatYuan(withholding.specialAdditional);
  text.cumulativeWithheld = formatYuan(withholding.withheld);
  return JSON.stringify(text);
}

const TOTAL_KEYS = ['gross', 'bonus', 'employeeContributions', 'employerContributions', 'employerCost', 'tax', 'bonusTax', 'net'] as const;

/** The year carried by a stored net row; undefined for a row stored before the withholding figures were (it is recomputed). */
function carriedYear(through: Month, ytdText: string): CarriedYear | undefined {
  const ytd = JSON.parse(ytdText) as Record<string, string | undefined>;
  const money = (key: string) => {
    const value = ytd[key];
    return value === undefined ? undefined : fenOfYuanText(value);
  };
  const totals: Partial<Record<(typeof TOTAL_KEYS)[number], Fen>> = {};
  for (const key of TOTAL_KEYS) {
    const value = money(key);
    if (value === undefined) return undefined;
    totals[key] = value;
  }
  const withholding = {
    income: money('cumulativeIncome'),
    basicDeduction: money('cumulativeBasicDeduction'),
    basicMonths: ytd.basicDeductionMonths === undefined ? undefined : Number(ytd.basicDeductionMonths),
    contributions: money('cumulativeContributions'),
    specialAdditional: money('cumulativeSpecialAdditional'),
    withheld: money('cumulativeWithheld'),
  };
  if (Object.values(withholding).some((value) => value === undefined)) return undefined;
  return { through, ytd: withholding as YearToDate, totals: totals as NetTotals };
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
  const inputs: NetInputs = { month, year, profiles, carried: new Map(), earlierGross: new Map(), special: new Map(), bonuses: new Map() };
  if (profiles.size === 0) return inputs;

  const lastLocked = await db
    .selectFrom('payroll_runs')
    .select(['id', 'month'])
    .where('status', '=', 'locked')
    .where('month', '>=', `${year}-01`)
    .where('month', '<', month)
    .orderBy('month', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (lastLocked) {
    const stored = await db
      .selectFrom('payslip_net as n')
      .innerJoin('payslips as p', 'p.id', 'n.payslip_id')
      .select(['p.employee_id', 'n.ytd'])
      .where('p.run_id', '=', lastLocked.id)
      .where('p.employee_id', '>=', range.from)
      .where('p.employee_id', '<=', range.to)
      .execute();
    for (const row of stored) {
      const carried = carriedYear(lastLocked.month as Month, row.ytd);
      if (carried) inputs.carried.set(row.employee_id, carried);
    }
  }

  // When everyone's year is carried, only the months after the locked run are read again.
  const everyoneCarried = lastLocked !== undefined && [...profiles.keys()].every((id) => inputs.carried.has(id));
  const after = everyoneCarried ? lastLocked.month : `${year}-00`; // months after this one: the carried month, or none of the year
  const earlier = await db
    .selectFrom('payslips as p')
    .innerJoin('payroll_runs as r', 'r.id', 'p.run_id')
    .select(['p.employee_id', 'r.month', 'p.gross_fen'])
    .where('r.month', '>', after)
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
 * R-NET for one payslip: the tax year continues from the person's net row in the last locked run
 * (what was withheld), or else starts in January or the hire month; the months after that are taken
 * from their runs' gross, with the declared special deductions and any annual bonus, through the
 * cumulative withholding engine. A person whose year cannot be completed is a problem, never a guess.
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
  // The year continues from the last locked run that paid the person since the hire, else it is
  // computed from the start with the earlier runs' gross.
  const stored = inputs.carried.get(slip.employeeId);
  const carried = stored && stored.through >= firstMonth ? stored : undefined;
  const declaredIn = (m: number) => inputs.special.get(earlierKey(slip.employeeId, m)) ?? 0;
  // Special additional deductions declared late for months already paid count in the first month computed.
  let lateDeclared = 0;
  if (carried) {
    for (let m = Number(firstMonth.slice(5, 7)); m <= monthParts(carried.through).month; m += 1) lateDeclared += declaredIn(m);
    lateDeclared -= carried.ytd.specialAdditional;
  }
  const months: NetEmployeeInput['months'] = [];
  const missing: string[] = [];
  const from = carried ? monthParts(carried.through).month + 1 : Number(firstMonth.slice(5, 7));
  for (let m = from; m <= monthParts(month).month; m += 1) {
    const key = `${year}-${String(m).padStart(2, '0')}` as Month;
    const gross = key === month ? slip.gross : inputs.earlierGross.get(earlierKey(slip.employeeId, m));
    if (gross === undefined) {
      missing.push(key);
      continue;
    }
    const declared = inputs.special.get(earlierKey(slip.employeeId, m));
    const special = m === from && lateDeclared !== 0 ? (declared ?? 0) + lateDeclared : declared;
    months.push({ month: key, gross: fen(gross), ...(special !== undefined ? { specialAdditional: fen(special) } : {}) });
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
    const employee = employeeNet(person, { city, tax }, carried);
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
        ytd: yearToDateText(employee.totals, current.ytd),
        details: JSON.stringify(netMonthToJson(current)),
      },
    };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const more = error.problems.length > 3 ? ` and ${error.problems.length - 3} more` : '';
    return problem('net_data_missing', `net pay not computed: ${error.problems.slice(0, 3).map(describeProblem).join('; ')}${more}`);
  }
}
