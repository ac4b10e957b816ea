/**
 * R-NET gross to net for China, one tax year per employee:
 *   net pay       = gross (+ annual bonus) − employee contributions − tax (− separate bonus tax)
 *   employer cost = gross (+ annual bonus) + employer contributions
 * Every month's data is resolved first; a month without data (or whose data is unknown) is
 * refused with the reason, never guessed.
 */
import { addFen, type Fen, fen, ZERO_FEN } from '../money/fen.js';
import { monthParts, type Month } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import { type PathSegment, type Problem, formatPath, ValidationError } from '../validate/problems.js';
import { type BonusCliff, bonusCliffs, cliffContaining, separateBonusTax } from './annual-bonus.js';
import { type CityMonth, cityMonth, type CityRates } from './city-rates.js';
import { type BaseSource, computeContributions, type Contributions, contributionBase } from './contributions.js';
import { START_OF_YEAR, withholdMonth, type YearToDate } from './cumulative-tax.js';
import { percent, UNEXPLAINED, yuan } from './explain.js';
import type { BonusMethod, NetEmployeeInput, NetInput, NetMonthInput } from './input.js';
import type { UsedValue } from './series.js';
import { type TaxMonth, taxMonth, type TaxTables } from './tax-tables.js';

export interface NetData {
  city: CityRates;
  tax: TaxTables;
}

export interface NetMonthResult {
  month: Month;
  gross: Fen;
  /** The annual one-time bonus paid this month, if any. */
  bonus: { amount: Fen; method: BonusMethod; tax: Fen; explain: Bilingual } | null;
  specialAdditional: Fen;
  contributions: Contributions;
  employeeContributions: Fen;
  employerContributions: Fen;
  employerCost: Fen;
  taxableYtd: Fen;
  tax: Fen;
  net: Fen;
  /** Cumulative withholding after this month: what the next month carries forward. */
  ytd: YearToDate;
  explain: {
    contributionBase: Bilingual;
    employeeContributions: Bilingual;
    employerContributions: Bilingual;
    employerCost: Bilingual;
    taxableYtd: Bilingual;
    tax: Bilingual;
    net: Bilingual;
  };
}

export interface NetTotals {
  gross: Fen;
  bonus: Fen;
  employeeContributions: Fen;
  employerContributions: Fen;
  employerCost: Fen;
  tax: Fen;
  bonusTax: Fen;
  net: Fen;
}

/**
 * The tax year up to an earlier month as that month's payslip left it — income, deductions and tax
 * actually withheld — so the months after it continue from what was paid rather than from a
 * recomputation (累计已预扣预缴税额 is the tax withheld, whatever the data says today).
 */
export interface CarriedYear {
  /** The last month it covers; the months to compute come after it. */
  through: Month;
  ytd: YearToDate;
  totals: NetTotals;
}

export interface BonusSummary {
  month: Month;
  amount: Fen;
  method: BonusMethod;
  /** Tax over the months given (wage withholding + separate bonus tax) under the chosen method. */
  yearTax: Fen;
  /** The same year under the other method, when it is available. */
  alternative: { method: BonusMethod; yearTax: Fen } | { method: BonusMethod; unavailable: string };
  /** The cliff of the separate method the bonus falls in, if it is taxed separately and does. */
  cliff: BonusCliff | null;
  explain: Bilingual;
}

export interface EmployeeNetResult {
  id: string;
  year: number;
  firstIncomeOfYear: boolean;
  months: NetMonthResult[];
  totals: NetTotals;
  bonus: BonusSummary | null;
}

export interface NetResult {
  city: string;
  cityName: Bilingual;
  employees: EmployeeNetResult[];
  /** The cliff ranges of the separate bonus table, when some employee has a bonus and the table applies. */
  bonusCliffs: BonusCliff[];
  /** Data values used whose confidence is below OFF (official): verify before relying on them. */
  dataNotes: UsedValue[];
}

interface ResolvedMonth {
  input: NetMonthInput;
  city: CityMonth;
  tax: TaxMonth;
}

