import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Decimal, formatDecimal } from '../money/decimal.js';
import { formatYuan } from '../money/fen.js';
import type { Month } from '../period/period.js';
import { ValidationError } from '../validate/problems.js';
import { cityMonth, parseCityRates, readCityRates } from './city-rates.js';

const load = (city: string) => parseCityRates(readFileSync(new URL(`../../policies/china/${city}.yaml`, import.meta.url), 'utf8'));
const shanghai = load('shanghai');
const beijing = load('beijing');

function problemsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const month = (text: string) => text as Month;

describe('shipped city data', () => {
  it('gives Shanghai 2024 and 2025 contribution years their bases', () => {
    const a = cityMonth(shanghai, month('2025-06'));
    const b = cityMonth(shanghai, month('2025-07'));
    if (!a.found || !b.found) throw new Error('data expected');
    expect(
      [a.month.socialInsurance.floor, a.month.socialInsurance.cap, a.month.housingFund.floor, a.month.housingFund.cap].map(formatYuan),
    ).toEqual(['7384.00', '36921.00', '2690.00', '36921.00']);
    expect(
      [b.month.socialInsurance.floor, b.month.socialInsurance.cap, b.month.housingFund.floor, b.month.housingFund.cap].map(formatYuan),
    ).toEqual(['7460.00', '37302.00', '2690.00', '37302.00']);
    expect(formatDecimal(a.month.workInjury.employer)).toBe('0.002');
    const december = cityMonth(shanghai, month('2024-12'));
    expect(december.found && formatDecimal(december.month.workInjury.employer)).toBe('0.0016');
  });

  it('gives Beijing its bases, 9.8% employer medical and the fixed 3 yuan', () => {
    const a = cityMonth(beijing, month('2025-01'));
    const b = cityMonth(beijing, month('2025-12'));
    if (!a.found || !b.found) throw new Error('data expected');
    expect([a.month.socialInsurance.floor, a.month.socialInsurance.cap].map(formatYuan)).toEqual(['6821.00', '35283.00']);
    expect([b.month.socialInsurance.floor, b.month.socialInsurance.cap, b.month.housingFund.floor].map(formatYuan)).toEqual([
      '7162.00',
      '35811.00',
      '2540.00',
    ]);
    expect(formatDecimal(b.month.medical.employer)).toBe('0.098');
    expect(b.month.medical.employeeFixed === null ? null : formatYuan(b.month.medical.employeeFixed)).toBe('3.00');
    expect(formatDecimal(b.month.housingFund.rate)).toBe('0.12');
  });

  it('records the confidence of every value used', () => {
    const found = cityMonth(shanghai, month('2025-09'));
    if (!found.found) throw new Error('data expected');
    const floor = found.month.used.find((u) => u.parameter === 'bases.socialInsurance.floor');
    expect(floor).toMatchObject({ value: '7460.00', confidence: 'OFF', effectiveFrom: '2025-07-01', effectiveTo: '2026-06-30' });
    expect(found.month.used.find((u) => u.parameter === 'rounding.socialInsurance')?.confidence).toBe('NF');
  });

  it('refuses months whose values are unknown or missing, saying which and why', () => {
    const early = cityMonth(shanghai, month('2024-03'));
    expect(early.found).toBe(false);
    if (early.found) return;
    expect(early.missing[0]).toMatch(
      /^bases\.socialInsurance\.floor: unknown for 2023-07-01 … 2024-06-30: the Shanghai 2023 contribution-year base/,
    );
    expect(early.missing.some((m) => m.startsWith('rates.pension.employee: no data for 2024-03'))).toBe(true);

    const unemployment = cityMonth(shanghai, month('2026-01'));
    expect(unemployment.found).toBe(false);
    if (!unemployment.found) {
      expect(unemployment.missing).toEqual([
        'rates.unemployment.employer: unknown for 2026-01-01 … 2026-06-30: the Shanghai employer unemployment rate from 2026-01-01 is not known (the 2025 notice ended on 2025-12-31)',
      ]);
    }
    const later = cityMonth(beijing, month('2026-07'));
    expect(later.found).toBe(false);
    if (!later.found) {
      // The 2026 social-insurance bases are known; the 2026 housing-fund bases are recorded as unknown.
      expect(later.missing.some((m) => m.startsWith('bases.socialInsurance.'))).toBe(false);
      expect(later.missing.slice(0, 2)).toEqual([
        'bases.housingFund.floor: unknown for 2026-07-01 … 2027-06-30: the Beijing housing-fund base floor from 2026-07 is not known (no 2026 fund-centre notice found)',
        'bases.housingFund.cap: unknown for 2026-07-01 … 2027-06-30: the Beijing housing-fund base cap from 2026-07 is not known (no 2026 fund-centre notice found)',
      ]);
      expect(later.missing[2]).toBe('rates.pension.employee: no data for 2026-07 (data runs 2024-07-01 … 2026-06-30)');
    }
  });

  it("does not need the city's default rates the input replaces", () => {
    const found = cityMonth(beijing, month('2025-08'), { housingFundRate: new Decimal('0.05'), workInjuryRate: new Decimal('0.004') });
    if (!found.found) throw new Error('data expected');
    expect(formatDecimal(found.month.housingFund.rate)).toBe('0.05');
    expect(found.month.housingFund.rateFrom).toBe('input');
    expect(found.month.workInjury).toMatchObject({ from: 'input' });
    expect(found.month.used.some((u) => u.parameter === 'rates.workInjury.employer')).toBe(false);
  });
});

