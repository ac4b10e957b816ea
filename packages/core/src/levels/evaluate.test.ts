import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import type { LevelCheck } from './checks.js';
import { evaluateQuarter, type LevelEvaluation } from './evaluate.js';
import { q3Months, type RawPerson, rawPerson, rawQuarter } from './fixtures.js';
import { quarterEvaluationToJson } from './format.js';
import { readQuarterInput } from './input.js';
import { type LevelRules, parseLevelRules } from './policy.js';

const policy = parsePolicy(defaultPolicyText()).policy;
const levelsText = readFileSync(new URL('./default-levels.yaml', import.meta.url), 'utf8');
const rules = parseLevelRules(levelsText, policy);

function evaluate(employees: RawPerson[], quarter = '2026-Q3', levelRules: LevelRules = rules): LevelEvaluation[] {
  const input = readQuarterInput(rawQuarter(employees, quarter), levelRules, policy);
  return evaluateQuarter(levelRules, policy, input).evaluations;
}

function one(person: RawPerson, peers: RawPerson[] = []): LevelEvaluation {
  const result = evaluate([person, ...peers])[0];
  if (!result) throw new Error('no evaluation');
  return result;
}

function check(e: LevelEvaluation, indicator: string, month?: string): LevelCheck {
  const found = e.checks.find((c) => c.indicator === indicator && c.month === month);
  if (!found)
    throw new Error(`no check ${indicator} ${month ?? ''} in ${e.checks.map((c) => `${c.indicator}@${c.month ?? '-'}`).join(' ')}`);
  return found;
}

/** A peer of the same group whose conversations set the average. */
const peer = (id: string, conversations: number[], group = 'basic'): RawPerson =>
  rawPerson({
    id,
    group,
    level: 'senior',
    levelSince: '2024-01-01',
    hiredOn: '2023-01-01',
    months: q3Months(conversations, [10, 10, 10], [0.96, 0.96, 0.96]),
  });

describe('the example of CALC-FORMAT.md', () => {
  it('promotes E001 from junior to intermediate from 2026-10-01', () => {
    const e = one(
      rawPerson({
        hiredOn: '2025-03-01',
        levelSince: '2025-06-01',
        knowledgeTest: 80,
        months: [
          { month: '2026-07', conversations: 2100, deductions: 12, csat: 0.96 },
          { month: '2026-08', conversations: 1900, deductions: 20, csat: 0.93 },
          { month: '2026-09', conversations: 2050, deductions: 8, csat: 0.97 },
        ],
      }),
    );
    expect(e).toMatchObject({ decision: 'promote', from: 'junior', to: 'intermediate', effectiveFrom: '2026-10-01', rule: 'R-LVL-5' });
    expect(check(e, 'deductions')).toMatchObject({ level: 'intermediate', value: '13.33', threshold: '≤ 30', pass: true });
    expect(check(e, 'csat')).toMatchObject({ value: '0.9533', threshold: '≥ 0.9', pass: true });
    expect(check(e, 'knowledgeTest')).toMatchObject({ value: '80', threshold: '≥ 70', pass: true });
    expect(check(e, 'tenure')).toMatchObject({ value: '2025-09-01', threshold: '≤ 2026-10-01', pass: true });
    expect(e.payEffect).toMatchObject({ mode: 'levelPay' });
    expect(e.explain.zh).toContain('晋升为中级客服');
    expect(e.explain.en).toContain('promoted to intermediate from 2026-10-01');
  });
});

describe('R-LVL-3 the basic indicator', () => {
  it('compares each month with the average of the same group, the person included', () => {
    // basic average in July: (2000 + 2300) / 2 = 2150
    const e = one(rawPerson(), [peer('P1', [2300, 2000, 2000])]);
    expect(check(e, 'conversations', '2026-07')).toMatchObject({ value: '2000', threshold: '≥ 2150', pass: false });
    expect(check(e, 'conversations', '2026-08')).toMatchObject({ threshold: '≥ 2000', pass: true });
    expect(e.decision).toBe('keep');
  });

  it('ignores other groups, even of the same track (phone and basic)', () => {
    const e = one(rawPerson(), [peer('P1', [9000, 9000, 9000], 'phone')]);
    expect(check(e, 'conversations', '2026-07')).toMatchObject({ threshold: '≥ 2000', pass: true });
    expect(e.decision).toBe('promote');
  });

  it('compares exactly: 2017 is not below an average of 2016.67', () => {
    const e = one(rawPerson({ months: q3Months([2017, 2017, 2017], [1, 1, 1], [1, 1, 1]) }), [
      peer('P1', [2000, 2017, 2017]),
      peer('P2', [2033, 2017, 2017]),
    ]);
    expect(check(e, 'conversations', '2026-07')).toMatchObject({ value: '2017', threshold: '≥ 2016.67', pass: true });
  });

  it('says how many conversations were missing', () => {
    const e = one(rawPerson({ months: q3Months([1977, 2000, 2000], [1, 1, 1], [1, 1, 1]) }), [peer('P1', [2023, 2000, 2000])]);
    expect(check(e, 'conversations', '2026-07')).toMatchObject({
      pass: false,
      missing: { en: '23 more conversations in 2026-07 (group average 2000)' },
    });
  });
});

