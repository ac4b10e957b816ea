import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Decimal, formatDecimal } from '../money/decimal.js';
import { formatYuan } from '../money/fen.js';
import type { Month } from '../period/period.js';
import { ValidationError } from '../validate/problems.js';
import { bracketFor, parseTaxTables, readTaxTables, taxMonth } from './tax-tables.js';

const source = readFileSync(new URL('../../policies/china/individual-income-tax.yaml', import.meta.url), 'utf8');

function problemsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('individual-income-tax.yaml', () => {
  const tables = parseTaxTables(source);

  it('holds the 7-bracket cumulative table of 公告2018年第61号', () => {
    const cumulative = tables.cumulative[0]?.value ?? [];
    expect(
      cumulative.map((b) => [b.upTo === null ? null : formatDecimal(b.upTo), formatDecimal(b.rate), formatDecimal(b.quickDeduction)]),
    ).toEqual([
      ['36000', '0.03', '0'],
      ['144000', '0.1', '2520'],
      ['300000', '0.2', '16920'],
      ['420000', '0.25', '31920'],
      ['660000', '0.3', '52920'],
      ['960000', '0.35', '85920'],
      [null, '0.45', '181920'],
    ]);
  });

  it('holds the monthly-converted bonus table, valid through 2027-12-31', () => {
    const entry = tables.annualBonus[0];
    expect(entry?.effectiveTo).toBe('2027-12-31');
    expect(entry?.value?.map((b) => formatDecimal(b.quickDeduction))).toEqual(['0', '210', '1410', '2660', '4410', '7160', '15160']);
  });

  it('gives 5000 a month of basic deduction from 2019 and no separate bonus table after 2027', () => {
    const month = taxMonth(tables, '2025-03' as Month);
    expect(month.found && formatYuan(month.month.basicDeduction)).toBe('5000.00');
    const late = taxMonth(tables, '2028-01' as Month);
    expect(late.found && late.month.annualBonus).toBe(null);
    expect(late.found && late.month.annualBonusUnavailable).toMatch(/no data for 2028-01/);
    const early = taxMonth(tables, '2018-12' as Month);
    expect(early.found).toBe(false);
  });

  it('treats a bracket bound as inclusive (不超过)', () => {
    const table = tables.cumulative[0]?.value ?? [];
    expect(bracketFor(table, new Decimal('36000')).index).toBe(0);
    expect(bracketFor(table, new Decimal('36000.01')).index).toBe(1);
    expect(bracketFor(table, new Decimal('5000000')).index).toBe(6);
    const bonus = tables.annualBonus[0]?.value ?? [];
    expect(bracketFor(bonus, new Decimal('36000'), 12).index).toBe(0);
    expect(bracketFor(bonus, new Decimal('36000.01'), 12).index).toBe(1);
  });
});

describe('reading tax tables', () => {
  const entry = (value: unknown, extra: Record<string, unknown> = {}) => [
    { effectiveFrom: '2019-01-01', value, source: 'test', confidence: 'OFF', ...extra },
  ];
  const good = [
    { upTo: 36000, rate: 0.03, quickDeduction: 0 },
    { rate: 0.1, quickDeduction: 2520 },
  ];

  it('checks every quick deduction against the bracket before it', () => {
    const problems = problemsOf(() =>
      readTaxTables({
        basicDeduction: entry(5000),
        cumulative: entry([
          { upTo: 36000, rate: 0.03, quickDeduction: 0 },
          { rate: 0.1, quickDeduction: 2250 },
        ]),
        annualBonus: entry(good),
      }),
    );
    expect(problems).toEqual(['cumulative[0].value[1].quickDeduction: must be 2520 = 0 + 36000 × (10% − 3%), got 2250']);
  });

  it('refuses an open bracket before the last, a bounded last bracket, falling rates and unknown keys', () => {
    const problems = problemsOf(() =>
      readTaxTables({
        basicDeduction: entry(5000),
        cumulative: entry([
          { rate: 0.03, quickDeduction: 0 },
          { upTo: 100, rate: 0.01, quickDeduction: 0 },
        ]),
        annualBonus: entry(good, { colour: 'red' }),
      }),
    );
    expect(problems).toEqual([
      'cumulative[0].value[0]: needs upTo; only the last bracket is open-ended',
      'cumulative[0].value[1].upTo: the last bracket must be open-ended (no upTo)',
      'cumulative[0].value[1].rate: must be greater than [0].rate 3%',
      'annualBonus[0].colour: unknown field (expected one of: effectiveFrom, effectiveTo, value, source, confidence, note)',
    ]);
  });

  it('names the line of a YAML syntax error', () => {
    expect(problemsOf(() => parseTaxTables('basicDeduction: [\n'))[0]).toMatch(/^line \d+, column \d+: /);
  });
});