const METHOD_NAMES: Record<BonusMethod, Bilingual> = {
  separate: { zh: '单独计税', en: 'taxed separately' },
  merged: { zh: '并入综合所得', en: 'merged into wages' },
};

function other(method: BonusMethod): BonusMethod {
  return method === 'separate' ? 'merged' : 'separate';
}

/** Resolves every month's data; collects a problem for each month or option the data cannot serve. */
function resolve(input: NetInput, data: NetData): ResolvedMonth[][] {
  const problems: Problem[] = [];
  const report = (path: readonly PathSegment[], message: string) => problems.push({ path: formatPath(path), message });
  const options = {
    ...(input.housingFundRate !== undefined ? { housingFundRate: input.housingFundRate } : {}),
    ...(input.workInjuryRate !== undefined ? { workInjuryRate: input.workInjuryRate } : {}),
  };
  const rangeProblems = new Set<string>();
  const resolved = input.employees.map((person, index) =>
    person.months.flatMap((entry, m) => {
      const at: PathSegment[] = ['employees', index, 'months', m, 'month'];
      const city = cityMonth(data.city, entry.month, options);
      const tax = taxMonth(data.tax, entry.month);
      if (!city.found) report(at, `no ${data.city.city} contribution data for ${entry.month}: ${city.missing.join('; ')}`);
      if (!tax.found) report(at, `no income-tax table for ${entry.month}: ${tax.missing.join('; ')}`);
      if (!city.found || !tax.found) return [];
      const range = city.month.housingFund.range;
      const hfRate = input.housingFundRate;
      if (hfRate !== undefined && (hfRate.lessThan(range.min) || hfRate.greaterThan(range.max))) {
        rangeProblems.add(
          `${percent(hfRate)} is outside ${data.city.city}'s housing-fund range ${percent(range.min)}–${percent(range.max)} in ${entry.month}`,
        );
      }
      const bonus = person.annualBonus;
      if (bonus?.month === entry.month && bonus.method === 'separate' && tax.month.annualBonus === null) {
        report(
          ['employees', index, 'annualBonus', 'method'],
          `the separate method is not available in ${entry.month} (${tax.month.annualBonusUnavailable ?? 'no table'}): use merged`,
        );
      }
      return [{ input: entry, city: city.month, tax: tax.month }];
    }),
  );
  for (const message of rangeProblems) report(['housingFundRate'], message);
  if (problems.length > 0) throw new ValidationError(problems, 'cannot compute net pay');
  return resolved;
}

function baseFor(person: NetEmployeeInput, entry: NetMonthInput): { declared: Fen; from: BaseSource } {
  if (entry.contributionBase !== undefined) return { declared: entry.contributionBase, from: 'month' };
  if (person.contributionBase !== undefined) return { declared: person.contributionBase, from: 'employee' };
  return { declared: entry.gross, from: 'gross' };
}

function describeNet(gross: Fen, bonus: Fen | null, contributions: Fen, tax: Fen, bonusTax: Fen | null, net: Fen): Bilingual {
  const zh = [`应发 ${yuan(gross)}`];
  const en = [`gross ${yuan(gross)}`];
  if (bonus !== null) {
    zh.push(`+ 奖金 ${yuan(bonus)}`);
    en.push(`+ bonus ${yuan(bonus)}`);
  }
  zh.push(`− 个人缴费 ${yuan(contributions)}`, `− 个税 ${yuan(tax)}`);
  en.push(`− employee contributions ${yuan(contributions)}`, `− tax ${yuan(tax)}`);
  if (bonusTax !== null && bonusTax !== 0) {
    zh.push(`− 奖金个税 ${yuan(bonusTax)}`);
    en.push(`− bonus tax ${yuan(bonusTax)}`);
  }
  return { zh: `实发 = ${zh.join(' ')} = ${yuan(net)}`, en: `net = ${en.join(' ')} = ${yuan(net)}` };
}

const NOTHING_EXPLAINED: NetMonthResult['explain'] = {
  contributionBase: UNEXPLAINED,
  employeeContributions: UNEXPLAINED,
  employerContributions: UNEXPLAINED,
  employerCost: UNEXPLAINED,
  taxableYtd: UNEXPLAINED,
  tax: UNEXPLAINED,
  net: UNEXPLAINED,
};

