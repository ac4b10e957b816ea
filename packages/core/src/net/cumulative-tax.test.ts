import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Fen, formatYuan, yuanToFen } from '../money/fen.js';
import { annualTax, START_OF_YEAR, withholdMonth, type YearToDate } from './cumulative-tax.js';
import { parseTaxTables } from './tax-tables.js';

const tables = parseTaxTables(readFileSync(new URL('../../policies/china/individual-income-tax.yaml', import.meta.url), 'utf8'));
const table = tables.cumulative[0]?.value ?? [];
const y = (yuan: string | number): Fen => yuanToFen(yuan);

interface Month {
  gross: number;
  contributions: number;
  special: number;
  basicMonths?: number;
}

function run(months: Month[]): { taxes: string[]; taxable: string[]; ytd: YearToDate } {
  let ytd = START_OF_YEAR;
  const taxes: string[] = [];
  const taxable: string[] = [];
  for (const month of months) {
    const result = withholdMonth(
      ytd,
      {
        income: y(month.gross),
        contributions: y(month.contributions),
        specialAdditional: y(month.special),
        basicDeductionPerMonth: y(5000),
        basicMonths: month.basicMonths ?? 1,
      },
      table,
    );
    ytd = result.ytd;
    taxes.push(formatYuan(result.tax));
    taxable.push(formatYuan(result.taxableYtd));
  }
  return { taxes, taxable, ytd };
}

describe('cumulative withholding (累计预扣法)', () => {
  it('reproduces official example A: 10000 wage, 1500 contributions, 1000 special additional → 75 a month', () => {
    const month = { gross: 10000, contributions: 1500, special: 1000 };
    expect(run([month, month, month]).taxes).toEqual(['75.00', '75.00', '75.00']);
  });

  it('reproduces official example B: 30000 wage, 4500 contributions, 2000 special additional → 555, 625, 1850', () => {
    const month = { gross: 30000, contributions: 4500, special: 2000 };
    const { taxes, taxable } = run([month, month, month]);
    expect(taxes).toEqual(['555.00', '625.00', '1850.00']);
    expect(taxable).toEqual(['18500.00', '37000.00', '55500.00']);
  });

  it('withholds nothing when the cumulative tax falls below what was withheld, and catches up later', () => {
    const { taxes, ytd } = run([
      { gross: 40000, contributions: 0, special: 0 },
      { gross: 0, contributions: 0, special: 0 },
      { gross: 20000, contributions: 0, special: 0 },
    ]);
    // Jan: 35000 × 3% = 1050. Feb: 30000 × 3% = 900 < 1050 → 0. Mar: 45000 × 10% − 2520 = 1980 − 1050 = 930.
    expect(taxes).toEqual(['1050.00', '0.00', '930.00']);
    expect(formatYuan(ytd.withheld)).toBe('1980.00');
  });

  it('counts a negative cumulative taxable income as 0 and explains it', () => {
    const result = withholdMonth(
      START_OF_YEAR,
      { income: y(3000), contributions: y(300), specialAdditional: y(0), basicDeductionPerMonth: y(5000), basicMonths: 1 },
      table,
    );
    expect(formatYuan(result.taxableRaw)).toBe('-2300.00');
    expect(formatYuan(result.taxableYtd)).toBe('0.00');
    expect(result.explain.taxableYtd.zh).toContain('= -2300.00,按 0 计');
    expect(result.explain.taxableYtd.en).toContain('counted as 0');
  });

  it('gives a first income of the year the basic deduction from January (公告2020年第13号)', () => {
    // Hired in July with no earlier income: July counts 7 months of basic deduction.
    const { taxes } = run([
      { gross: 40000, contributions: 0, special: 0, basicMonths: 7 },
      { gross: 40000, contributions: 0, special: 0 },
    ]);
    // Jul: 40000 − 35000 = 5000 × 3% = 150. Aug: 80000 − 40000 = 40000 × 10% − 2520 = 1480 − 150 = 1330.
    expect(taxes).toEqual(['150.00', '1330.00']);
  });

  it('rounds the cumulative tax half-up to the fen', () => {
    // 1234.56 × 3% = 37.0368 → 37.04
    expect(run([{ gross: 6234.56, contributions: 0, special: 0 }]).taxes).toEqual(['37.04']);
  });

  it('matches the annual tax on the same totals for a steady year', () => {
    const month = { gross: 23456.78, contributions: 2345.67, special: 3000 };
    const { ytd } = run(Array.from({ length: 12 }, () => month));
    const annual = annualTax(
      { income: ytd.income, contributions: ytd.contributions, specialAdditional: ytd.specialAdditional, basicDeduction: y(60000) },
      table,
    );
    expect(formatYuan(ytd.withheld)).toBe(formatYuan(annual.tax));
  });
});
