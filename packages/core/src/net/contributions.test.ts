import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.js';
import { type Fen, formatYuan, yuanToFen } from '../money/fen.js';
import type { Month } from '../period/period.js';
import { type CityMonth, type CityMonthOptions, cityMonth, parseCityRates } from './city-rates.js';
import { computeContributions, contributionBase } from './contributions.js';

const load = (city: string) => parseCityRates(readFileSync(new URL(`../../policies/china/${city}.yaml`, import.meta.url), 'utf8'));
const cities = { shanghai: load('shanghai'), beijing: load('beijing') };

function city(name: keyof typeof cities, month: string, options: CityMonthOptions = {}): CityMonth {
  const found = cityMonth(cities[name], month as Month, options);
  if (!found.found) throw new Error(found.missing.join('; '));
  return found.month;
}

function contributions(name: keyof typeof cities, month: string, base: string, given?: Fen, options: CityMonthOptions = {}) {
  const data = city(name, month, options);
  return computeContributions(data, contributionBase(data, yuanToFen(base), 'employee'), given);
}

const amounts = (result: ReturnType<typeof contributions>) =>
  Object.fromEntries(result.lines.map((line) => [line.code, formatYuan(line.amount)]));

describe('contributions', () => {
  it('reproduces the hand-computed Shanghai payslip of December 2025 (research §4.4)', () => {
    const result = contributions('shanghai', '2025-12', '20000');
    expect(amounts(result)).toEqual({
      pension_employee: '1600.00',
      medical_employee: '400.00',
      unemployment_employee: '100.00',
      housingFund_employee: '1400.00',
      pension_employer: '3200.00',
      medical_employer: '1800.00',
      unemployment_employer: '100.00',
      workInjury_employer: '40.00',
      housingFund_employer: '1400.00',
    });
    expect(formatYuan(result.employee)).toBe('3500.00');
    expect(formatYuan(result.employer)).toBe('6540.00');
  });

  it('adds Beijing’s fixed 3 yuan and 9.8% employer medical', () => {
    const result = contributions('beijing', '2025-09', '10000');
    expect(amounts(result)).toMatchObject({
      medical_employee: '200.00',
      medical_fixed_employee: '3.00',
      housingFund_employee: '1200.00',
      medical_employer: '980.00',
    });
    expect(formatYuan(result.employee)).toBe('2253.00');
    expect(formatYuan(result.employer)).toBe('3850.00');
  });

  it('lifts a base below the social-insurance floor but keeps it when above the housing-fund floor', () => {
    const result = contributions('beijing', '2025-09', '5000');
    expect(formatYuan(result.base.socialInsurance)).toBe('7162.00');
    expect(formatYuan(result.base.housingFund)).toBe('5000.00');
    expect(formatYuan(result.employee)).toBe('1355.01'); // 572.96 + 143.24 + 3 + 35.81 + 600
    expect(result.base.explain.zh).toContain('社保基数低于下限 7162.00,按下限 7162.00');
    expect(result.base.explain.en).toContain('social-insurance base below the floor 7162.00, so 7162.00');
  });

  it('cuts a base above the cap and rounds each side by the city’s rule', () => {
    const beijing = contributions('beijing', '2025-09', '50000');
    expect(formatYuan(beijing.base.socialInsurance)).toBe('35811.00');
    // unemployment 35811 × 0.5% = 179.055 → 179.06 (fen, half-up); housing fund 35811 × 12% = 4297.32 → 4297 (yuan)
    expect(amounts(beijing)).toMatchObject({
      unemployment_employee: '179.06',
      housingFund_employee: '4297.00',
      housingFund_employer: '4297.00',
    });
    expect(formatYuan(beijing.employee)).toBe('8060.16');
    const shanghai = contributions('shanghai', '2025-03', '99999');
    // 36921 × 7% = 2584.47 → 2584 each side (沪 fund centre: whole yuan, half-up)
    expect(amounts(shanghai)).toMatchObject({ housingFund_employee: '2584.00', housingFund_employer: '2584.00' });
    expect(shanghai.lines.find((l) => l.code === 'housingFund_employee')?.explain.zh).toBe(
      '住房公积金个人:36921.00 × 7% = 2584.00(按元四舍五入)',
    );
  });

  it('lets the input replace the employee total but still computes the employer side', () => {
    const result = contributions('shanghai', '2025-01', '10000', yuanToFen('1500'));
    expect(formatYuan(result.employee)).toBe('1500.00');
    expect(formatYuan(result.employeeComputed)).toBe('1750.00');
    expect(result.lines.every((line) => line.side === 'employer')).toBe(true);
    expect(result.explain.employee.en).toBe('employee contributions as given in the input: 1500.00 (the rates would give 1750.00)');
  });

  it("uses the employer's own housing-fund and work-injury rates when given", () => {
    const result = contributions('beijing', '2025-09', '10000', undefined, {
      housingFundRate: new Decimal('0.05'),
      workInjuryRate: new Decimal('0.004'),
    });
    expect(amounts(result)).toMatchObject({ housingFund_employee: '500.00', housingFund_employer: '500.00', workInjury_employer: '40.00' });
    expect(result.lines.find((l) => l.code === 'workInjury_employer')?.explain.en).not.toContain('class I');
  });

  it('explains the totals as sums of the lines', () => {
    const result = contributions('shanghai', '2025-12', '20000');
    expect(result.explain.employee.zh).toBe(
      '个人缴费 = 养老保险 1600.00 + 医疗保险(含生育) 400.00 + 失业保险 100.00 + 住房公积金 1400.00 = 3500.00',
    );
    expect(result.explain.employer.en).toBe(
      'employer contributions = pension 3200.00 + medical incl. maternity 1800.00 + unemployment 100.00 + work injury 40.00 + housing fund 1400.00 = 6540.00',
    );
  });

  it('can round up to the jiao when a city says so (见分进角)', () => {
    const data = city('shanghai', '2025-03');
    const jiao: CityMonth = { ...data, rounding: { ...data.rounding, socialInsurance: { to: 'jiao', mode: 'up' } } };
    const result = computeContributions(jiao, contributionBase(jiao, yuanToFen('10001'), 'employee'));
    // 10001 × 0.5% = 50.005 → 50.10; × 2% = 200.02 → 200.10; × 8% = 800.08 → 800.10
    expect(amounts(result)).toMatchObject({ unemployment_employee: '50.10', medical_employee: '200.10', pension_employee: '800.10' });
  });
});
