import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addFen, type Fen, fen, formatYuan, yuanToFen } from '../money/fen.js';
import { ValidationError } from '../validate/problems.js';
import { bonusCliffs, separateBonusTax } from './annual-bonus.js';
import { parseCityRates } from './city-rates.js';
import { annualTax } from './cumulative-tax.js';
import { type EmployeeNetResult, employeeNet, grossToNet, type NetResult } from './gross-to-net.js';
import { readNetInput } from './input.js';
import { parseTaxTables } from './tax-tables.js';

const file = (name: string) => readFileSync(new URL(`../../policies/china/${name}.yaml`, import.meta.url), 'utf8');
const tax = parseTaxTables(file('individual-income-tax'));
const cities = { shanghai: parseCityRates(file('shanghai')), beijing: parseCityRates(file('beijing')) };
type City = keyof typeof cities;
const cumulativeTable = tax.cumulative[0]?.value ?? [];
const bonusTable = tax.annualBonus[0]?.value ?? [];

function run(city: City, data: Record<string, unknown>): NetResult {
  return grossToNet(readNetInput({ city, ...data }), { city: cities[city], tax });
}

function one(city: City, employee: Record<string, unknown>, options: Record<string, unknown> = {}): EmployeeNetResult {
  const result = run(city, { ...options, employees: [{ id: 'E', ...employee }] });
  const person = result.employees[0];
  if (!person) throw new Error('no result');
  return person;
}

function problemsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const monthsOf = (year: number, from: number, to: number, entry: Record<string, unknown>) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ month: `${year}-${String(from + i).padStart(2, '0')}`, ...entry }));

const sumOf = (values: readonly Fen[]) => addFen(...values);

/** The annual reconciliation's tax on the same totals (wages, plus a merged bonus). */
function annualOn(person: EmployeeNetResult, basicMonths: number, mergedBonus: Fen = fen(0)): Fen {
  return annualTax(
    {
      income: addFen(person.totals.gross, mergedBonus),
      contributions: person.totals.employeeContributions,
      specialAdditional: sumOf(person.months.map((m) => m.specialAdditional)),
      basicDeduction: yuanToFen(5000 * basicMonths),
    },
    cumulativeTable,
  ).tax;
}

