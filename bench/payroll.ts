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
import { computeRun } from '../packages/server/dist/services/payroll/runs.js';
import { loadDepartment } from './department.js';

export interface PayrollFigures {
  agents: number;
  seconds: number;
  payslips: number;
  lines: number;
}

export async function benchPayroll(store: Store, agents: number, month = '2026-10'): Promise<PayrollFigures> {
  await loadDepartment(store, agents, month);
  const ctx = { store, actor: 'bench', now: systemClock };
  const started = performance.now();
  const summary = await computeRun(ctx, month as Month, 'benchmark');
  const seconds = (performance.now() - started) / 1000;
  const lines = await store.db
    .selectFrom('payslip_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { agents, seconds, payslips: summary.employees, lines: Number(lines.n) };
}

/** The reference: the run's own payslip and line rows inserted with bare prepared statements into an empty SQLite file. */
export async function bareInsertReference(source: Store): Promise<{ seconds: number; rows: number }> {
  const slips = await source.db.selectFrom('payslips').selectAll().execute();
  const lines = await source.db.selectFrom('payslip_lines').selectAll().execute();
  const dir = mkdtempSync(path.join(tmpdir(), 'ladder-bare-'));
  const db = new SqliteDatabase(path.join(dir, 'bare.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE payslips (id INTEGER PRIMARY KEY, run_id INTEGER, employee_id INTEGER, group_code TEXT, level TEXT, gross_fen INTEGER, full_attendance INTEGER, performance TEXT, inputs TEXT);
             CREATE TABLE payslip_lines (id INTEGER PRIMARY KEY, run_id INTEGER, payslip_id INTEGER, position INTEGER, code TEXT, amount_fen INTEGER, rule TEXT, formula TEXT, inputs TEXT, explain_zh TEXT, explain_en TEXT, cause TEXT)`);
    const insertSlip = db.prepare('INSERT INTO payslips VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertLine = db.prepare('INSERT INTO payslip_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
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
    })();
    return { seconds: (performance.now() - started) / 1000, rows: slips.length + lines.length };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