describe('R-LVL-4 tenure', () => {
  it('holds exactly at the boundary: since 2026-07-01, 3 months, at the end of 2026-09', () => {
    const e = one(rawPerson({ levelSince: '2026-07-01' }));
    expect(check(e, 'tenure')).toMatchObject({ value: '2026-10-01', pass: true });
    expect(e.decision).toBe('promote');
  });

  it('fails one day short', () => {
    const e = one(rawPerson({ levelSince: '2026-07-02' }));
    expect(check(e, 'tenure')).toMatchObject({ value: '2026-10-02', pass: false });
    expect(e.decision).toBe('keep');
    expect(e.explain.en).toContain('tenure');
  });

  it('counts the senior tenure from juniorSince, else from hiredOn', () => {
    const intermediate = (extra: Partial<RawPerson>) =>
      rawPerson({
        level: 'intermediate',
        levelSince: '2026-04-01',
        knowledgeTest: 90,
        months: q3Months([2000, 2000, 2000], [10, 10, 10], [0.96, 0.96, 0.96]),
        ...extra,
      });
    expect(check(one(intermediate({ hiredOn: '2025-08-01', juniorSince: '2025-10-01' })), 'tenure')).toMatchObject({
      value: '2026-10-01',
      pass: true,
    });
    expect(check(one(intermediate({ hiredOn: '2025-08-01', juniorSince: '2025-10-02' })), 'tenure')).toMatchObject({
      value: '2026-10-02',
      pass: false,
    });
    const fromHire = one(intermediate({ hiredOn: '2025-10-01' }));
    expect(check(fromHire, 'tenure')).toMatchObject({ value: '2026-10-01', pass: true });
    expect(check(fromHire, 'tenure').explain.en).toContain('no juniorSince given');
    expect(fromHire.decision).toBe('promote');
  });

  it('clamps to the month end: since 2025-11-30 plus 3 months is 2026-02-28', () => {
    const e = evaluate(
      [
        rawPerson({
          levelSince: '2025-11-30',
          months: q3Months([1, 1, 1], [1, 1, 1], [1, 1, 1]).map((m, i) => ({ ...m, month: `2026-0${i + 1}` })),
        }),
      ],
      '2026-Q1',
    )[0];
    expect(e && check(e, 'tenure')).toMatchObject({ value: '2026-02-28', threshold: '≤ 2026-04-01', pass: true });
  });
});

