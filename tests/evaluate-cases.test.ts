/**
 * Level decisions as data (OpenFisca style): each case in tests/evaluate-cases/*.yaml has a name,
 * a quarter, the employees of the input file (peers included, since they set the group average)
 * and the expected decision of some of them, run through `ladder evaluate` with the default policy.
 *
 * A case may carry `levels`: a partial `levels` section merged over the default one (objects
 * merged key by key, anything else replaced), for rules a company may set differently.
 * Expected `checks` are matched by indicator (+ month and level when given), then compared field by field.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { defaultLevelsPath, runEvaluate } from '../packages/server/src/cli/commands/evaluate.js';
import { defaultPolicyPath } from '../packages/server/src/cli/files.js';
import { testDirectory } from './support/temp-dir.js';

const CASES_DIR = fileURLToPath(new URL('./evaluate-cases', import.meta.url));
const CASE_KEYS = new Set(['name', 'quarter', 'levels', 'employees', 'expect']);
const EXPECT_KEYS = new Set(['decision', 'from', 'to', 'effectiveFrom', 'payEffect', 'checks', 'explain']);

interface ExpectedCheck {
  indicator: string;
  month?: string;
  level?: string;
  value?: string | null;
  threshold?: string;
  pass?: boolean;
}

interface Expected {
  decision?: string;
  from?: string;
  to?: string;
  effectiveFrom?: string;
  /** Compared field by field (R-LVL-6). */
  payEffect?: Record<string, unknown> | null;
  checks?: ExpectedCheck[];
  /** Texts the English explanation must contain. */
  explain?: string[];
}

interface Case {
  name: string;
  quarter: string;
  levels?: Record<string, unknown>;
  employees: Record<string, unknown>[];
  expect: Record<string, Expected>;
}

interface Decision {
  employeeId: string;
  decision: string;
  from: string;
  to: string;
  effectiveFrom: string;
  explain: { zh: string; en: string };
  checks: (ExpectedCheck & { value: string | null; threshold: string; pass: boolean })[];
}

function loadCases(file: string): Case[] {
  const cases = parse(readFileSync(path.join(CASES_DIR, file), 'utf8')) as Case[];
  for (const entry of cases) {
    for (const key of Object.keys(entry)) if (!CASE_KEYS.has(key)) throw new Error(`${file}: ${entry.name}: unknown key ${key}`);
    for (const [id, expected] of Object.entries(entry.expect)) {
      for (const key of Object.keys(expected))
        if (!EXPECT_KEYS.has(key)) throw new Error(`${file}: ${entry.name}: ${id}: unknown expect key ${key}`);
    }
  }
  return cases;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) result[key] = key in base ? merge(base[key], value) : value;
  return result;
}

const workDir = testDirectory('ladder-evaluate-cases-');

function policyFile(levels: Record<string, unknown>, name: string): string {
  const policy = parse(readFileSync(defaultPolicyPath(), 'utf8')) as Record<string, unknown>;
  const base = policy.levels ?? parse(readFileSync(defaultLevelsPath(), 'utf8'));
  const file = path.join(workDir, `${name}.yaml`);
  writeFileSync(file, stringify({ ...policy, levels: merge(base, levels) }));
  return file;
}

function evaluate(entry: Case, index: number): Decision[] {
  const input = path.join(workDir, `quarter-${index}.json`);
  writeFileSync(input, JSON.stringify({ quarter: String(entry.quarter), employees: entry.employees }));
  const policies = entry.levels ? [policyFile(entry.levels, `policy-${index}`)] : [];
  const output = JSON.parse(runEvaluate({ input, policies, format: 'json', lang: 'en', cwd: workDir })) as { decisions: Decision[] };
  return output.decisions;
}

const files = readdirSync(CASES_DIR).filter((file) => file.endsWith('.yaml'));
let counter = 0;

describe.each(files)('%s', (file) => {
  it.each(loadCases(file).map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const decisions = evaluate(entry, (counter += 1));
    for (const [id, expected] of Object.entries(entry.expect)) {
      const actual = decisions.find((d) => d.employeeId === id);
      if (!actual) throw new Error(`no decision for ${id}`);
      const { checks, explain, ...fields } = expected;
      expect({ id, ...actual }).toMatchObject({ id, ...fields });
      for (const text of explain ?? []) expect(actual.explain.en).toContain(text);
      for (const want of checks ?? []) {
        const found = actual.checks.filter(
          (c) =>
            c.indicator === want.indicator &&
            (want.month === undefined || c.month === String(want.month)) &&
            (want.level === undefined || c.level === want.level),
        );
        expect(found.length, `${id}: exactly one check ${JSON.stringify(want)}`).toBe(1);
        expect(found[0]).toMatchObject({ ...want, ...(want.month !== undefined ? { month: String(want.month) } : {}) });
      }
    }
  });
});