describe('gross to net', () => {
  it('reproduces the official examples through the whole engine', () => {
    const a = one('shanghai', { months: monthsOf(2025, 1, 3, { gross: 10000, contributions: 1500, specialAdditional: 1000 }) });
    const b = one('beijing', { months: monthsOf(2025, 1, 3, { gross: 30000, contributions: 4500, specialAdditional: 2000 }) });
    expect(a.months.map((m) => formatYuan(m.tax))).toEqual(['75.00', '75.00', '75.00']);
    expect(a.months.map((m) => formatYuan(m.net))).toEqual(['8425.00', '8425.00', '8425.00']);
    expect(b.months.map((m) => formatYuan(m.tax))).toEqual(['555.00', '625.00', '1850.00']);
  });

  it('computes net and employer cost for the hand-computed Shanghai payslip (research §4.4)', () => {
    const person = one('shanghai', { months: [{ month: '2025-12', gross: 20000 }] });
    const month = person.months[0];
    expect(
      month && [month.employeeContributions, month.employerContributions, month.tax, month.net, month.employerCost].map(formatYuan),
    ).toEqual(['3500.00', '6540.00', '345.00', '16155.00', '26540.00']);
    expect(month?.explain.net.zh).toBe('实发 = 应发 20000.00 − 个人缴费 3500.00 − 个税 345.00 = 16155.00');
    expect(month?.explain.employerCost.en).toBe('employer cost = gross 20000.00 + employer contributions 6540.00 = 26540.00');
  });

  describe('a full year matches the annual tax on the same total', () => {
    const profiles: { name: string; city: City; employee: Record<string, unknown>; basicMonths: number }[] = [
      {
        name: 'steady wage, Shanghai',
        city: 'shanghai',
        employee: { contributionBase: 15000, months: monthsOf(2025, 1, 12, { gross: 15000, specialAdditional: 2000 }) },
        basicMonths: 12,
      },
      {
        name: 'high earner, Beijing',
        city: 'beijing',
        employee: { contributionBase: 80000, months: monthsOf(2025, 1, 12, { gross: 80000, specialAdditional: 3000 }) },
        basicMonths: 12,
      },
      {
        name: 'rising wage, Beijing',
        city: 'beijing',
        employee: { months: monthsOf(2025, 1, 12, { gross: 9000 }).map((m, i) => ({ ...m, gross: 9000 + 1500 * i })) },
        basicMonths: 12,
      },
      {
        name: 'mid-year starter with no earlier income (counts from January)',
        city: 'shanghai',
        employee: { firstIncomeOfYear: true, contributionBase: 25000, months: monthsOf(2025, 7, 12, { gross: 25000 }) },
        basicMonths: 12,
      },
      {
        name: 'mid-year starter from another employer (counts from hire)',
        city: 'beijing',
        employee: { contributionBase: 25000, months: monthsOf(2025, 7, 12, { gross: 25000 }) },
        basicMonths: 6,
      },
      {
        name: 'base below the floor',
        city: 'shanghai',
        employee: { contributionBase: 3000, months: monthsOf(2025, 1, 12, { gross: 6500 }) },
        basicMonths: 12,
      },
      {
        name: 'base above the cap',
        city: 'beijing',
        employee: { contributionBase: 60000, months: monthsOf(2025, 1, 12, { gross: 60000, specialAdditional: 1500 }) },
        basicMonths: 12,
      },
    ];
    for (const profile of profiles) {
      it(profile.name, () => {
        const person = one(profile.city, profile.employee);
        expect(formatYuan(person.totals.tax)).toBe(formatYuan(annualOn(person, profile.basicMonths)));
        expect(person.totals.tax).toBeGreaterThan(0);
      });
    }

    it('clamps the base to each contribution year’s floor and cap', () => {
      const low = one('shanghai', { contributionBase: 3000, months: monthsOf(2025, 6, 7, { gross: 6500 }) });
      expect(low.months.map((m) => formatYuan(m.contributions.base.socialInsurance))).toEqual(['7384.00', '7460.00']);
      expect(low.months.map((m) => formatYuan(m.contributions.base.housingFund))).toEqual(['3000.00', '3000.00']);
      const high = one('beijing', { contributionBase: 60000, months: monthsOf(2025, 6, 7, { gross: 60000 }) });
      expect(high.months.map((m) => formatYuan(m.contributions.base.socialInsurance))).toEqual(['35283.00', '35811.00']);
      expect(high.months.map((m) => formatYuan(m.contributions.base.housingFund))).toEqual(['35283.00', '35811.00']);
    });

    const cliffAmounts = bonusCliffs(bonusTable).flatMap((cliff) => [cliff.threshold, cliff.from, cliff.to]);
    for (const method of ['separate', 'merged'] as const) {
      it(`with a bonus at each bracket cliff, ${method}`, () => {
        for (const amount of cliffAmounts) {
          const person = one('shanghai', {
            contributionBase: 20000,
            months: monthsOf(2025, 1, 12, { gross: 20000, specialAdditional: 1000 }),
            annualBonus: { month: '2025-12', amount: formatYuan(amount), method },
          });
          const expected =
            method === 'separate' ? addFen(annualOn(person, 12), separateBonusTax(amount, bonusTable).tax) : annualOn(person, 12, amount);
          expect(formatYuan(addFen(person.totals.tax, person.totals.bonusTax))).toBe(formatYuan(expected));
        }
      });
    }
  });

  it('shows the bonus month, the other method and the cliff to HR', () => {
    const person = one('beijing', {
      contributionBase: 10000,
      months: monthsOf(2025, 1, 3, { gross: 10000 }),
      annualBonus: { month: '2025-02', amount: 37000, method: 'separate' },
    });
    const february = person.months[1];
    expect(february?.bonus && [february.bonus.amount, february.bonus.tax].map(formatYuan)).toEqual(['37000.00', '3490.00']);
    expect(person.months[0]?.bonus).toBeNull();
    expect(person.bonus?.cliff && formatYuan(person.bonus.cliff.to)).toBe('38566.67');
    expect(person.bonus?.alternative.method).toBe('merged');
    expect(person.bonus?.explain.en).toContain('a bonus of 36000.00 would net 1410.00 more');
    expect(february?.explain.net.en).toBe(
      `net = gross 10000.00 + bonus 37000.00 − employee contributions ${formatYuan(february?.employeeContributions ?? fen(0))} − tax ${formatYuan(february?.tax ?? fen(0))} − bonus tax 3490.00 = ${formatYuan(february?.net ?? fen(0))}`,
    );
  });

  it('taxes a merged bonus within the month’s cumulative withholding', () => {
    const person = one('shanghai', {
      months: monthsOf(2025, 1, 2, { gross: 10000, contributions: 1500, specialAdditional: 1000 }),
      annualBonus: { month: '2025-02', amount: 20000, method: 'merged' },
    });
    // Feb: (40000 − 10000 − 3000 − 2000) = 25000 × 3% = 750 − 75 = 675
    expect(person.months.map((m) => formatYuan(m.tax))).toEqual(['75.00', '675.00']);
    expect(person.months[1]?.bonus?.tax).toBe(0);
    expect(person.months[1]?.taxableYtd).toBe(yuanToFen(25000));
    expect(person.bonus?.alternative).toEqual({ method: 'separate', yearTax: yuanToFen(75 + 75 + 600) });
  });

  it('refuses a month without data, naming the month and the missing values', () => {
    expect(problemsOf(() => one('shanghai', { months: monthsOf(2026, 1, 1, { gross: 10000 }) }))).toEqual([
      'employees[0].months[0].month: no shanghai contribution data for 2026-01: rates.unemployment.employer: unknown for 2026-01-01 … 2026-06-30: the Shanghai employer unemployment rate from 2026-01-01 is not known (the 2025 notice ended on 2025-12-31)',
    ]);
    const early = problemsOf(() => one('beijing', { months: monthsOf(2018, 12, 12, { gross: 10000 }) }));
    expect(early).toHaveLength(2);
    expect(early[1]).toMatch(/^employees\[0\]\.months\[0\]\.month: no income-tax table for 2018-12: basicDeduction: no data for 2018-12/);
  });

  it('refuses a separate bonus after the table’s validity and a housing-fund rate outside the range', () => {
    // Beijing's data stretched to 2028 only to reach past the bonus table's end date: the entries
    // from 2026-07 are dropped and those that ended on 2026-06-30 then run to 2028-12-31.
    const source = file('beijing');
    const entriesFromJuly2026 = /^( *)- effectiveFrom: 2026-07-01\n(?:\1 {2}.*\n)*/gm;
    expect(source.match(entriesFromJuly2026)).toHaveLength(4);
    const stretched = source.replaceAll(entriesFromJuly2026, '').replaceAll('2026-06-30', '2028-12-31');
    expect(stretched).not.toContain('2026-07-01');
    const cityData = parseCityRates(stretched);
    const input = readNetInput({
      employees: [
        { id: 'E', months: [{ month: '2028-01', gross: 10000 }], annualBonus: { month: '2028-01', amount: 5000, method: 'separate' } },
      ],
      housingFundRate: 0.15,
    });
    expect(problemsOf(() => grossToNet(input, { city: cityData, tax }))).toEqual([
      'employees[0].annualBonus.method: the separate method is not available in 2028-01 (no data for 2028-01 (data runs 2019-01-01 … 2027-12-31)): use merged',
      "housingFundRate: 15% is outside beijing's housing-fund range 5%–12% in 2028-01",
    ]);
  });

  it('lists the data values below official confidence that the result relied on', () => {
    const result = run('beijing', { employees: [{ id: 'E', months: [{ month: '2025-08', gross: 10000 }] }] });
    const hfFloor = result.dataNotes.find((note) => note.parameter === 'beijing.bases.housingFund.floor');
    expect(hfFloor).toMatchObject({ value: '2540.00', confidence: '1SRC' });
    expect(result.dataNotes.some((note) => note.confidence === 'OFF')).toBe(false);
    expect(result.dataNotes.some((note) => note.parameter === 'beijing.bases.socialInsurance.floor')).toBe(false);
  });

  it('has a known exception to "tax never falls as gross rises" only when the base defaults to the gross', () => {
    // A fen more gross moves the housing fund (whole yuan) up by 1.00, so taxable income falls by 0.99.
    const at = (gross: string) => one('shanghai', { months: [{ month: '2025-03', gross }] }).months[0];
    const lower = at('7007.14');
    const higher = at('7007.15');
    expect(lower && higher && [lower.tax, higher.tax].map(formatYuan)).toEqual(['22.25', '22.22']);
  });
});

