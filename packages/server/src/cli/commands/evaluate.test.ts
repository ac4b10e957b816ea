import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CliError } from '../errors.js';
import { defaultLevelsPath, type EvaluateOptions, runEvaluate } from './evaluate.js';
import { testDirectory } from '../../../../../tests/support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const DEFAULT_POLICY = path.join(ROOT, 'packages/core/policies/default.yaml');
const dir = testDirectory('ladder-evaluate-');

function file(name: string, content: unknown): string {
  writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return name;
}

const months = (deductions: number[] = [12, 20, 8], csat: number[] = [0.96, 0.93, 0.97], conversations: number[] = [2100, 1900, 2050]) =>
  ['2026-07', '2026-08', '2026-09'].map((month, i) => ({
    month,
    conversations: conversations[i],
    deductions: deductions[i],
    csat: csat[i],
  }));

/** The example of CALC-FORMAT.md. */
const example = {
  quarter: '2026-Q3',
  employees: [
    { id: 'E001', group: 'basic', level: 'junior', hiredOn: '2025-03-01', levelSince: '2025-06-01', knowledgeTest: 80, months: months() },
  ],
};

function run(input: unknown, overrides: Partial<EvaluateOptions> = {}): string {
  return runEvaluate({ input: file('quarter.json', input), policies: [], format: 'json', lang: 'zh', cwd: dir, ...overrides });
}

function refused(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof CliError) {
      expect(error.exitCode).toBe(2);
      return [...error.lines];
    }
    throw error;
  }
  throw new Error('not refused');
}

/** A policy file: the default policy with the given `levels` section (YAML data). */
function policyWithLevels(name: string, edit: (levels: Record<string, unknown>) => void, top: Record<string, unknown> = {}): string {
  const data = parse(readFileSync(DEFAULT_POLICY, 'utf8')) as Record<string, unknown>;
  const levels = (data.levels ?? parse(readFileSync(defaultLevelsPath(), 'utf8'))) as Record<string, unknown>;
  edit(levels);
  return file(name, stringify({ ...data, ...top, levels }));
}

describe('ladder evaluate (JSON)', () => {
  it('reproduces the example of CALC-FORMAT.md under the default policy', () => {
    const output = JSON.parse(run(example)) as { quarter: string; policy: Record<string, string>; decisions: Record<string, unknown>[] };
    expect(output.quarter).toBe('2026-Q3');
    expect(output.policy).toMatchObject({ id: 'default' });
    expect(output.decisions).toHaveLength(1);
    expect(output.decisions[0]).toMatchObject({
      employeeId: 'E001',
      decision: 'promote',
      from: 'junior',
      to: 'intermediate',
      effectiveFrom: '2026-10-01',
    });
    const checks = output.decisions[0]?.checks as Record<string, unknown>[];
    expect(checks).toContainEqual(expect.objectContaining({ indicator: 'knowledgeTest', value: '80', threshold: '≥ 70', pass: true }));
    for (const check of checks) expect(Object.keys(check)).toEqual(expect.arrayContaining(['indicator', 'value', 'threshold', 'pass']));
  });

  it('reads the level rules of a policy file that has a levels section', () => {
    const strict = policyWithLevels('strict.yaml', (levels) => {
      const basic = (levels.tracks as Record<string, { requirements: Record<string, Record<string, unknown>> }>).basic;
      if (basic?.requirements.intermediate) basic.requirements.intermediate.knowledgeTest = { atLeast: 90 };
    });
    const output = JSON.parse(run(example, { policies: [strict] })) as { decisions: Record<string, unknown>[] };
    expect(output.decisions[0]).toMatchObject({ decision: 'keep', to: 'junior' });
  });

  it('uses the default level rules for a policy file without a levels section', () => {
    const data = parse(readFileSync(DEFAULT_POLICY, 'utf8')) as Record<string, unknown>;
    delete data.levels;
    const bare = file('bare.yaml', stringify({ ...data, version: 'bare' }));
    const output = JSON.parse(run(example, { policies: [bare] })) as {
      policy: Record<string, string>;
      decisions: Record<string, unknown>[];
    };
    expect(output.policy.version).toBe('bare');
    expect(output.decisions[0]).toMatchObject({ decision: 'promote' });
  });

  it('uses the policy version in force on the first day of the quarter', () => {
    const old = policyWithLevels('v1.yaml', () => undefined, { version: 'v1', effectiveFrom: '2017-01-01' });
    const next = policyWithLevels(
      'v2.yaml',
      (levels) => {
        const basic = (levels.tracks as Record<string, { requirements: Record<string, Record<string, unknown>> }>).basic;
        if (basic?.requirements.intermediate) basic.requirements.intermediate.knowledgeTest = { atLeast: 90 };
      },
      { version: 'v2', effectiveFrom: '2026-07-02' },
    );
    const q3 = JSON.parse(run(example, { policies: [old, next] })) as {
      policy: Record<string, string>;
      decisions: Record<string, unknown>[];
    };
    expect(q3.policy.version).toBe('v1');
    expect(q3.decisions[0]).toMatchObject({ decision: 'promote' });
    const q4 = {
      ...example,
      quarter: '2026-Q4',
      employees: example.employees.map((e) => ({ ...e, months: months().map((m, i) => ({ ...m, month: `2026-${10 + i}` })) })),
    };
    const later = JSON.parse(run(q4, { policies: [old, next] })) as {
      policy: Record<string, string>;
      decisions: Record<string, unknown>[];
    };
    expect(later.policy.version).toBe('v2');
    expect(later.decisions[0]).toMatchObject({ decision: 'keep' });
  });
});

