/** The real `ladder` binary, spawned as a person would run it: exit status, stdout, stderr. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDirectory } from '../../../../tests/support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = path.join(ROOT, 'packages/server/bin/ladder.js');
const DEFAULT_POLICY = path.join(ROOT, 'packages/core/policies/default.yaml');
const dir = testDirectory('ladder-cli-');

function ladder(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, content: unknown): string {
  writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return name;
}

const metrics = {
  conversations: 2000,
  tickets: 30,
  wrongTickets: 2,
  deductions: 18,
  execution: 50,
  rewards: 0,
  excellentCases: 1,
  extra: 0,
};
const agent = (overrides: Record<string, unknown> = {}) => ({
  id: 'E001',
  group: 'basic',
  level: 'intermediate',
  attendance: { unpaidDays: 0, lateCount: 0 },
  metrics,
  ...overrides,
});
const month = (employees: unknown[], period: unknown = '2026-10') => ({ period, employees });

function refused(name: string, content: unknown): string[] {
  const result = ladder('calc', '--input', file(name, content));
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  const lines = result.stderr.trimEnd().split('\n');
  for (const line of lines) expect(line.startsWith(`${name}: `)).toBe(true);
  return lines;
}

describe('ladder calc', () => {
  it('prints the payslips as JSON (SPEC §14 example 1)', () => {
    const result = ladder('calc', '--input', file('ok.json', month([agent()])));
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const output = JSON.parse(result.stdout) as { period: string; policy: { id: string }; payslips: { gross: string }[] };
    expect(output.period).toBe('2026-10');
    expect(output.policy.id).toBe('default');
    expect(output.payslips[0]?.gross).toBe('4355.00');
  });

  it('prints a table for people', () => {
    const result = ladder('calc', '--input', file('ok.json', month([agent()])), '--format', 'table');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('应发合计');
    expect(result.stdout).toMatch(/E001\s+基础客服\s+中级客服\s+18\s+1\.2\s+优秀\s+2710\s+1355\.00\s+4355\.00/);
  });

  it('accepts decimal strings as numbers', () => {
    const result = ladder(
      'calc',
      '--input',
      file('strings.json', month([agent({ metrics: { ...metrics, deductions: '18', conversations: '2000' } })])),
    );
    expect(JSON.parse(result.stdout).payslips[0].gross).toBe('4355.00');
  });

  it('refuses malformed JSON with the line and column', () => {
    expect(refused('broken.json', '{\n  "period": "2026-10",\n  "employees": [ }\n')).toEqual([
      expect.stringMatching(/^broken\.json: line 3, column \d+: not valid JSON/),
    ]);
  });

  it('refuses unknown and missing fields', () => {
    const { metrics: _dropped, ...noMetrics } = agent();
    void _dropped;
    expect(
      refused(
        'fields.json',
        month([
          { ...agent(), bonus: 5 },
          { ...noMetrics, id: 'E002' },
        ]),
      ),
    ).toEqual([
      'fields.json: employees[0].bonus: unknown field (expected one of: id, group, level, basePay, attendance, metrics, sales)',
      'fields.json: employees[1].metrics: is required for the basic group',
    ]);
    expect(refused('missing.json', month([agent({ attendance: { lateCount: 0 } })]))).toEqual([
      'missing.json: employees[0].attendance.unpaidDays: is required',
    ]);
  });

  it('refuses negative counts, NaN, Infinity and numbers beyond the safe range', () => {
    const badNumbers = {
      ...metrics,
      conversations: -1,
      tickets: 'NaN',
      wrongTickets: 'Infinity',
      deductions: 'HUGE',
      // eslint-disable-next-line no-loss-of-precision -- the point: a JSON integer beyond 2^53 must be refused
      execution: 12345678901234567890,
      rewards: '5e3',
    };
    // 1e400 is valid JSON that parses to Infinity; it cannot be written by JSON.stringify.
    expect(refused('numbers.json', JSON.stringify(month([agent({ metrics: badNumbers })])).replace('"HUGE"', '1e400'))).toEqual([
      'numbers.json: employees[0].metrics.conversations: must be at least 0, got -1',
      'numbers.json: employees[0].metrics.tickets: must be a number or a decimal string, got "NaN"',
      'numbers.json: employees[0].metrics.wrongTickets: must be a number or a decimal string, got "Infinity"',
      'numbers.json: employees[0].metrics.deductions: must be a finite number, got Infinity',
      'numbers.json: employees[0].metrics.execution: 12345678901234567000 is beyond the safe number range',
      'numbers.json: employees[0].metrics.rewards: must be a number or a decimal string, got "5e3"',
    ]);
    expect(refused('huge.json', month([agent({ metrics: { ...metrics, conversations: 2000000000 } })]))).toEqual([
      'huge.json: employees[0].metrics.conversations: 2000000000 is beyond the safe range (at most 1000000000 in size)',
    ]);
    expect(refused('fraction.json', month([agent({ metrics: { ...metrics, tickets: 1.5 } })]))).toEqual([
      'fraction.json: employees[0].metrics.tickets: must be a whole number, got 1.5',
    ]);
  });

  it('refuses a level outside the track, a bad period, an empty list and duplicate ids', () => {
    expect(refused('level.json', month([agent({ level: 'vip_senior' })]))).toEqual([
      'level.json: employees[0].level: "vip_senior" is not a level of the basic group\'s track (trainee, junior, intermediate, senior)',
    ]);
    expect(refused('period.json', month([agent()], '2026-13'))).toEqual([
      'period.json: period: must be a month YYYY-MM (01–12), got "2026-13"',
    ]);
    expect(refused('empty.json', month([]))).toEqual(['empty.json: employees: must not be empty']);
    expect(refused('dupes.json', month([agent(), agent()]))).toEqual([
      'dupes.json: employees[1].id: duplicate employee id "E001" (also employees[0])',
    ]);
    expect(refused('notobject.json', '[1, 2]')).toEqual(['notobject.json: must be an object, got a list']);
  });

  it('refuses a missing input file, a bad flag and a broken policy', () => {
    const missing = ladder('calc', '--input', 'nowhere.json');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('nowhere.json: no such file\n');
    const flag = ladder('calc', '--input', file('ok.json', month([agent()])), '--format', 'pdf');
    expect(flag.status).toBe(2);
    expect(flag.stderr).toBe('--format must be one of json, table, got pdf\n');
    const policy = file('policy.yaml', readFileSync(DEFAULT_POLICY, 'utf8').replace('yuanPerPoint: 0.5', 'yuanPerPoint: half'));
    const broken = ladder('calc', '--input', file('ok.json', month([agent()])), '--policy', policy);
    expect(broken.status).toBe(2);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toBe('policy.yaml: score.yuanPerPoint: must be a number or a decimal string, got "half"\n');
  });

  it('uses the version in force on the first day of the month', () => {
    const later = file(
      'later.yaml',
      readFileSync(DEFAULT_POLICY, 'utf8')
        .replace("version: '2017.1'", "version: '2026.11'")
        .replace('effectiveFrom: 2017-01-01', 'effectiveFrom: 2026-11-01')
        .replace('yuanPerPoint: 0.5', 'yuanPerPoint: 0.6'),
    );
    const input = file('two-months.json', month([agent()], '2026-10'));
    const october = JSON.parse(ladder('calc', '--input', input, '--policy', DEFAULT_POLICY, '--policy', later).stdout);
    expect(october.policy.version).toBe('2017.1');
    const novemberInput = file('november.json', month([agent()], '2026-11'));
    const november = JSON.parse(ladder('calc', '--input', novemberInput, '--policy', DEFAULT_POLICY, '--policy', later).stdout);
    expect(november.policy.version).toBe('2026.11');
    expect(november.payslips[0].gross).toBe('4626.00'); // 2710 × 0.6 = 1626
  });
});

describe('ladder policy', () => {
  it('checks a good policy and lists every problem of a bad one', () => {
    const ok = ladder('policy', 'check', DEFAULT_POLICY);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('OK — default 2017.1, effective 2017-01-01');
    const text = readFileSync(DEFAULT_POLICY, 'utf8')
      .replace('{ upTo: 20, coefficient: 1.2, grade: good }', '{ upTo: 14, coefficient: 1.2, grade: good }')
      .replace('hoursPerDay: 8', 'hoursPerDay: 0');
    const bad = ladder('policy', 'check', file('bad.yaml', text));
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('bad.yaml: attendance.hoursPerDay: must be greater than 0, got 0\n');
    const bands = ladder(
      'policy',
      'check',
      file(
        'bands.yaml',
        readFileSync(DEFAULT_POLICY, 'utf8').replace(
          '{ upTo: 20, coefficient: 1.2, grade: good }',
          '{ upTo: 14, coefficient: 1.2, grade: good }',
        ),
      ),
    );
    expect(bands.stderr).toBe('bands.yaml: bands.vip[1].upTo: must be greater than bands.vip[0].upTo\n');
  });

  it('diffs two versions rule by rule', () => {
    const next = file(
      'next.yaml',
      readFileSync(DEFAULT_POLICY, 'utf8')
        .replace("version: '2017.1'", "version: '2027.1'")
        .replace('{ upTo: 35, coefficient: 1.0, grade: qualified }', '{ upTo: 30, coefficient: 1.0, grade: qualified }'),
    );
    const result = ladder('policy', 'diff', DEFAULT_POLICY, next);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('R-PAY-6 绩效考核系数 / coefficient bands\n  ~ bands.vip[2].upTo: 35 → 30');
    expect(result.stdout).toContain('  ~ version: 2017.1 → 2027.1');
  });

  it('answers unknown commands with usage and status 2', () => {
    const result = ladder('pay');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command: pay');
    expect(ladder('help').stdout).toContain('ladder calc --input FILE');
  });
});
