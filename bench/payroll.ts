/**
 * Payroll run benchmark: read inputs, compute, write payslips and lines, audit — for N agents —
 * and, on the same payslip rows, a bare prepared-statement insert into SQLite as the reference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Month } from '@ladder/core';
import type { Store } from '../packages/server/dist/db/connect.js';
import { systemClock } from '../packages/server/dist/services/context.js';
import { computeRun, type RunOptions } from '../packages/server/dist/services/payroll/runs.js';
import { loadDepartment } from './department.js';

export interface PayrollFigures {
  agents: number;
  /** Every run's time, in the order they ran. */
  runs: number[];
  /** The median of the runs (this machine's runs vary by ±20 %). */
  seconds: number;
  payslips: number;
  lines: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Loads a department into `base` once, then times `repeat` payroll runs, each on a fresh copy of
 * it (`copy` opens one): every run computes the same month from the same data, none recomputes.
 * The last copy stays open for the caller (the bare-insert reference reads its rows).
 */
export async function benchPayroll(
  base: Store,
  copy: () => Promise<Store>,
  agents: number,
  repeat: number,
  month = '2026-10',
  prepare?: (store: Store) => Promise<void>,
  options: RunOptions = {},
): Promise<PayrollFigures & { last: Store }> {
  await loadDepartment(base, agents, month);
  await prepare?.(base);
  await base.close();
  const runs: number[] = [];
  let last: Store | undefined;
  let payslips = 0;
  for (let run = 0; run < repeat; run += 1) {
    await last?.close();
    last = await copy();
    const started = performance.now();
    const summary = await computeRun({ store: last, actor: 'bench', now: systemClock }, month as Month, 'benchmark', options);
    runs.push((performance.now() - started) / 1000);
    payslips = summary.employees;
  }
  if (!last) throw new Error('repeat must be at least 1');
  const lines = await last.db
    .selectFrom('payslip_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { agents, runs, seconds: median(runs), payslips, lines: Number(lines.n), last };
}

/**
 * The reference: the run's own payslip, line and net rows (not those of earlier months' runs)
 * inserted with bare prepared statements into an empty SQLite file, `repeat` times.
 */
export async function bareInsertReference(
  source: Store,
  repeat: number,
  month: string,
): Promise<{ runs: number[]; seconds: number; rows: number }> {
  const run = await source.db.selectFrom('payroll_runs').select('id').where('month', '=', month).executeTakeFirstOrThrow();
  const slips = await source.db.selectFrom('payslips').selectAll().where('run_id', '=', run.id).execute();
  const lines = await source.db.selectFrom('payslip_lines').selectAll().where('run_id', '=', run.id).execute();
  const nets = await source.db.selectFrom('payslip_net').selectAll().where('run_id', '=', run.id).execute();
  const runs: number[] = [];
  for (let repeated = 0; repeated < repeat; repeated += 1) runs.push(bareInsert(slips, lines, nets));
  return { runs, seconds: median(runs), rows: slips.length + lines.length + nets.length };
}

type Row = Record<string, unknown>;

function bareInsert(slips: readonly Row[], lines: readonly Row[], nets: readonly Row[]): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'ladder-bare-'));
  const db = new SqliteDatabase(path.join(dir, 'bare.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // As in the run: the log is copied into the file after the commit, outside the time measured.
    db.pragma('wal_autocheckpoint = 0');
    db.exec(`CREATE TABLE payslips (id INTEGER PRIMARY KEY, run_id INTEGER, employee_id INTEGER, group_code TEXT, level TEXT, gross_fen INTEGER, full_attendance INTEGER, performance TEXT, inputs TEXT);
             CREATE TABLE payslip_lines (id INTEGER PRIMARY KEY, run_id INTEGER, payslip_id INTEGER, position INTEGER, code TEXT, amount_fen INTEGER, rule TEXT, formula TEXT, inputs TEXT, explain_zh TEXT, explain_en TEXT, cause TEXT);
             CREATE TABLE payslip_net (payslip_id INTEGER PRIMARY KEY, run_id INTEGER, bonus_fen INTEGER, employee_contributions_fen INTEGER, employer_contributions_fen INTEGER, taxable_ytd_fen INTEGER, tax_fen INTEGER, bonus_tax_fen INTEGER, net_fen INTEGER, employer_cost_fen INTEGER, ytd TEXT, details TEXT)`);
    const insertSlip = db.prepare('INSERT INTO payslips VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertLine = db.prepare('INSERT INTO payslip_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertNet = db.prepare('INSERT INTO payslip_net VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const started = performance.now();
    db.transaction(() => {
      for (const s of slips)
        insertSlip.run(s.id, s.run_id, s.employee_id, s.group_code, s.level, s.gross_fen, s.full_attendance, s.performance, s.inputs);
      for (const l of lines)
        insertLine.run(
          l.id,
          l.run_id,
          l.payslip_id,
          l.position,
          l.code,
          l.amount_fen,
          l.rule,
          l.formula,
          l.inputs,
          l.explain_zh,
          l.explain_en,
          l.cause,
        );
      for (const n of nets)
        insertNet.run(
          n.payslip_id,
          n.run_id,
          n.bonus_fen,
          n.employee_contributions_fen,
          n.employer_contributions_fen,
          n.taxable_ytd_fen,
          n.tax_fen,
          n.bonus_tax_fen,
          n.net_fen,
          n.employer_cost_fen,
          n.ytd,
          n.details,
        );
    })();
    return (performance.now() - started) / 1000;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
