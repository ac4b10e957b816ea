import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { runNet } from './net.js';
import { testDirectory } from '../../../../../tests/support/temp-dir.js';

const workDir = testDirectory('ladder-net-');
const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

function write(name: string, data: unknown): string {
  writeFileSync(path.join(workDir, name), typeof data === 'string' ? data : JSON.stringify(data));
  return name;
}

interface MonthJson {
  month: string;
  tax: string;
  net: string;
  employeeContributions: string;
  employerContributions: string;
  taxableYtd: string;
  bonusTax?: string;
  explain: Record<string, { zh: string; en: string }>;
}
interface OutputJson {
  city: string;
  employees: { id: string; months: MonthJson[]; annualBonus: { cliff: { from: string; to: string } | null } | null }[];
  bonusCliffs: { from: string; to: string }[];
  dataNotes: { parameter: string; confidence: string }[];
}

function json(input: string, extra: { city?: string; cwd?: string } = {}): OutputJson {
  return JSON.parse(
    runNet({ input, format: 'json', cwd: extra.cwd ?? workDir, ...(extra.city ? { city: extra.city } : {}) }),
  ) as OutputJson;
}

/** The lines of the CliError runNet throws (exit status 2). */
function refusal(input: string, city?: string): string[] {
  try {
    runNet({ input, format: 'json', cwd: workDir, ...(city ? { city } : {}) });
  } catch (error) {
    if (error instanceof CliError) {
      expect(error.exitCode).toBe(2);
      return [...error.lines];
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

const employee = (months: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'E1', months, ...extra });
const month = (text: string, gross: number | string = 10000) => ({ month: text, gross });

describe('ladder net', () => {
  it('reproduces the official worked examples of the cumulative method', () => {
    const output = json(path.join(repoRoot, 'tests/net/official-examples.json'));
    expect(output.employees.map((e) => e.months.map((m) => m.tax))).toEqual([
      ['75.00', '75.00', '75.00'],
      ['555.00', '625.00', '1850.00'],
    ]);
    expect(output.employees[1]?.months.map((m) => m.taxableYtd)).toEqual(['18500.00', '37000.00', '55500.00']);
  });

  it('prints money as two-place strings and a bilingual explanation for each figure', () => {
    const output = json(write('one.json', { city: 'shanghai', employees: [employee([month('2025-12', 20000)])] }));
    const december = output.employees[0]?.months[0];
    expect(december).toMatchObject({
      employeeContributions: '3500.00',
      employerContributions: '6540.00',
      taxableYtd: '11500.00',
      tax: '345.00',
      net: '16155.00',
    });
    for (const key of ['contributionBase', 'employeeContributions', 'employerContributions', 'employerCost', 'taxableYtd', 'tax', 'net']) {
      expect(december?.explain[key]?.zh).toBeTruthy();
      expect(december?.explain[key]?.en).toBeTruthy();
    }
    expect(december?.bonusTax).toBeUndefined();
  });

  it('shows the bonus tax in the bonus month and the cliff the bonus is in', () => {
    const output = json(path.join(repoRoot, 'tests/net/beijing-bonus-cliff.json'));
    const [separate, merged] = output.employees;
    expect(separate?.months.map((m) => m.bonusTax)).toEqual(['3490.00', undefined, undefined]);
    expect(separate?.annualBonus?.cliff).toMatchObject({ from: '36000.01', to: '38566.67' });
    expect(merged?.months[0]?.bonusTax).toBe('0.00');
    expect(merged?.annualBonus?.cliff).toBeNull();
    expect(output.bonusCliffs[0]).toMatchObject({ from: '36000.01', to: '38566.67' });
  });

  it('runs the README example and renders it as a table', () => {
    const table = runNet({ input: 'examples/net-2025.json', format: 'table', cwd: repoRoot });
    expect(table).toContain('上海 Shanghai · 2025 · E001');
    expect(table).toContain('实发 Net');
    expect(table).toContain('36000.01–38566.67');
    expect(table).toMatch(/2025-01 +18000\.00 +3150\.00 +5886\.00 +6350\.00 +190\.50 +36000\.00 +1080\.00 +49579\.50/);
    expect(table).toContain('数据提示');
  });

  it('takes the city from --city (by code or name) over the input', () => {
    const input = write('city.json', { city: 'shanghai', employees: [employee([month('2025-09')])] });
    expect(json(input, { city: 'beijing' }).city).toBe('beijing');
    expect(json(input, { city: '北京' }).city).toBe('beijing');
    expect(json(write('nocity.json', { employees: [employee([month('2025-09')])] }), { city: 'Shanghai' }).city).toBe('shanghai');
  });

  it('lists the data values below official confidence', () => {
    // July–August 2025 keeps the Beijing housing-fund floor at one source (2SRC from 2025-09).
    const output = json(write('bj.json', { city: 'beijing', employees: [employee([month('2025-08')])] }));
    expect(output.dataNotes.find((n) => n.parameter === 'beijing.bases.housingFund.floor')?.confidence).toBe('1SRC');
  });
});

describe('ladder net refuses bad input, one line per problem', () => {
  it('non-consecutive months', () => {
    const input = write('gap.json', { city: 'shanghai', employees: [employee([month('2025-01'), month('2025-03')])] });
    expect(refusal(input)).toEqual([
      'gap.json: employees[0].months[1].month: must be 2025-02, the month after 2025-01: months must be consecutive, from the month of hire (or January)',
    ]);
  });

  it('months across two years', () => {
    const input = write('years.json', { city: 'shanghai', employees: [employee([month('2025-12'), month('2026-01')])] });
    expect(refusal(input)).toEqual([
      'years.json: employees[0].months[1].month: 2026-01 is not in 2025, the year of months[0]: give one tax year per employee (split the input by year)',
    ]);
  });

  it('an unknown city, in the input or on the command line', () => {
    const input = write('where.json', { city: 'atlantis', employees: [employee([month('2025-01')])] });
    expect(refusal(input)).toEqual(['where.json: city: unknown city "atlantis" (known: beijing, shanghai)']);
    expect(refusal(input, 'guangzhou')).toEqual(['--city: unknown city "guangzhou" (known: beijing, shanghai)']);
  });

  it('no city at all', () => {
    const input = write('none.json', { employees: [employee([month('2025-01')])] });
    expect(refusal(input)).toEqual(['none.json: city: is required (give "city" in the input or --city)']);
  });

  it('negative gross and unknown fields, all reported', () => {
    const input = write('bad.json', {
      city: 'shanghai',
      currency: 'CNY',
      employees: [employee([{ month: '2025-01', gross: -1, overtime: 3 }], { name: 'Li' })],
    });
    expect(refusal(input)).toEqual([
      'bad.json: currency: unknown field (expected one of: city, housingFundRate, workInjuryRate, employees)',
      'bad.json: employees[0].name: unknown field (expected one of: id, contributionBase, firstIncomeOfYear, months, annualBonus)',
      'bad.json: employees[0].months[0].overtime: unknown field (expected one of: month, gross, contributions, specialAdditional, contributionBase)',
      'bad.json: employees[0].months[0].gross: must be at least 0, got -1',
    ]);
  });

  it('a month with no rate data', () => {
    const input = write('nodata.json', { city: 'beijing', employees: [employee([month('2026-06'), month('2026-07')])] });
    const lines = refusal(input);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^nodata\.json: employees\[0\]\.months\[1\]\.month: no beijing contribution data for 2026-07: bases\.housingFund\.floor: unknown for 2026-07-01 … 2027-06-30: the Beijing housing-fund base floor from 2026-07 is not known \(no 2026 fund-centre notice found\); bases\.housingFund\.cap: unknown for 2026-07-01 … 2027-06-30: /,
    );
  });

  it('a month whose rate is recorded as unknown', () => {
    const input = write('unknown.json', { city: 'shanghai', employees: [employee([month('2024-06')])] });
    expect(refusal(input)[0]).toContain(
      'bases.socialInsurance.floor: unknown for 2023-07-01 … 2024-06-30: the Shanghai 2023 contribution-year base',
    );
  });

  it('a housing-fund rate outside the city’s range', () => {
    const input = write('hf.json', { city: 'shanghai', housingFundRate: 0.12, employees: [employee([month('2025-09')])] });
    expect(refusal(input)).toEqual(["hf.json: housingFundRate: 12% is outside shanghai's housing-fund range 5%–7% in 2025-09"]);
  });

  it('a file that is missing or not JSON', () => {
    expect(refusal('missing.json')).toEqual(['missing.json: no such file']);
    expect(refusal(write('broken.json', '{ "city": '))[0]).toMatch(/^broken\.json: .*not valid JSON/);
  });
});
