import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import { ValidationError } from '../validate/problems.js';
import { q3Months, type RawPerson, rawPerson, rawQuarter } from './fixtures.js';
import { dayAfterQuarter, readQuarterInput } from './input.js';
import { parseLevelRules } from './policy.js';
import type { Quarter } from '../period/period.js';

const policy = parsePolicy(defaultPolicyText()).policy;
const rules = parseLevelRules(readFileSync(new URL('./default-levels.yaml', import.meta.url), 'utf8'), policy);

function problems(data: unknown): string[] {
  try {
    readQuarterInput(data, rules, policy);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

const refused = (...employees: RawPerson[]) => problems(rawQuarter(employees));

describe('readQuarterInput', () => {
  it('accepts the example and numbers as decimal strings', () => {
    const input = readQuarterInput(
      rawQuarter([rawPerson({ knowledgeTest: '80', months: q3Months([2100, 1900, 2050], [12, 20, 8], [0.96, 0.93, 0.97]).reverse() })]),
      rules,
      policy,
    );
    expect(input.quarter).toBe('2026-Q3');
    expect(input.employees[0]?.knowledgeTest?.toFixed()).toBe('80');
    expect(input.employees[0]?.months.map((m) => m.month)).toEqual(['2026-07', '2026-08', '2026-09']);
  });

  it('refuses unknown fields, wrong types and a bad quarter, each with its path', () => {
    expect(problems({ quarter: '2026-Q5', employees: [], extra: 1 })).toEqual([
      'extra: unknown field (expected one of: quarter, employees)',
      'quarter: must be a quarter YYYY-Qn (n 1–4), got "2026-Q5"',
      'employees: must not be empty',
    ]);
    const person = rawPerson({ nickname: 'x', hiredOn: '2026-02-30' });
    (person.months[1] as unknown as Record<string, unknown>).csat = 96;
    (person.months[2] as unknown as Record<string, unknown>).tickets = 3;
    expect(refused(person)).toEqual([
      'employees[0].nickname: unknown field (expected one of: id, group, level, hiredOn, levelSince, juniorSince, knowledgeTest, internalComplaints, review360, trainingCourses, certificates, months)',
      'employees[0].hiredOn: must be a date YYYY-MM-DD, got "2026-02-30"',
      'employees[0].months[1].csat: must be at most 1, got 96',
      'employees[0].months[2].tickets: unknown field (expected one of: month, conversations, deductions, csat, complaintResolutionRate, handleTime)',
    ]);
  });

  it('refuses unknown groups and levels, and duplicate ids', () => {
    expect(refused(rawPerson({ group: 'support' }), rawPerson({ level: 'expert' }), rawPerson({ group: 'vip', level: 'junior' }))).toEqual([
      'employees[0].group: unknown group "support" (groups: basic, vip, phone, sales)',
      'employees[1].id: duplicate employee id "E001" (also employees[0])',
      'employees[1].level: "expert" is not a level of the basic group\'s track (trainee, junior, intermediate, senior)',
      'employees[2].id: duplicate employee id "E001" (also employees[0])',
      'employees[2].level: "junior" is not a level of the vip group\'s track (vip_trainee, vip_junior, vip_intermediate, vip_senior)',
    ]);
  });

  it('refuses dates that do not fit the quarter or each other', () => {
    expect(refused(rawPerson({ hiredOn: '2026-10-01', levelSince: '2026-10-01' }))).toEqual([
      'employees[0].hiredOn: 2026-10-01 is after the quarter 2026-Q3 (ends 2026-09-30)',
      'employees[0].levelSince: 2026-10-01 is after the quarter 2026-Q3 (ends 2026-09-30)',
      'employees[0].months[0].month: 2026-07 is before the hire month (hiredOn 2026-10-01)',
      'employees[0].months[1].month: 2026-08 is before the hire month (hiredOn 2026-10-01)',
      'employees[0].months[2].month: 2026-09 is before the hire month (hiredOn 2026-10-01)',
    ]);
    expect(refused(rawPerson({ hiredOn: '2025-03-01', levelSince: '2025-02-01', juniorSince: '2025-07-01' }))).toEqual([
      'employees[0].levelSince: 2025-02-01 is before hiredOn 2025-03-01',
      'employees[0].juniorSince: 2025-07-01 is after levelSince 2025-02-01 (the junior level is reached before or with the current one)',
    ]);
    expect(refused(rawPerson({ level: 'trainee', hiredOn: '2026-05-01', levelSince: '2026-05-01', juniorSince: '2026-05-01' }))).toEqual([
      'employees[0].juniorSince: a person at the probation level "trainee" has not reached junior yet; remove juniorSince',
    ]);
  });

  it('needs one record for every month of the quarter from the hire month on', () => {
    const months = q3Months([1, 1, 1], [1, 1, 1], [1, 1, 1]);
    expect(refused(rawPerson({ months: [months[0], months[0], { ...months[1], month: '2026-10' }] as RawPerson['months'] }))).toEqual([
      'employees[0].months[1].month: 2026-07 is given twice (also months[0])',
      'employees[0].months[2].month: 2026-10 is not a month of 2026-Q3 (2026-07, 2026-08, 2026-09)',
      'employees[0].months: no record for 2026-08, 2026-09 (every month of the quarter needs one)',
    ]);
    expect(refused(rawPerson({ hiredOn: '2026-08-15', levelSince: '2026-08-15', months: months.slice(2) }))).toEqual([
      'employees[0].months: no record for 2026-08 (every month from the hire month 2026-08 on needs one)',
    ]);
  });

  it('needs the figures the current and the next level ask for, and only those', () => {
    const person = rawPerson({
      knowledgeTest: undefined,
      months: q3Months([1, 1, 1], [1, 1, 1], [1, 1, 1]).map(({ month, conversations }) => ({ month, conversations })),
    });
    expect(refused(person)).toEqual([
      'employees[0].months[0].deductions: is required: the requirements for junior (the current level) include deductions',
      'employees[0].months[1].deductions: is required: the requirements for junior (the current level) include deductions',
      'employees[0].months[2].deductions: is required: the requirements for junior (the current level) include deductions',
      'employees[0].months[0].csat: is required: the requirements for intermediate (the next level) include CSAT',
      'employees[0].months[1].csat: is required: the requirements for intermediate (the next level) include CSAT',
      'employees[0].months[2].csat: is required: the requirements for intermediate (the next level) include CSAT',
      'employees[0].knowledgeTest: is required: the requirements for intermediate (the next level) include a knowledge test',
    ]);
    // a trainee aims at junior: deductions only; the top of a track needs no knowledge test
    const bare = q3Months([1, 1, 1], [1, 1, 1], [1, 1, 1]).map(({ month, conversations, deductions }) => ({
      month,
      conversations,
      deductions,
    }));
    expect(
      refused(rawPerson({ level: 'trainee', hiredOn: '2026-05-01', levelSince: '2026-05-01', knowledgeTest: undefined, months: bare })),
    ).toEqual([]);
    expect(refused(rawPerson({ level: 'senior', knowledgeTest: undefined }))).toEqual([]);
  });

  it('the day after the quarter', () => {
    expect(dayAfterQuarter('2026-Q3' as Quarter)).toBe('2026-10-01');
    expect(dayAfterQuarter('2026-Q4' as Quarter)).toBe('2027-01-01');
  });
});
