/**
 * R-NET income tax on wages by the cumulative withholding method (累计预扣法, 国家税务总局公告2018年第61号 art.6):
 *
 *   cumulative taxable = cumulative income − basic deduction × months − cumulative special deductions
 *                        (the employee's contributions) − cumulative special additional deductions
 *   this month's tax   = (cumulative taxable × rate − quick deduction) − tax already withheld this year
 *
 * A negative result withholds nothing this month (the excess is settled at the annual reconciliation).
 */
import { Decimal } from '../money/decimal.js';
import { addFen, type Fen, fen, fenToYuan, yuanToFen, ZERO_FEN } from '../money/fen.js';
import type { Bilingual } from '../policy/model.js';
import { figure, percent, UNEXPLAINED, yuan } from './explain.js';
import { type Bracket, bracketFor } from './tax-tables.js';

/** The year's running totals, all in fen. */
export interface YearToDate {
  income: Fen;
  basicDeduction: Fen;
  /** Months of the basic deduction so far. */
  basicMonths: number;
  contributions: Fen;
  specialAdditional: Fen;
  withheld: Fen;
}

export const START_OF_YEAR: YearToDate = {
  income: ZERO_FEN,
  basicDeduction: ZERO_FEN,
  basicMonths: 0,
  contributions: ZERO_FEN,
  specialAdditional: ZERO_FEN,
  withheld: ZERO_FEN,
};

export interface TaxOnTable {
  tax: Fen;
  bracket: Bracket;
  index: number;
}

/** amount × rate − quick deduction, rounded half-up to the fen, for a non-negative amount. */
export function taxOnTable(amount: Fen, table: readonly Bracket[]): TaxOnTable {
  const value = fenToYuan(amount);
  const { bracket, index } = bracketFor(table, value);
  const tax = yuanToFen(Decimal.max(value.times(bracket.rate).minus(bracket.quickDeduction), 0));
  return { tax, bracket, index };
}

export interface MonthForTax {
  /** Wages (and a merged annual bonus) of the month. */
  income: Fen;
  contributions: Fen;
  specialAdditional: Fen;
  /** The basic deduction per month in force. */
  basicDeductionPerMonth: Fen;
  /** Months of basic deduction this month adds: 1, or more for a first income of the year counted from January. */
  basicMonths: number;
}

export interface Withholding {
  ytd: YearToDate;
  /** Cumulative taxable income before flooring at 0 (may be negative). */
  taxableRaw: Fen;
  /** Cumulative taxable income, at least 0. */
  taxableYtd: Fen;
  bracket: Bracket;
  cumulativeTax: Fen;
  tax: Fen;
  explain: { taxableYtd: Bilingual; tax: Bilingual };
}

/** One month of cumulative withholding, given the year's totals before it. */
export function withholdMonth(previous: YearToDate, month: MonthForTax, table: readonly Bracket[], explained = true): Withholding {
  const basicAdded = fen(month.basicDeductionPerMonth * month.basicMonths);
  const income = addFen(previous.income, month.income);
  const basicDeduction = addFen(previous.basicDeduction, basicAdded);
  const basicMonths = previous.basicMonths + month.basicMonths;
  const contributions = addFen(previous.contributions, month.contributions);
  const specialAdditional = addFen(previous.specialAdditional, month.specialAdditional);
  const taxableRaw = fen(income - basicDeduction - contributions - specialAdditional);
  const taxableYtd = taxableRaw > 0 ? taxableRaw : ZERO_FEN;
  const { tax: cumulativeTax, bracket } = taxOnTable(taxableYtd, table);
  const due = cumulativeTax - previous.withheld;
  const tax = due > 0 ? fen(due) : ZERO_FEN;
  const withheld = addFen(previous.withheld, tax);
  const ytd = { income, basicDeduction, basicMonths, contributions, specialAdditional, withheld };
  if (!explained)
    return { ytd, taxableRaw, taxableYtd, bracket, cumulativeTax, tax, explain: { taxableYtd: UNEXPLAINED, tax: UNEXPLAINED } };

  const basicText = `${yuan(month.basicDeductionPerMonth)} × ${basicMonths}`;
  const arithmetic = `${yuan(income)} − ${yuan(basicDeduction)} − ${yuan(contributions)} − ${yuan(specialAdditional)} = ${yuan(taxableRaw)}`;
  const floored = taxableRaw < 0;
  const taxableExplain: Bilingual = {
    zh: `累计应纳税所得额 = 累计收入 − 累计减除费用(${basicText} 个月) − 累计专项扣除 − 累计专项附加扣除 = ${arithmetic}${floored ? ',按 0 计' : ''}`,
    en: `taxable income to date = income to date − basic deduction (${basicText} month${basicMonths === 1 ? '' : 's'}) − special deductions (contributions) to date − special additional deductions to date = ${arithmetic}${floored ? ', counted as 0' : ''}`,
  };
  const cumulativeText = `${yuan(taxableYtd)} × ${percent(bracket.rate)} − ${figure(bracket.quickDeduction)} = ${yuan(cumulativeTax)}`;
  const taxExplain: Bilingual =
    due >= 0
      ? {
          zh: `累计应预扣税额 ${cumulativeText};减已预扣 ${yuan(previous.withheld)},本月预扣 ${yuan(tax)}`,
          en: `tax due to date ${cumulativeText}; less ${yuan(previous.withheld)} already withheld, withheld this month ${yuan(tax)}`,
        }
      : {
          zh: `累计应预扣税额 ${cumulativeText},少于已预扣 ${yuan(previous.withheld)};本月不预扣(差额 ${yuan(fen(-due))} 在年度汇算时处理)`,
          en: `tax due to date ${cumulativeText} is less than the ${yuan(previous.withheld)} already withheld; nothing withheld this month (the ${yuan(fen(-due))} is settled at the annual reconciliation)`,
        };
  return {
    ytd,
    taxableRaw,
    taxableYtd,
    bracket,
    cumulativeTax,
    tax,
    explain: { taxableYtd: taxableExplain, tax: taxExplain },
  };
}

export interface AnnualTaxInput {
  income: Fen;
  contributions: Fen;
  specialAdditional: Fen;
  /** The year's basic deduction: 60000.00 for a full year. */
  basicDeduction: Fen;
}

/** Tax on a year's comprehensive wage income on the same table (the annual reconciliation's figure). */
export function annualTax(input: AnnualTaxInput, table: readonly Bracket[]): { taxable: Fen; tax: Fen } {
  const raw = input.income - input.basicDeduction - input.contributions - input.specialAdditional;
  const taxable = raw > 0 ? fen(raw) : ZERO_FEN;
  return { taxable, tax: taxOnTable(taxable, table).tax };
}