/**
 * The year month by month, from the start of the year or from a carried earlier month; months
 * before `explainFrom` (an index) carry the year forward without explanations.
 */
function computeYear(
  person: NetEmployeeInput,
  months: ResolvedMonth[],
  method: BonusMethod | undefined,
  explainFrom = 0,
  carried?: CarriedYear,
): NetMonthResult[] {
  let ytd: YearToDate = carried?.ytd ?? START_OF_YEAR;
  return months.map((resolved, index) => {
    const explained = index >= explainFrom;
    const entry = resolved.input;
    const base = baseFor(person, entry);
    const contributions = computeContributions(
      resolved.city,
      contributionBase(resolved.city, base.declared, base.from, explained),
      entry.contributions,
      explained,
    );
    const bonusInput = person.annualBonus?.month === entry.month ? person.annualBonus : undefined;
    const bonusMethod = bonusInput ? (method ?? bonusInput.method) : undefined;
    const merged = bonusInput !== undefined && bonusMethod === 'merged' ? bonusInput.amount : ZERO_FEN;
    const specialAdditional = entry.specialAdditional ?? ZERO_FEN;
    const firstMonthNumber = monthParts(entry.month).month;
    const basicMonths = index === 0 && !carried && person.firstIncomeOfYear === true ? firstMonthNumber : 1;
    const withholding = withholdMonth(
      ytd,
      {
        income: addFen(entry.gross, merged),
        contributions: contributions.employee,
        specialAdditional,
        basicDeductionPerMonth: resolved.tax.basicDeduction,
        basicMonths,
      },
      resolved.tax.cumulative,
      explained,
    );
    ytd = withholding.ytd;

    let bonus: NetMonthResult['bonus'] = null;
    if (bonusInput !== undefined && bonusMethod !== undefined) {
      if (bonusMethod === 'separate') {
        const table = resolved.tax.annualBonus;
        if (table === null) throw new RangeError(`the separate bonus table is not available in ${entry.month}`);
        const separate = separateBonusTax(bonusInput.amount, table);
        bonus = { amount: bonusInput.amount, method: 'separate', tax: separate.tax, explain: separate.explain };
      } else {
        bonus = {
          amount: bonusInput.amount,
          method: 'merged',
          tax: ZERO_FEN,
          explain: {
            zh: `全年一次性奖金 ${yuan(bonusInput.amount)} 并入本月综合所得,按累计预扣法计税,税款已含在本月个税中`,
            en: `annual bonus ${yuan(bonusInput.amount)} merged into this month's wages and taxed by the cumulative method; its tax is part of this month's tax`,
          },
        };
      }
    }
    const bonusAmount = bonus?.amount ?? ZERO_FEN;
    const bonusTax = bonus?.tax ?? ZERO_FEN;
    const net = fen(entry.gross + bonusAmount - contributions.employee - withholding.tax - bonusTax);
    const employerCost = addFen(entry.gross, bonusAmount, contributions.employer);
    const figures = {
      month: entry.month,
      gross: entry.gross,
      bonus,
      specialAdditional,
      contributions,
      employeeContributions: contributions.employee,
      employerContributions: contributions.employer,
      employerCost,
      taxableYtd: withholding.taxableYtd,
      tax: withholding.tax,
      net,
      ytd,
    };
    if (!explained) return { ...figures, explain: NOTHING_EXPLAINED };
    const bonusText = bonus ? { zh: ` + 奖金 ${yuan(bonusAmount)}`, en: ` + bonus ${yuan(bonusAmount)}` } : { zh: '', en: '' };
    return {
      ...figures,
      explain: {
        contributionBase: contributions.base.explain,
        employeeContributions: contributions.explain.employee,
        employerContributions: contributions.explain.employer,
        employerCost: {
          zh: `单位成本 = 应发 ${yuan(entry.gross)}${bonusText.zh} + 单位缴费 ${yuan(contributions.employer)} = ${yuan(employerCost)}`,
          en: `employer cost = gross ${yuan(entry.gross)}${bonusText.en} + employer contributions ${yuan(contributions.employer)} = ${yuan(employerCost)}`,
        },
        taxableYtd: withholding.explain.taxableYtd,
        tax: withholding.explain.tax,
        net: describeNet(entry.gross, bonus ? bonusAmount : null, contributions.employee, withholding.tax, bonus ? bonusTax : null, net),
      },
    };
  });
}