describe('R-LVL-5 decisions', () => {
  const intermediate = (deductions: number[], csat = [0.95, 0.95, 0.95]) =>
    rawPerson({
      level: 'intermediate',
      levelSince: '2025-01-01',
      hiredOn: '2024-01-01',
      knowledgeTest: 80,
      months: q3Months([2000, 2000, 2000], deductions, csat),
    });

  it('keeps an intermediate with one failing month', () => {
    const e = one(intermediate([31, 10, 10]));
    expect(e.decision).toBe('keep');
    expect(check(e, 'monthHolds', '2026-07')).toMatchObject({ level: 'intermediate', pass: false });
    expect(check(e, 'monthsHolding')).toMatchObject({ value: '2', pass: true });
  });

  it('demotes an intermediate with three failing months to junior', () => {
    const e = one(intermediate([31, 40, 35]));
    expect(e).toMatchObject({ decision: 'demote', from: 'intermediate', to: 'junior', effectiveFrom: '2026-10-01' });
    expect(check(e, 'monthsHolding')).toMatchObject({ value: '0', pass: false });
    expect(e.payEffect).toMatchObject({ mode: 'levelPay', levelBonus: { from: expect.anything(), to: expect.anything() } });
    expect(e.explain.zh).toContain('降为初级客服');
  });

  it('counts a month failing on CSAT alone as failing', () => {
    const e = one(intermediate([10, 10, 10], [0.89, 0.85, 0.8]));
    expect(e.decision).toBe('demote');
  });

  it('counts a month failing the basic indicator as failing', () => {
    const low = rawPerson({
      level: 'intermediate',
      levelSince: '2025-01-01',
      months: q3Months([1000, 1000, 1000], [10, 10, 10], [0.95, 0.95, 0.95]),
    });
    const e = one(low, [peer('P1', [3000, 3000, 3000])]);
    expect(e.decision).toBe('demote');
  });

  it('keeps the junior floor even with three failing months', () => {
    const e = one(rawPerson({ months: q3Months([2000, 2000, 2000], [31, 40, 50], [0.5, 0.5, 0.5]) }));
    expect(e).toMatchObject({ decision: 'keep', to: 'junior' });
    expect(e.explain.en).toContain('floor');
  });

  it('never promotes the top of a track, but may demote it', () => {
    const senior = (deductions: number[]) =>
      rawPerson({
        level: 'senior',
        levelSince: '2024-01-01',
        knowledgeTest: 100,
        months: q3Months([2000, 2000, 2000], deductions, [1, 1, 1]),
      });
    const top = one(senior([0, 0, 0]));
    expect(top).toMatchObject({ decision: 'keep', to: 'senior' });
    expect(top.checks.some((c) => c.level !== undefined && c.level !== 'senior')).toBe(false);
    expect(top.explain.en).toContain('top of the track');
    expect(one(senior([25, 21, 30]))).toMatchObject({ decision: 'demote', to: 'intermediate' });
  });

  it('promotes only when the basic indicator holds all three months', () => {
    const e = one(rawPerson({ months: q3Months([2000, 1999, 2000], [10, 10, 10], [1, 1, 1]) }), [peer('P1', [2000, 2001, 2000])]);
    expect(check(e, 'basicMonths')).toMatchObject({ value: '2', pass: false });
    expect(e.decision).toBe('keep');
  });

  it('compares the CSAT mean exactly and shows enough places not to mislead', () => {
    const e = one(
      rawPerson({
        level: 'intermediate',
        levelSince: '2025-01-01',
        knowledgeTest: 90,
        months: q3Months([1, 1, 1], [10, 10, 10], [0.95, 0.95, 0.949]),
      }),
    );
    expect(check(e, 'csat')).toMatchObject({ value: '0.9497', threshold: '≥ 0.95', pass: false });
    expect(e.decision).toBe('keep');
  });

  it('keeps a person hired during the quarter: not a whole quarter on record', () => {
    const e = one(
      rawPerson({
        group: 'sales',
        level: 'intermediate',
        hiredOn: '2026-08-10',
        levelSince: '2026-08-10',
        months: q3Months([1, 1, 1], [99, 99, 99], [0, 0, 0]).slice(1),
      }),
    );
    expect(e.decision).toBe('keep');
    expect(check(e, 'conversations', '2026-07')).toMatchObject({ value: null, pass: false });
    expect(e.explain.en).toContain('not a whole quarter');
  });
});

describe('R-LVL-5 trainees', () => {
  const trainee = (hiredOn: string, deductions = [10, 10, 10]) =>
    rawPerson({
      level: 'trainee',
      hiredOn,
      levelSince: hiredOn,
      knowledgeTest: undefined,
      months: q3Months([2000, 2000, 2000], deductions, [0.9, 0.9, 0.9]),
    });

  it('keeps a trainee on probation (hired one day too late)', () => {
    const e = one(trainee('2026-07-02'));
    expect(e).toMatchObject({ decision: 'keep', to: 'trainee' });
    expect(check(e, 'probation')).toMatchObject({ value: '2026-10-02', threshold: '≤ 2026-10-01', pass: false });
  });

  it('promotes a trainee whose probation ended exactly at the quarter end', () => {
    const e = one(trainee('2026-07-01'));
    expect(e).toMatchObject({ decision: 'promote', from: 'trainee', to: 'junior' });
    expect(check(e, 'probation')).toMatchObject({ value: '2026-10-01', pass: true });
    expect(check(e, 'deductions')).toMatchObject({ level: 'junior', pass: true });
  });

  it('flags for a dismissal review a trainee after probation who does not meet junior', () => {
    const e = one(trainee('2026-03-15', [31, 31, 31]));
    expect(e).toMatchObject({ decision: 'review_dismissal', from: 'trainee', to: 'trainee', payEffect: null });
    expect(e.explain.zh).toContain('不会自动辞退');
    expect(e.explain.en).toContain('never dismissed automatically');
  });

  it('flags a trainee after probation who misses the basic indicator', () => {
    const e = one(trainee('2026-03-15'), [peer('P1', [4000, 4000, 4000])]);
    expect(e.decision).toBe('review_dismissal');
  });

  it('never checks a trainee against the trainee level (no month-holds checks)', () => {
    const e = one(trainee('2026-03-15'));
    expect(e.checks.filter((c) => c.indicator === 'monthHolds' || c.indicator === 'monthsHolding')).toEqual([]);
  });
});

