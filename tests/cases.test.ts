/**
 * Worked examples as data (OpenFisca style): each case in tests/cases/*.yaml has a name,
 * a period, one employee's input and the expected output, and is run through `ladder calc`
 * with zero error margin. `lines` must list every line of the payslip, no more, no less.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../packages/server/src/cli/main.js';
import { testDirectory } from './support/temp-dir.js';

const CASES_DIR = fileURLToPath(new URL('./cases', import.meta.url));
const CASE_KEYS = new Set(['name', 'period', 'policy', 'input', 'output']);
const OUTPUT_KEYS = new Set(['gross', 'performance', 'lines']);

interface Case {
  name: string;
  period: string;
  policy?: string;
  input: Record<string, unknown>;
  output: { gross?: string; performance?: Record<string, unknown>; lines?: Record<string, string> };
}

function loadCases(file: string): Case[] {
  const cases = parse(readFileSync(path.join(CASES_DIR, file), 'utf8')) as Case[];
  for (const entry of cases) {
    for (const key of Object.keys(entry)) if (!CASE_KEYS.has(key)) throw new Error(`${file}: ${entry.name}: unknown key ${key}`);
    for (const key of Object.keys(entry.output))
      if (!OUTPUT_KEYS.has(key)) throw new Error(`${file}: ${entry.name}: unknown output key ${key}`);
  }
  return cases;
}

const workDir = testDirectory('ladder-cases-');

async function calc(entry: Case): Promise<Record<string, unknown>> {
  const inputFile = path.join(workDir, 'month.json');
  writeFileSync(inputFile, JSON.stringify({ period: String(entry.period), employees: [{ id: 'case', ...entry.input }] }));
  const args = ['calc', '--input', inputFile];
  if (entry.policy) args.push('--policy', path.join(CASES_DIR, entry.policy));
  let stdout = '';
  let stderr = '';
  const status = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: workDir });
  if (status !== 0) throw new Error(`ladder calc exited ${status}: ${stderr}`);
  const output = JSON.parse(stdout) as { payslips: Record<string, unknown>[] };
  return output.payslips[0] as Record<string, unknown>;
}

const files = readdirSync(CASES_DIR).filter((file) => file.endsWith('.yaml'));

describe.each(files)('%s', (file) => {
  it.each(loadCases(file).map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const payslip = await calc(entry);
    if (entry.output.gross !== undefined) expect(payslip.gross).toBe(entry.output.gross);
    if (entry.output.performance) expect(payslip.performance).toMatchObject(entry.output.performance);
    if (entry.output.lines) {
      const lines = payslip.lines as { code: string; amount: string }[];
      expect(Object.fromEntries(lines.map((line) => [line.code, line.amount]))).toEqual(entry.output.lines);
    }
  });
});