describe('reading city data', () => {
  const entry = (value: unknown, extra: Record<string, unknown> = {}) => ({
    effectiveFrom: '2025-07-01',
    effectiveTo: '2026-06-30',
    value,
    source: 'test',
    confidence: '1SRC',
    ...extra,
  });
  const minimal = () => ({
    city: 'testville',
    name: { zh: '测试', en: 'Testville' },
    bases: { socialInsurance: { floor: [entry(5000)], cap: [entry(30000)] }, housingFund: { floor: [entry(2000)], cap: [entry(30000)] } },
    rates: {
      pension: { employee: [entry(0.08)], employer: [entry(0.16)] },
      medical: { employee: [entry(0.02)], employer: [entry(0.09)] },
      unemployment: { employee: [entry(0.005)], employer: [entry(0.005)] },
      workInjury: { employer: [entry(0.002)] },
      housingFund: { rate: [entry(0.07)], range: [entry({ min: 0.05, max: 0.07 })] },
    },
    rounding: { socialInsurance: [entry({ to: 'fen', mode: 'half-up' })], housingFund: [entry({ to: 'yuan', mode: 'half-up' })] },
  });

  it('accepts well-formed data', () => {
    expect(readCityRates(minimal()).city).toBe('testville');
  });

  it('reports every problem with its path', () => {
    const data = minimal();
    data.bases.socialInsurance.floor = [entry(5000, { effectiveFrom: '2025-07-02' }), entry(5100, { effectiveFrom: '2026-06-01' })];
    data.bases.housingFund.floor = [entry(40000)];
    data.rates.pension.employee = [entry(null)];
    data.rates.housingFund.rate = [entry(0.08)];
    data.rates.medical.employer = [entry(0.09, { effectiveTo: '2026-06-29', confidence: 'maybe' })];
    (data as Record<string, unknown>).extra = 1;
    expect(problemsOf(() => readCityRates(data))).toEqual([
      'extra: unknown field (expected one of: city, name, bases, rates, rounding)',
      'bases.socialInsurance.floor[0].effectiveFrom: must be the first day of a month, got 2025-07-02',
      'bases.socialInsurance.floor[1].effectiveFrom: overlaps entry [0], which runs to 2026-06-30',
      'rates.pension.employee[0].note: is required when value is null (say why the value is unknown)',
      'rates.medical.employer[0].confidence: must be one of OFF, 2SRC, 1SRC, NF, got "maybe"',
    ]);
  });

  it('checks floors against caps and default rates against their range', () => {
    const data = minimal();
    data.bases.housingFund.floor = [entry(40000)];
    data.rates.housingFund.rate = [entry(0.08)];
    expect(problemsOf(() => readCityRates(data))).toEqual([
      'bases.housingFund.floor[0].value: must not be above the cap 30000.00 of the same period',
      'rates.housingFund.rate[0].value: must be within the range 5%–7% in force then',
    ]);
  });

  it('refuses amounts finer than the fen and rates above 1', () => {
    const data = minimal();
    data.bases.socialInsurance.cap = [entry(30000.005)];
    data.rates.pension.employer = [entry(16)];
    expect(problemsOf(() => readCityRates(data))).toEqual([
      'bases.socialInsurance.cap[0].value: must have at most two decimal places (whole fen), got 30000.005',
      'rates.pension.employer[0].value: must be at most 1, got 16',
    ]);
  });
});
