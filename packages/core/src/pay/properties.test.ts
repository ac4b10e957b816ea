import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.js';
import type { Policy } from '../policy/model.js';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import { findBand } from './bands.js';
import { calculateMonth } from './calculate.js';
import { monthResultToJson } from './format.js';
import { readMonthInput } from './input.js';

const policy = parsePolicy(defaultPolicyText()).policy;

const halfPoints = (max: number) => fc.integer({ min: 0, max: max * 2 }).map((n) => String(n / 2));

const scoreEmployee = fc.record({
  group: fc.constantFrom('basic', 'vip', 'phone'),
  levelIndex: fc.integer({ min: 0, max: 3 }),
  unpaidDays: halfPoints(25),
  lateCount: fc.integer({ min: 0, max: 3 }),
  overtime: fc.record({ workday: halfPoints(40), restDay: halfPoints(20), holiday: halfPoints(10) }),
  sickDays: fc.integer({ min: 0, max: 5 }),
  metrics: fc.record({
    conversations: fc.integer({ min: 0, max: 6000 }),
    tickets: fc.integer({ min: 0, max: 500 }),
    wrongTickets: fc.integer({ min: 0, max: 400 }),
    deductions: halfPoints(120),
    execution: fc.integer({ min: 0, max: 200 }),
    rewards: fc.integer({ min: 0, max: 200 }),
    excellentCases: fc.integer({ min: 0, max: 5 }),
    extra: fc.integer({ min: -500, max: 500 }),
  }),
});

const salesEmployee = fc.record({
  levelIndex: fc.integer({ min: 0, max: 3 }),
  unpaidDays: halfPoints(5),
  month: fc.record({ amount: fc.integer({ min: 0, max: 400000 }), target: fc.integer({ min: 1, max: 200000 }) }),
  quarter: fc.option(fc.record({ amount: fc.integer({ min: 0, max: 900000 }), target: fc.integer({ min: 1, max: 600000 }) }), {
    nil: null,
  }),
  year: fc.option(fc.record({ amount: fc.integer({ min: 0, max: 3000000 }), target: fc.integer({ min: 1, max: 2000000 }) }), { nil: null }),
  csat: fc.integer({ min: 0, max: 100 }).map((n) => String(n / 100)),
  complaintRate: fc.integer({ min: 0, max: 1000 }).map((n) => String(n / 10000)),
  teamwork: fc.integer({ min: 0, max: 100 }),
});

type ScoreArb = typeof scoreEmployee extends fc.Arbitrary<infer T> ? T : never;
type SalesArb = typeof salesEmployee extends fc.Arbitrary<infer T> ? T : never;

function levelCode(p: Policy, group: string, index: number): string {
  const track = p.tracks[p.groups[group]?.track ?? ''];
  return track?.levels[index]?.code ?? 'junior';
}

function scoreData(p: Policy, e: ScoreArb, id = 'E') {
  return {
    id,
    group: e.group,
    level: levelCode(p, e.group, e.levelIndex),
    attendance: { unpaidDays: e.unpaidDays, lateCount: e.lateCount, overtimeHours: e.overtime, leaveDays: { sick: e.sickDays } },
    metrics: e.metrics,
  };
}

function salesData(p: Policy, e: SalesArb, id = 'S') {
  return {
    id,
    group: 'sales',
    level: levelCode(p, 'sales', e.levelIndex),
    attendance: { unpaidDays: e.unpaidDays, lateCount: 0 },
    sales: { month: e.month, quarter: e.quarter, year: e.year, csat: e.csat, complaintRate: e.complaintRate, teamwork: e.teamwork },
  };
}

const period = fc.constantFrom('2026-10', '2026-12', '2026-09', '2027-01');

function run(p: Policy, month: string, employees: unknown[]) {
  const { input } = readMonthInput({ period: month, employees }, () => p);
  return calculateMonth(p, input);
}

function withYuanPerPoint(p: Policy, value: Decimal): Policy {
  return { ...p, score: { ...p.score, yuanPerPoint: value } };
}

describe('pay engine properties', () => {
  it('the coefficient never rises as deductions rise (both band tables)', () => {
    fc.assert(
      fc.property(fc.constantFrom('basic', 'vip'), halfPoints(150), halfPoints(150), (table, a, b) => {
        const bands = policy.bands[table] ?? [];
        const [low, high] = new Decimal(a).lessThanOrEqualTo(b) ? [a, b] : [b, a];
        const coefficientAt = (d: string) => findBand(bands, new Decimal(d)).band.coefficient ?? new Decimal(0);
        expect(coefficientAt(high).lessThanOrEqualTo(coefficientAt(low))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('performance pay is never negative and gross is the sum of the lines', () => {
    fc.assert(
      fc.property(
        period,
        fc.array(scoreEmployee, { minLength: 1, maxLength: 4 }),
        fc.array(salesEmployee, { maxLength: 3 }),
        (month, scores, sales) => {
          const employees = [...scores.map((e, i) => scoreData(policy, e, `E${i}`)), ...sales.map((e, i) => salesData(policy, e, `S${i}`))];
          for (const slip of run(policy, month, employees).payslips) {
            expect(slip.performance.pay).toBeGreaterThanOrEqual(0);
            expect(Number.isSafeInteger(slip.gross)).toBe(true);
            expect(slip.gross).toBe(slip.lines.reduce((sum, line) => sum + line.amount, 0));
            for (const line of slip.lines) {
              expect(Number.isSafeInteger(line.amount)).toBe(true);
              expect(line.amount).not.toBe(0);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the same input always gives the same output', () => {
    fc.assert(
      fc.property(period, scoreEmployee, salesEmployee, (month, score, sales) => {
        const employees = [scoreData(policy, score), salesData(policy, sales)];
        const first = JSON.stringify(monthResultToJson(run(policy, month, employees)));
        const second = JSON.stringify(monthResultToJson(run(policy, month, structuredClone(employees))));
        expect(second).toBe(first);
      }),
      { numRuns: 200 },
    );
  });

  it('changing only the yuan per point changes performance pay in proportion, within one fen', () => {
    fc.assert(
      fc.property(scoreEmployee, fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 100 }), (e, bigCents, percent) => {
        const big = new Decimal(bigCents).dividedBy(100);
        const ratio = new Decimal(percent).dividedBy(100);
        const small = big.times(ratio);
        const payAt = (yuanPerPoint: Decimal) =>
          run(withYuanPerPoint(policy, yuanPerPoint), '2026-10', [scoreData(policy, e)]).payslips[0]?.performance.pay ?? 0;
        const scaled = new Decimal(payAt(big)).times(ratio);
        expect(scaled.minus(payAt(small)).abs().lessThanOrEqualTo(1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