/** The totals of the months computed, added to the carried year's when there is one. */
function totalsOf(months: readonly NetMonthResult[], carried?: CarriedYear): NetTotals {
  const before = carried?.totals;
  const total = (pick: (m: NetMonthResult) => Fen, carriedTotal: Fen = ZERO_FEN) => addFen(carriedTotal, ...months.map(pick));
  return {
    gross: total((m) => m.gross, before?.gross),
    bonus: total((m) => m.bonus?.amount ?? ZERO_FEN, before?.bonus),
    employeeContributions: total((m) => m.employeeContributions, before?.employeeContributions),
    employerContributions: total((m) => m.employerContributions, before?.employerContributions),
    employerCost: total((m) => m.employerCost, before?.employerCost),
    tax: total((m) => m.tax, before?.tax),
    bonusTax: total((m) => m.bonus?.tax ?? ZERO_FEN, before?.bonusTax),
    net: total((m) => m.net, before?.net),
  };
}

function yearTax(totals: NetTotals): Fen {
  return addFen(totals.tax, totals.bonusTax);
}

/** The annual bonus against the other method; null without a bonus among the months computed (one carried is already paid). */
function summariseBonus(
  person: NetEmployeeInput,
  months: ResolvedMonth[],
  chosen: NetMonthResult[],
  carried?: CarriedYear,
): BonusSummary | null {
  const bonus = person.annualBonus;
  if (bonus === undefined || (carried && bonus.month <= carried.through)) return null;
  const chosenTax = yearTax(totalsOf(chosen, carried));
  const otherMethod = other(bonus.method);
  const bonusMonth = months.find((m) => m.input.month === bonus.month);
  const table = bonusMonth?.tax.annualBonus ?? null;
  const alternative: BonusSummary['alternative'] =
    otherMethod === 'separate' && table === null
      ? { method: otherMethod, unavailable: bonusMonth?.tax.annualBonusUnavailable ?? 'no table' }
      : { method: otherMethod, yearTax: yearTax(totalsOf(computeYear(person, months, otherMethod, months.length, carried), carried)) };
  const cliff = bonus.method === 'separate' && table !== null ? (cliffContaining(bonus.amount, bonusCliffs(table)) ?? null) : null;
  const chosenName = METHOD_NAMES[bonus.method];
  const otherName = METHOD_NAMES[otherMethod];
  let zh = `全年一次性奖金 ${yuan(bonus.amount)}(${bonus.month})${chosenName.zh},所列月份个税合计 ${yuan(chosenTax)}`;
  let en = `annual bonus ${yuan(bonus.amount)} (${bonus.month}) ${chosenName.en}: tax over the months given ${yuan(chosenTax)}`;
  if ('yearTax' in alternative) {
    const difference = alternative.yearTax - chosenTax;
    const change =
      difference === 0
        ? { zh: '相同', en: 'the same' }
        : difference > 0
          ? { zh: `多 ${yuan(fen(difference))}`, en: `${yuan(fen(difference))} more` }
          : { zh: `少 ${yuan(fen(-difference))}`, en: `${yuan(fen(-difference))} less` };
    zh += `;若${otherName.zh},合计 ${yuan(alternative.yearTax)}(${change.zh})`;
    en += `; ${otherName.en} it would be ${yuan(alternative.yearTax)} (${change.en})`;
  } else {
    zh += `;${otherName.zh}不可用(${alternative.unavailable})`;
    en += `; ${otherName.en} is not available (${alternative.unavailable})`;
  }
  if (cliff) {
    const net = fen(bonus.amount - separateBonusTax(bonus.amount, table ?? []).tax);
    const lost = fen(cliff.netAtThreshold - net);
    zh += `;注意:奖金处于临界区间 ${yuan(cliff.from)}–${yuan(cliff.to)},发 ${yuan(cliff.threshold)} 税后反而多 ${yuan(lost)}`;
    en += `; note: the bonus is in the cliff ${yuan(cliff.from)}–${yuan(cliff.to)}: a bonus of ${yuan(cliff.threshold)} would net ${yuan(lost)} more`;
  }
  return { month: bonus.month, amount: bonus.amount, method: bonus.method, yearTax: chosenTax, alternative, cliff, explain: { zh, en } };
}