describe('the vip and sales tracks', () => {
  it('promotes vip_junior to vip_intermediate and vip_trainee to vip_junior', () => {
    const vip = (level: string, extra: Partial<RawPerson> = {}) => rawPerson({ group: 'vip', level, ...extra });
    expect(one(vip('vip_junior'))).toMatchObject({ decision: 'promote', to: 'vip_intermediate' });
    expect(one(vip('vip_trainee', { hiredOn: '2026-06-01', levelSince: '2026-06-01', knowledgeTest: undefined }))).toMatchObject({
      decision: 'promote',
      to: 'vip_junior',
    });
    expect(one(vip('vip_junior', { months: q3Months([1, 1, 1], [40, 40, 40], [0, 0, 0]) }))).toMatchObject({
      decision: 'keep',
      to: 'vip_junior',
    });
  });

  it('promotes a sales senior with 12 months as senior to expert, with the new base pay', () => {
    const e = one(
      rawPerson({
        group: 'sales',
        level: 'senior',
        levelSince: '2025-10-01',
        knowledgeTest: 90,
        months: q3Months([100, 100, 100], [15, 15, 15], [0.95, 0.95, 0.95]),
      }),
    );
    expect(e).toMatchObject({ decision: 'promote', from: 'senior', to: 'expert' });
    expect(e.payEffect?.mode).toBe('levelPay');
    if (e.payEffect?.mode === 'levelPay') {
      expect(e.payEffect.basePay.to.toFixed(2)).toBe('4500.00');
      expect(e.payEffect.levelBonus).toBeUndefined();
    }
  });

  it('keeps the sales junior, the first level and the floor', () => {
    const e = one(rawPerson({ group: 'sales', level: 'junior', months: q3Months([1, 1, 1], [99, 99, 99], [0, 0, 0]) }));
    expect(e).toMatchObject({ decision: 'keep', to: 'junior' });
    // the entry level has no requirements of its own: a month holds for it on the basic indicator alone
    expect(check(e, 'monthHolds', '2026-07')).toMatchObject({ value: '1/1', pass: true });
  });
});