describe('properties', () => {
  const money = fc.integer({ min: 0, max: 20_000_000 }).map((value) => formatYuan(fen(value)));
  const profile = fc.record({
    city: fc.constantFrom<City>('shanghai', 'beijing'),
    start: fc.integer({ min: 1, max: 12 }),
    firstIncomeOfYear: fc.boolean(),
    base: fc.option(money, { nil: undefined }),
    months: fc.array(
      fc.record({
        gross: money,
        special: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
        given: fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: undefined }),
      }),
      {
        minLength: 1,
        maxLength: 12,
      },
    ),
    bonus: fc.option(
      fc.record({ amount: fc.integer({ min: 0, max: 200_000_000 }), method: fc.constantFrom('separate', 'merged'), at: fc.nat() }),
      { nil: undefined },
    ),
  });

  type Profile = typeof profile extends fc.Arbitrary<infer T> ? T : never;
  function employeeOf(p: Profile, bump?: { index: number; by: number }): Record<string, unknown> {
    const count = Math.min(p.months.length, 13 - p.start);
    const months = p.months.slice(0, count).map((m, i) => {
      const gross = yuanToFen(m.gross) + (bump && bump.index === i ? bump.by : 0);
      return {
        month: `2025-${String(p.start + i).padStart(2, '0')}`,
        gross: formatYuan(fen(gross)),
        ...(m.special !== undefined ? { specialAdditional: formatYuan(fen(m.special)) } : {}),
        ...(m.given !== undefined ? { contributions: formatYuan(fen(m.given)) } : {}),
      };
    });
    const employee: Record<string, unknown> = { id: 'P', firstIncomeOfYear: p.firstIncomeOfYear, months };
    if (p.base !== undefined) employee.contributionBase = p.base;
    if (p.bonus)
      employee.annualBonus = {
        month: months[p.bonus.at % months.length]?.month,
        amount: formatYuan(fen(p.bonus.amount)),
        method: p.bonus.method,
      };
    return employee;
  }

  it('net + contributions + tax (+ bonus tax) = gross (+ bonus), every month', () => {
    fc.assert(
      fc.property(profile, (p) => {
        for (const month of one(p.city, employeeOf(p)).months) {
          const bonus = month.bonus?.amount ?? 0;
          const bonusTax = month.bonus?.tax ?? 0;
          expect(month.net + month.employeeContributions + month.tax + bonusTax).toBe(month.gross + bonus);
          expect(month.employerCost).toBe(month.gross + bonus + month.employerContributions);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('tax never decreases as gross rises (a fixed or given base)', () => {
    const fixedBase = profile.filter((p) => p.base !== undefined || p.months.every((m) => m.given !== undefined));
    fc.assert(
      fc.property(fixedBase, fc.nat(), fc.integer({ min: 1, max: 5_000_000 }), (p, at, by) => {
        const before = one(p.city, employeeOf(p));
        const index = at % before.months.length;
        const after = one(p.city, employeeOf(p, { index, by }));
        // The month whose gross rose withholds at least as much; the year never withholds less.
        expect(after.months[index]?.tax ?? 0).toBeGreaterThanOrEqual(before.months[index]?.tax ?? 0);
        expect(after.totals.tax + after.totals.bonusTax).toBeGreaterThanOrEqual(before.totals.tax + before.totals.bonusTax);
        // Every month's cumulative taxable income is at least as high.
        after.months.forEach((month, i) => expect(month.taxableYtd).toBeGreaterThanOrEqual(before.months[i]?.taxableYtd ?? 0));
      }),
      { numRuns: 150 },
    );
  });

  it('the year withholds at least the annual tax on its totals, and exactly it when taxable income never falls', () => {
    fc.assert(
      fc.property(profile, (p) => {
        const employee = employeeOf(p);
        delete employee.annualBonus;
        const person = one(p.city, employee);
        const first = person.months[0];
        const basicMonths = person.months.length + (p.firstIncomeOfYear && first ? Number(first.month.slice(5)) - 1 : 0);
        const annual = annualOn(person, basicMonths);
        expect(person.totals.tax).toBeGreaterThanOrEqual(annual);
        const rising = person.months.every((m, i) => i === 0 || m.taxableYtd >= (person.months[i - 1]?.taxableYtd ?? 0));
        if (rising) expect(person.totals.tax).toBe(annual);
      }),
      { numRuns: 150 },
    );
  });
});

describe('one employee as a payroll run stores it (employeeNet)', () => {
  it('has the figures of grossToNet every month, explains the last month the same and leaves the earlier ones unexplained', () => {
    const input = readNetInput({
      city: 'beijing',
      employees: [
        {
          id: 'E',
          contributionBase: 12000,
          months: ['2025-01', '2025-02', '2025-03', '2025-04'].map((month, i) => ({
            month,
            gross: 15000 + i * 2500,
            specialAdditional: 1000,
          })),
          annualBonus: { month: '2025-02', amount: 30000, method: 'separate' },
        },
      ],
    });
    const data = { city: cities.beijing, tax };
    const full = grossToNet(input, data).employees[0];
    const person = input.employees[0];
    if (!full || !person) throw new Error('no result');
    const stored = employeeNet(person, data);
    const figures = (r: EmployeeNetResult) =>
      r.months.map((m) => ({
        month: m.month,
        gross: m.gross,
        bonus: m.bonus,
        specialAdditional: m.specialAdditional,
        employeeContributions: m.employeeContributions,
        employerContributions: m.employerContributions,
        employerCost: m.employerCost,
        taxableYtd: m.taxableYtd,
        tax: m.tax,
        net: m.net,
        lines: m.contributions.lines.map((l) => [l.code, l.amount]),
      }));
    expect(figures(stored)).toEqual(figures(full));
    expect(stored.totals).toEqual(full.totals);
    expect(stored.bonus).toEqual(full.bonus);
    expect(stored.months.at(-1)?.explain).toEqual(full.months.at(-1)?.explain);
    expect(stored.months.at(-1)?.contributions).toEqual(full.months.at(-1)?.contributions);
    for (const month of stored.months.slice(0, -1))
      expect(Object.values(month.explain).every((e) => e.zh === '' && e.en === '')).toBe(true);
    expect(full.months[0]?.explain.net.zh).not.toBe('');
  });
});

describe('a year carried forward from an earlier month (employeeNet with carried)', () => {
  it('continues to the same month, explanation and totals as computing the whole year', () => {
    const person = fc.record({
      city: fc.constantFrom<City>('beijing', 'shanghai'),
      grosses: fc.array(fc.integer({ min: 0, max: 6_000_000 }), { minLength: 2, maxLength: 12 }),
      special: fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: undefined }),
      base: fc.option(fc.integer({ min: 300_000, max: 5_000_000 }), { nil: undefined }),
      firstIncomeOfYear: fc.boolean(),
      bonus: fc.option(
        fc.record({ at: fc.nat(), amount: fc.integer({ min: 100, max: 20_000_000 }), method: fc.constantFrom('separate', 'merged') }),
        {
          nil: undefined,
        },
      ),
      split: fc.nat(),
    });
    fc.assert(
      fc.property(person, (p) => {
        const start = 12 - p.grosses.length + 1;
        const months = p.grosses.map((gross, i) => ({
          month: `2025-${String(start + i).padStart(2, '0')}`,
          gross: formatYuan(fen(gross)),
          ...(p.special !== undefined ? { specialAdditional: formatYuan(fen(p.special)) } : {}),
        }));
        const input = readNetInput({
          city: p.city,
          employees: [
            {
              id: 'E',
              firstIncomeOfYear: p.firstIncomeOfYear,
              months,
              ...(p.base !== undefined ? { contributionBase: formatYuan(fen(p.base)) } : {}),
              ...(p.bonus
                ? {
                    annualBonus: {
                      month: months[p.bonus.at % months.length]!.month,
                      amount: formatYuan(fen(p.bonus.amount)),
                      method: p.bonus.method,
                    },
                  }
                : {}),
            },
          ],
        }).employees[0]!;
        const data = { city: cities[p.city], tax };
        const whole = employeeNet(input, data);
        const through = p.split % (months.length - 1);
        const before = employeeNet({ ...input, months: input.months.slice(0, through + 1) }, data);
        const carried = { through: input.months[through]!.month, ytd: before.months.at(-1)!.ytd, totals: before.totals };
        const continued = employeeNet({ ...input, months: input.months.slice(through + 1) }, data, carried);
        expect(continued.months.at(-1)).toEqual(whole.months.at(-1));
        expect(continued.totals).toEqual(whole.totals);
        expect(continued.bonus).toEqual(input.annualBonus && input.annualBonus.month > carried.through ? whole.bonus : null);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses months the carried year already covers', () => {
    const input = readNetInput({ city: 'beijing', employees: [{ id: 'E', months: monthsOf(2025, 1, 3, { gross: 9000 }) }] }).employees[0]!;
    const data = { city: cities.beijing, tax };
    const first = employeeNet({ ...input, months: input.months.slice(0, 2) }, data);
    const carried = { through: input.months[1]!.month, ytd: first.months.at(-1)!.ytd, totals: first.totals };
    expect(() => employeeNet(input, data, carried)).toThrow(/2025-01 is already carried/);
  });
});
