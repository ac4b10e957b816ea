/**
 * The scratch files of a SQLite payroll run (see helper.ts): attached to the run's connection
 * before its transaction, each filled by one helper thread and copied into the run by the main
 * thread. They live in a directory of their own under the system's temporary directory, named with
 * the process id, so that a run whose process was killed leaves nothing behind for long: the next
 * run removes the directories of processes that no longer exist.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Store } from '../../db/connect.js';
import type { Db } from '../context.js';

/** Scratch files per run, shared out among the helpers (SQLite attaches at most 10 files). */
export const SCRATCH_FILES = 8;
/** The name a scratch file is attached under. */
export const scratchName = (index: number) => `payroll_scratch_${index}`;

/** A scratch file's tables: the run's columns, no constraint, no trigger (the copy into the run checks them all). */
function scratchTables(name: string): string {
  return `
    CREATE TABLE ${name}.payslips (id INTEGER PRIMARY KEY, run_id INTEGER, employee_id INTEGER, group_code TEXT, level TEXT,
      gross_fen INTEGER, full_attendance INTEGER, performance TEXT, inputs TEXT);
    CREATE TABLE ${name}.payslip_lines (id INTEGER PRIMARY KEY, run_id INTEGER, payslip_id INTEGER, position INTEGER,
      code TEXT, amount_fen INTEGER, rule TEXT, formula TEXT, inputs TEXT, explain_zh TEXT, explain_en TEXT, cause TEXT);
    CREATE TABLE ${name}.payslip_net (payslip_id INTEGER PRIMARY KEY, run_id INTEGER, bonus_fen INTEGER, employee_contributions_fen INTEGER,
      employer_contributions_fen INTEGER, taxable_ytd_fen INTEGER, tax_fen INTEGER, bonus_tax_fen INTEGER, net_fen INTEGER,
      employer_cost_fen INTEGER, ytd TEXT, details TEXT)`;
}

export interface Scratch {
  files: string[];
}

const DIRECTORY_PREFIX = 'ladder-run-';
const DIRECTORY_OF_PROCESS = new RegExp(`^${DIRECTORY_PREFIX}(\\d+)-`);

/** Whether a process of that id exists (one of another user's counts too). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the scratch directories that runs of processes now gone left behind (killed, interrupted), and says which. */
export function removeAbandonedScratch(parent = tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(parent)) {
    const pid = DIRECTORY_OF_PROCESS.exec(name)?.[1];
    if (pid === undefined || processExists(Number(pid))) continue;
    rmSync(path.join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * Runs `work` on the store's one SQLite connection with fresh scratch files attached, and removes
 * them afterwards. ATTACH is not allowed inside a transaction, so this wraps the run's.
 */
export async function withScratch<T>(store: Store, work: (db: Db, scratch: Scratch) => Promise<T>): Promise<T> {
  const sqlite = store.sqlite;
  if (!sqlite) throw new Error('scratch files are for SQLite stores');
  removeAbandonedScratch();
  const dir = mkdtempSync(path.join(tmpdir(), `${DIRECTORY_PREFIX}${process.pid}-`));
  const files = Array.from({ length: SCRATCH_FILES }, (_, index) => path.join(dir, `scratch-${index}.sqlite`));
  try {
    return await store.db.connection().execute(async (db) => {
      const attached: string[] = [];
      try {
        for (const [index, file] of files.entries()) {
          await sql`ATTACH DATABASE ${file} AS ${sql.raw(scratchName(index))}`.execute(db);
          attached.push(scratchName(index));
          sqlite.exec(scratchTables(scratchName(index)));
        }
        return await work(db, { files });
      } finally {
        for (const name of attached) await sql`DETACH DATABASE ${sql.raw(name)}`.execute(db);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A scratch file's payslips into the run, their ids after the run's last, and their lines and net rows pointing at them. */
export async function copyScratch(trx: Db, runId: number, scratch: string): Promise<void> {
  const { base } = await sql<{ base: number }>`
    SELECT max(coalesce((SELECT seq FROM main.sqlite_sequence WHERE name = 'payslips'), 0),
               coalesce((SELECT max(id) FROM main.payslips), 0)) AS base`
    .execute(trx)
    .then((r) => r.rows[0] ?? { base: 0 });
  await sql`
    INSERT INTO main.payslips (id, run_id, employee_id, group_code, level, gross_fen, full_attendance, performance, inputs)
    SELECT ${base} + id, ${runId}, employee_id, group_code, level, gross_fen, full_attendance, performance, inputs
    FROM ${sql.raw(scratch)}.payslips ORDER BY id`.execute(trx);
  await sql`
    INSERT INTO main.payslip_lines (run_id, payslip_id, position, code, amount_fen, rule, formula, inputs, explain_zh, explain_en, cause)
    SELECT ${runId}, ${base} + payslip_id, position, code, amount_fen, rule, formula, inputs, explain_zh, explain_en, cause
    FROM ${sql.raw(scratch)}.payslip_lines ORDER BY id`.execute(trx);
  await sql`
    INSERT INTO main.payslip_net (payslip_id, run_id, bonus_fen, employee_contributions_fen, employer_contributions_fen, taxable_ytd_fen,
      tax_fen, bonus_tax_fen, net_fen, employer_cost_fen, ytd, details)
    SELECT ${base} + payslip_id, ${runId}, bonus_fen, employee_contributions_fen, employer_contributions_fen, taxable_ytd_fen,
      tax_fen, bonus_tax_fen, net_fen, employer_cost_fen, ytd, details
    FROM ${sql.raw(scratch)}.payslip_net ORDER BY payslip_id`.execute(trx);
}