describe('optional indicators (R-LVL-4, R-EXT-1, R-EXT-3) and the raise', () => {
  const custom = parseLevelRules(
    levelsText
      .replace('payEffect: levelPay\n    requirements:\n      junior:', 'payEffect: raise\n    requirements:\n      junior:')
      .replace(
        '      intermediate:\n        tenure: { months: 3, since: levelSince }\n        deductions: { atMost: 30 }\n        csat: { atLeast: 0.9 }\n        knowledgeTest: { atLeast: 70 }\n      senior:',
        [
          '      intermediate:',
          '        tenure: { months: 3, since: levelSince }',
          '        deductions: { atMost: 30 }',
          '        csat: { atLeast: 0.9 }',
          '        knowledgeTest: { atLeast: 70 }',
          '        complaintResolutionRate: { atLeast: 0.9 }',
          '        handleTime: { atMost: 300 }',
          '        trainingCourses: { atLeast: 2, include: [service-basics] }',
          '        certificates: { include: [product-l1] }',
          '        review360: { atLeast: 80 }',
          '        internalComplaints: { atMost: 0 }',
          '      senior:',
        ].join('\n'),
      ),
    policy,
  );
  const full = (extra: Partial<RawPerson> = {}): RawPerson =>
    rawPerson({
      months: q3Months([2000, 2000, 2000], [10, 10, 10], [0.95, 0.95, 0.95]).map((m) => ({
        ...m,
        complaintResolutionRate: 0.92,
        handleTime: 280,
      })),
      trainingCourses: ['service-basics', 'product-1'],
      certificates: ['product-l1'],
      review360: { self: 90, manager: 80, peers: 75 },
      internalComplaints: 0,
      ...extra,
    });
  const run = (p: RawPerson) => evaluate([p], '2026-Q3', custom)[0] as LevelEvaluation;

  it('weighs the 360 ratings 10/60/30: 90×0.1 + 80×0.6 + 75×0.3 = 79.5 < 80 keeps', () => {
    const e = run(full());
    expect(check(e, 'review360')).toMatchObject({ value: '79.5', threshold: '≥ 80', pass: false });
    expect(check(e, 'review360').explain.en).toContain('self 90×0.1 + manager 80×0.6 + peers 75×0.3');
    expect(e.decision).toBe('keep');
  });

  it('promotes with the raise of one level when all are met; names what is missing otherwise', () => {
    const ok = run(full({ review360: { self: 90, manager: 80, peers: 85 } }));
    expect(check(ok, 'review360')).toMatchObject({ value: '82.5', threshold: '≥ 80', pass: true });
    expect(ok).toMatchObject({ decision: 'promote', payEffect: { mode: 'raise', levels: 1 } });
    expect(ok.payEffect?.mode === 'raise' && ok.payEffect.rate?.toFixed()).toBe('0.08');
    const bad = run(
      full({
        review360: { self: 90, manager: 80, peers: 85 },
        trainingCourses: ['product-1'],
        certificates: [],
        internalComplaints: 1,
        months: q3Months([2000, 2000, 2000], [10, 10, 10], [0.95, 0.95, 0.95]).map((m) => ({
          ...m,
          complaintResolutionRate: 0.8,
          handleTime: 320,
        })),
      }),
    );
    expect(bad.decision).toBe('keep');
    expect(check(bad, 'trainingCourses')).toMatchObject({
      value: '1',
      pass: false,
      missing: { en: '1 more training courses; missing service-basics' },
    });
    expect(check(bad, 'certificates')).toMatchObject({ value: '0', pass: false, missing: { en: 'missing product-l1' } });
    expect(check(bad, 'internalComplaints')).toMatchObject({ value: '1', threshold: '≤ 0', pass: false });
    expect(check(bad, 'complaintResolutionRate')).toMatchObject({ value: '0.8', pass: false });
    expect(check(bad, 'handleTime')).toMatchObject({
      value: '320',
      threshold: '≤ 300',
      pass: false,
      missing: { en: 'average handle time 320 s → needs ≤ 300 s' },
    });
  });

  it('cuts no pay automatically on a demotion under the raise mode', () => {
    const e = run(
      full({
        level: 'intermediate',
        months: q3Months([2000, 2000, 2000], [40, 40, 40], [0.5, 0.5, 0.5]).map((m) => ({
          ...m,
          complaintResolutionRate: 1,
          handleTime: 1,
        })),
      }),
    );
    expect(e).toMatchObject({ decision: 'demote', payEffect: { mode: 'raise', levels: -1, rate: null } });
  });
});

describe('the JSON of CALC-FORMAT.md', () => {
  it('has decision, from, to, effectiveFrom and checks of { indicator, month?, value, threshold, pass }', () => {
    const input = readQuarterInput(rawQuarter([rawPerson()]), rules, policy);
    const json = quarterEvaluationToJson(evaluateQuarter(rules, policy, input), {
      id: 'default',
      version: '2017.1',
      effectiveFrom: '2017-01-01',
    }) as {
      decisions: Record<string, unknown>[];
    };
    const d = json.decisions[0] as Record<string, unknown>;
    expect(d).toMatchObject({ employeeId: 'E001', decision: 'promote', from: 'junior', to: 'intermediate', effectiveFrom: '2026-10-01' });
    const checks = d.checks as Record<string, unknown>[];
    expect(checks[0]).toEqual({
      indicator: 'conversations',
      month: '2026-07',
      value: '2000',
      threshold: '≥ 2000',
      pass: true,
      explain: { zh: expect.stringContaining('基本指标达标'), en: expect.stringContaining('basic indicator is met') },
    });
    expect(d.payEffect).toEqual({
      mode: 'levelPay',
      rule: 'R-LVL-6',
      basePay: { from: '3000.00', to: '3000.00' },
      levelBonus: { from: '50', to: '100' },
      explain: expect.anything(),
    });
  });

  it('explains every check in both languages', () => {
    for (const e of evaluate([
      rawPerson(),
      peer('P1', [1, 5000, 1]),
      rawPerson({ id: 'T', level: 'trainee', hiredOn: '2026-01-01', levelSince: '2026-01-01' }),
    ])) {
      for (const c of e.checks) {
        expect(c.explain.zh.length).toBeGreaterThan(0);
        expect(c.explain.en.length).toBeGreaterThan(0);
      }
    }
  });
});