// The notes of one city's (or the tax tables') month, named in full: made once per shared month.
const notesOfMonth = new WeakMap<CityMonth | TaxMonth, UsedValue[]>();
function notesOf(month: CityMonth | TaxMonth, source: string): UsedValue[] {
  let notes = notesOfMonth.get(month);
  if (!notes) {
    notes = month.used.filter((used) => used.confidence !== 'OFF').map((used) => ({ ...used, parameter: `${source}.${used.parameter}` }));
    notesOfMonth.set(month, notes);
  }
  return notes;
}

function dataNotes(resolved: ResolvedMonth[][], city: string): UsedValue[] {
  const notes = new Map<string, UsedValue>();
  for (const months of resolved) {
    for (const month of months) {
      for (const used of [...notesOf(month.city, city), ...notesOf(month.tax, 'individual-income-tax')]) {
        const key = `${used.parameter}@${used.effectiveFrom}`;
        if (!notes.has(key)) notes.set(key, used);
      }
    }
  }
  return [...notes.values()].sort((a, b) =>
    a.parameter === b.parameter ? a.effectiveFrom.localeCompare(b.effectiveFrom) : a.parameter.localeCompare(b.parameter),
  );
}

function yearOf(person: NetEmployeeInput, months: ResolvedMonth[], explainFrom = 0, carried?: CarriedYear): EmployeeNetResult {
  const results = computeYear(person, months, undefined, explainFrom, carried);
  const first = person.months[0];
  return {
    id: person.id,
    year: first ? monthParts(first.month).year : 0,
    firstIncomeOfYear: person.firstIncomeOfYear === true,
    months: results,
    totals: totalsOf(results, carried),
    bonus: summariseBonus(person, months, results, carried),
  };
}

/**
 * One employee's year as `grossToNet` computes it, without what concerns a whole input (data notes,
 * bonus cliffs), and with only the last month explained — the earlier ones carry the year forward
 * with the same figures and empty explanations: what a payroll run stores for each person. With
 * `carried`, the year continues from an earlier month's stored figures and `person.months` are
 * the months after it (totals cover the whole year). Throws ValidationError the same way.
 */
export function employeeNet(person: NetEmployeeInput, data: NetData, carried?: CarriedYear): EmployeeNetResult {
  const early = carried && person.months.find((m) => m.month <= carried.through);
  if (early) throw new RangeError(`${person.id}: ${early.month} is already carried (through ${carried.through})`);
  if (carried && monthParts(carried.through).year !== monthParts(person.months[0]?.month ?? carried.through).year) {
    throw new RangeError(`${person.id}: the year carried from ${carried.through} is another tax year`);
  }
  const months = resolve({ employees: [person] }, data)[0] ?? [];
  return yearOf(person, months, months.length - 1, carried);
}

/** Computes every employee's year; throws ValidationError naming each month or option the data cannot serve. */
export function grossToNet(input: NetInput, data: NetData): NetResult {
  const resolved = resolve(input, data);
  const employees = input.employees.map((person, index) => yearOf(person, resolved[index] ?? []));
  const bonusTable = input.employees
    .flatMap((person, index) =>
      person.annualBonus ? (resolved[index] ?? []).filter((m) => m.input.month === person.annualBonus?.month) : [],
    )
    .map((m) => m.tax.annualBonus)
    .find((table) => table !== null);
  return {
    city: data.city.city,
    cityName: data.city.name,
    employees,
    bonusCliffs: bonusTable ? bonusCliffs(bonusTable) : [],
    dataNotes: dataNotes(resolved, data.city.city),
  };
}
