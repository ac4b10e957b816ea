import { describe, expect, it } from 'vitest';
import { formatYuan } from '../money/fen.js';
import { ValidationError } from '../validate/problems.js';
import { readNetInput } from './input.js';

function problemsOf(data: unknown): string[] {
  try {
    readNetInput(data);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const months = (...list: string[]) => list.map((month) => ({ month, gross: 10000 }));

describe('ladder net input', () => {
  it('reads money as fen and keeps optional fields optional', () => {
    const input = readNetInput({
      city: 'shanghai',
      employees: [
        {
          id: 'E1',
          contributionBase: '12000.5',
          firstIncomeOfYear: true,
          months: [{ month: '2025-04', gross: 10000.25, contributions: 1500, specialAdditional: 1000, contributionBase: 9000 }],
          annualBonus: { month: '2025-04', amount: 36000, method: 'separate' },
        },
      ],
    });
    const person = input.employees[0];
    expect(person?.contributionBase && formatYuan(person.contributionBase)).toBe('12000.50');
    expect(person?.months[0] && formatYuan(person.months[0].gross)).toBe('10000.25');
    expect(person?.annualBonus?.method).toBe('separate');
  });

  it('refuses months that are not consecutive', () => {
    expect(problemsOf({ city: 'shanghai', employees: [{ id: 'E1', months: months('2025-01', '2025-02', '2025-04') }] })).toEqual([
      'employees[0].months[2].month: must be 2025-03, the month after 2025-02: months must be consecutive, from the month of hire (or January)',
    ]);
    expect(problemsOf({ city: 'shanghai', employees: [{ id: 'E1', months: months('2025-02', '2025-02') }] })).toEqual([
      'employees[0].months[1].month: must be 2025-03, the month after 2025-02: months must be consecutive, from the month of hire (or January)',
    ]);
  });

  it('refuses months across two years', () => {
    expect(problemsOf({ city: 'shanghai', employees: [{ id: 'E1', months: months('2025-12', '2026-01') }] })).toEqual([
      'employees[0].months[1].month: 2026-01 is not in 2025, the year of months[0]: give one tax year per employee (split the input by year)',
    ]);
  });

  it('refuses negative and sub-fen money, unknown fields, bad months and duplicates, all at once', () => {
    expect(
      problemsOf({
        city: 'shanghai',
        colour: 'red',
        employees: [
          { id: 'E1', months: [{ month: '2025-1', gross: -5 }] },
          {
            id: 'E1',
            months: [{ month: '2025-01', gross: 100.001, bonus: 3 }],
            annualBonus: { month: '2025-02', amount: 1, method: 'both' },
          },
          { id: 'E2', months: [] },
        ],
      }),
    ).toEqual([
      'colour: unknown field (expected one of: city, housingFundRate, workInjuryRate, employees)',
      'employees[0].months[0].month: must be a month YYYY-MM (01–12), got "2025-1"',
      'employees[0].months[0].gross: must be at least 0, got -5',
      'employees[1].months[0].bonus: unknown field (expected one of: month, gross, contributions, specialAdditional, contributionBase)',
      'employees[1].months[0].gross: must have at most two decimal places (whole fen), got 100.001',
      'employees[1].annualBonus.method: must be one of separate, merged, got "both"',
      'employees[2].months: must not be empty',
    ]);
  });

  it('refuses a bonus outside the employee’s months and a repeated id', () => {
    expect(
      problemsOf({
        employees: [
          { id: 'E1', months: months('2025-01'), annualBonus: { month: '2025-02', amount: 1000, method: 'merged' } },
          { id: 'E1', months: months('2025-01') },
        ],
      }),
    ).toEqual([
      "employees[0].annualBonus.month: 2025-02 is not one of the employee's months (2025-01 … 2025-01)",
      'employees[1].id: duplicate employee id "E1" (also employees[0])',
    ]);
  });

  it('refuses rates outside 0–1', () => {
    expect(problemsOf({ housingFundRate: 7, employees: [{ id: 'E1', months: months('2025-01') }] })).toEqual([
      'housingFundRate: must be at most 1, got 7',
    ]);
  });
});