describe('ladder evaluate --format table', () => {
  it('prints a summary and every check, in Chinese by default', () => {
    const text = run(
      {
        ...example,
        employees: [...example.employees, { ...example.employees[0], id: 'E002', level: 'intermediate', months: months([31, 40, 35]) }],
      },
      { format: 'table' },
    );
    expect(text).toContain('2026-Q3 等级评定');
    expect(text).toMatch(/E001\s+基础客服\s+初级客服\s+晋升\s+中级客服\s+2026-10-01/);
    expect(text).toMatch(/E002\s+基础客服\s+中级客服\s+降级\s+初级客服\s+2026-10-01/);
    expect(text).toContain('共 晋升 1 人,降级 1 人');
    expect(text).toContain('知识考试');
    expect(text).toContain('下一级: 距高级客服还差');
  });

  it('prints English with --lang en', () => {
    const text = run(example, { format: 'table', lang: 'en' });
    expect(text).toContain('Level evaluation 2026-Q3');
    expect(text).toMatch(/E001\s+basic\s+junior\s+promote\s+intermediate\s+2026-10-01/);
    expect(text).toContain('In all: 1 promote');
    expect(text).toContain('knowledge test');
  });
});

describe('ladder evaluate refuses bad input: one line per problem, file and path', () => {
  it('names the file and JSON path of every problem, unknown fields included', () => {
    const lines = refused(() =>
      run({
        quarter: '2026-Q3',
        employees: [
          { ...example.employees[0], nickname: 'Li', knowledgeTest: 'eighty', months: [{ month: '2026-13', conversations: -1 }] },
        ],
      }),
    );
    expect(lines).toEqual([
      'quarter.json: employees[0].nickname: unknown field (expected one of: id, group, level, hiredOn, levelSince, juniorSince, knowledgeTest, internalComplaints, review360, trainingCourses, certificates, months)',
      'quarter.json: employees[0].knowledgeTest: must be a number or a decimal string, got "eighty"',
      'quarter.json: employees[0].months[0].month: must be a month YYYY-MM (01–12), got "2026-13"',
      'quarter.json: employees[0].months[0].conversations: must be at least 0, got -1',
    ]);
  });

  it('refuses consistency problems after the shape is right', () => {
    const lines = refused(() =>
      run({ ...example, employees: [{ ...example.employees[0], level: 'vip_junior', months: months().slice(0, 2) }] }),
    );
    expect(lines).toEqual([
      'quarter.json: employees[0].level: "vip_junior" is not a level of the basic group\'s track (trainee, junior, intermediate, senior)',
    ]);
    expect(refused(() => run({ ...example, employees: [{ ...example.employees[0], months: months().slice(0, 2) }] }))).toEqual([
      'quarter.json: employees[0].months: no record for 2026-09 (every month of the quarter needs one)',
    ]);
  });

  it('refuses a file that is not JSON, or is missing', () => {
    expect(
      refused(() => runEvaluate({ input: file('broken.json', '{"quarter": '), policies: [], format: 'json', lang: 'zh', cwd: dir }))[0],
    ).toMatch(/^broken\.json: .*not valid JSON/);
    expect(refused(() => runEvaluate({ input: 'nowhere.json', policies: [], format: 'json', lang: 'zh', cwd: dir }))).toEqual([
      'nowhere.json: no such file',
    ]);
  });

  it('refuses a quarter before every policy version', () => {
    const lines = refused(() =>
      run({
        ...example,
        quarter: '2016-Q4',
        employees: example.employees.map((e) => ({
          ...e,
          hiredOn: '2015-01-01',
          levelSince: '2015-06-01',
          months: months().map((m, i) => ({ ...m, month: `2016-${10 + i}` })),
        })),
      }),
    );
    expect(lines).toEqual(['quarter.json: quarter: no policy version is in force on 2016-10-01 (the earliest takes effect on 2017-01-01)']);
  });

  it('refuses a policy whose levels section is wrong, with the path inside it', () => {
    const bad = policyWithLevels('bad-levels.yaml', (levels) => {
      const tracks = levels.tracks as Record<string, Record<string, unknown>>;
      if (tracks.basic) tracks.basic.floor = 'boss';
      levels.extra = true;
    });
    expect(refused(() => run(example, { policies: [bad] }))).toEqual([
      'bad-levels.yaml: levels.extra: unknown field (expected one of: reference, review360, raises, tracks)',
    ]);
    const badFloor = policyWithLevels('bad-floor.yaml', (levels) => {
      const tracks = levels.tracks as Record<string, Record<string, unknown>>;
      if (tracks.basic) tracks.basic.floor = 'boss';
    });
    expect(refused(() => run(example, { policies: [badFloor] }))).toEqual([
      'bad-floor.yaml: levels.tracks.basic.floor: "boss" is not a level of the track (trainee, junior, intermediate, senior)',
    ]);
  });

  it('reports the problems of the rest of the policy together with those of its levels section', () => {
    const both = policyWithLevels('both.yaml', (levels) => (levels.extra = 1), { version: 7 });
    expect(refused(() => run(example, { policies: [both] }))).toEqual([
      'both.yaml: version: must be text, got 7',
      'both.yaml: levels.extra: unknown field (expected one of: reference, review360, raises, tracks)',
    ]);
  });
});
