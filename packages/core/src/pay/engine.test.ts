import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.js';
import type { Policy } from '../policy/model.js';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import { ValidationError } from '../validate/problems.js';
import { calculateMonth } from './calculate.js';
import { monthResultToJson } from './format.js';
import { readMonthInput } from './input.js';

const policy = parsePolicy(defaultPolicyText()).policy;
const d = (text: string) => new Decimal(text);

function payslip(p: Policy, employee: Record<string, unknown>, period = '2026-10') {
  const { input } = readMonthInput({ period, employees: [{ id: 'X', attendance: { unpaidDays: 0, lateCount: 0 }, ...employee }] }, () => p);
  return monthResultToJson(calculateMonth(p, input)).payslips as {
    gross: string;
    lines: { code: string; amount: string; explain: { zh: string; en: string } }[];
    performance: Record<string, unknown>;
  }[];
}

const salesFigures = { month: { amount: 300000, target: 100000 }, csat: 1, complaintRate: 0, teamwork: 100 };

describe('sales coefficient clamp', () => {
  it('holds the coefficient at the policy maximum when capped KPI scores exceed it', () => {
    const generous: Policy = { ...policy, sales: { ...policy.sales, kpiCap: d('3'), coefficient: { min: d('0'), max: d('1.5') } } };
    const [slip] = payslip(generous, { group: 'sales', level: 'junior', sales: salesFigures });
    expect(slip?.performance.coefficient).toBe('1.5');
    expect(slip?.lines.find((l) => l.code === 'performance')?.amount).toBe('4500.00');
    expect(slip?.lines.find((l) => l.code === 'performance')?.explain.en).toContain('clamped to [0, 1.5]');
  });

  it('raises the coefficient to the policy minimum', () => {
    const floor: Policy = { ...policy, sales: { ...policy.sales, coefficient: { min: d('0.5'), max: d('1.5') } } };
    const [slip] = payslip(floor, {
      group: 'sales',
      level: 'junior',
      sales: { month: { amount: 0, target: 1 }, csat: 0, complaintRate: 1, teamwork: 0 },
    });
    expect(slip?.performance.coefficient).toBe('0.5');
    expect(slip?.gross).toBe('4500.00');
  });
});

describe('optional components (R-SAL-4)', () => {
  const withComponents: Policy = {
    ...policy,
    allowances: [
      {
        code: 'transport',
        name: { zh: '交通补贴', en: 'transport allowance' },
        amount: d('300'),
        groups: ['sales', 'basic'],
        prorate: true,
      },
      {
        code: 'skill',
        name: { zh: '技能津贴', en: 'skill allowance' },
        amount: d('200'),
        groups: ['basic'],
        levels: ['senior'],
        prorate: false,
      },
    ],
    commissions: [{ code: 'sales', name: { zh: '销售提成', en: 'sales commission' }, rate: d('0.015'), groups: ['sales'] }],
  };

  it('pays allowances by group and level, prorated where the policy says so, and commission on month sales', () => {
    const [sales] = payslip(withComponents, {
      group: 'sales',
      level: 'junior',
      attendance: { unpaidDays: 1, lateCount: 0 },
      sales: { ...salesFigures, month: { amount: 123457, target: 100000 } },
    });
    const lines = Object.fromEntries(sales?.lines.map((l) => [l.code, l.amount]) ?? []);
    expect(lines.allowance_transport).toBe('286.21'); // 300 × 20.75 ÷ 21.75 = 286.2069
    expect(lines.commission_sales).toBe('1851.86'); // 123457 × 0.015 = 1851.855 → half-up
    expect(lines.allowance_skill).toBeUndefined();

    const metrics = { conversations: 0, tickets: 0, wrongTickets: 0, deductions: 0, execution: 0, rewards: 0, excellentCases: 0, extra: 0 };
    const [senior] = payslip(withComponents, { group: 'basic', level: 'senior', metrics });
    const [junior] = payslip(withComponents, { group: 'basic', level: 'junior', metrics });
    expect(senior?.lines.map((l) => l.code)).toEqual(['base', 'performance', 'allowance_transport', 'allowance_skill']);
    expect(junior?.lines.map((l) => l.code)).toEqual(['base', 'performance', 'allowance_transport']);
  });
});

describe('explanations (R-RUN-3)', () => {
  it('every line names its rule and explains itself in both languages with its own amount', () => {
    const [slip] = payslip(policy, {
      group: 'basic',
      level: 'junior',
      attendance: { unpaidDays: 2, lateCount: 0, overtimeHours: { workday: 4 } },
      metrics: {
        conversations: 1500,
        tickets: 10,
        wrongTickets: 0,
        deductions: 25,
        execution: 40,
        rewards: 0,
        excellentCases: 0,
        extra: 0,
      },
    });
    for (const line of slip?.lines ?? []) {
      const shown = line.amount.replace('-', '');
      expect(line.explain.zh).toContain(shown);
      expect(line.explain.en).toContain(shown);
      expect(line.explain.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('input checks against the policy', () => {
  const problems = (data: unknown) => {
    try {
      readMonthInput(data, () => policy);
    } catch (error) {
      if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
      throw error;
    }
    return [];
  };
  const metrics = { conversations: 1, tickets: 0, wrongTickets: 0, deductions: 0, execution: 0, rewards: 0, excellentCases: 0, extra: 0 };

  it('refuses a level outside the group track, a scheme mismatch, duplicates and unknown leave', () => {
    expect(
      problems({
        period: '2026-10',
        employees: [
          { id: 'A', group: 'vip', level: 'senior', attendance: { unpaidDays: 0, lateCount: 0 }, metrics },
          { id: 'A', group: 'sales', level: 'junior', attendance: { unpaidDays: 0, lateCount: 0, leaveDays: { holiday: 1 } }, metrics },
        ],
      }),
    ).toEqual([
      'employees[0].level: "senior" is not a level of the vip group\'s track (vip_trainee, vip_junior, vip_intermediate, vip_senior)',
      'employees[1].id: duplicate employee id "A" (also employees[0])',
      'employees[1].sales: is required for the sales group',
      'employees[1].metrics: is not read for the sales group (sales scheme); remove it',
      'employees[1].attendance.leaveDays.holiday: unknown leave type (policy has: sick, annual, marriage, maternity, personal)',
    ]);
  });
});
