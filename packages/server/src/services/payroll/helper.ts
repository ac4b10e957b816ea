/**
 * A second thread for big runs on SQLite. SQLite has one writer, and the run's transaction holds
 * it, so the helper thread does not write into the run: it takes id ranges from the same source
 * as the main thread, reads them on its own read-only connection (the run's lock keeps everyone
 * else from changing the inputs meanwhile), computes their payslips and writes them into a
 * scratch file attached to the run's connection. When both are done the main thread copies the
 * scratch rows into the run with two INSERT … SELECT statements — a copy made inside SQLite,
 * where the rows cost about half of what binding them one by one from JavaScript costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Month } from '@ladder/core';
import { sql } from 'kysely';
import type { Store } from '../../db/connect.js';
import { startWorker } from '../../worker-threads.js';
import type { Db } from '../context.js';
import type { EmployeeRange } from '../employees.js';
import type { RetroLine } from './retro.js';
import type { ComputedSlice } from './slices.js';

/** The scratch file's name on the run's connection. */
const SCRATCH = 'payroll_scratch';

/** The scratch tables: the run's columns, no constraint, no trigger (the copy into the run checks them all). */
export const SCRATCH_TABLES = `
  CREATE TABLE IF NOT EXISTS ${SCRATCH}.payslips (id INTEGER PRIMARY KEY, run_id INTEGER, employee_id INTEGER, group_code TEXT, level TEXT,
    gross_fen INTEGER, full_attendance INTEGER, performance TEXT, inputs TEXT);
  CREATE TABLE IF NOT EXISTS ${SCRATCH}.payslip_lines (id INTEGER PRIMARY KEY, run_id INTEGER, payslip_id INTEGER, position INTEGER,
    code TEXT, amount_fen INTEGER, rule TEXT, formula TEXT, inputs TEXT, explain_zh TEXT, explain_en TEXT, cause TEXT)`;

export interface HelperInput {
  database: string;
  scratch: string;
  month: Month;
  policyText: string;
  retro: Map<string, RetroLine[]>;
  ranges: EmployeeRange[];
  /** One Int32: the index of the next range to take, shared by both threads. */
  next: SharedArrayBuffer;
  rowsPerSlice: number;
}

export type HelperResult = { type: 'done'; slices: Omit<ComputedSlice, 'rows'>[] } | { type: 'error'; message: string };

export interface Scratch {
  file: string;
}

/**
 * Runs `work` on the store's one SQLite connection with a fresh scratch file attached, and removes
 * the file afterwards. ATTACH is not allowed inside a transaction, so this wraps the run's.
 */
export async function withScratch<T>(store: Store, work: (db: Db, scratch: Scratch) => Promise<T>): Promise<T> {
  const sqlite = store.sqlite;
  if (!sqlite) throw new Error('a scratch file is for SQLite stores');
  const dir = mkdtempSync(path.join(tmpdir(), 'ladder-run-'));
  const file = path.join(dir, 'scratch.sqlite');
  try {
    return await store.db.connection().execute(async (db) => {
      await sql`ATTACH DATABASE ${file} AS ${sql.raw(SCRATCH)}`.execute(db);
      try {
        sqlite.exec(SCRATCH_TABLES);
        return await work(db, { file });
      } finally {
        await sql`DETACH DATABASE ${sql.raw(SCRATCH)}`.execute(db);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RunHelper {
  /** The ranges left for the main thread: each is taken from the source the helper takes from too. */
  ranges: Iterator<EmployeeRange>;
  /** Waits for the helper's ranges, copies their payslips into the run and says what they were. */
  finish(trx: Db, runId: number): Promise<Omit<ComputedSlice, 'rows'>[]>;
  /** Stops the helper (the run failed). */
  stop(): Promise<void>;
}

export function startRunHelper(input: Omit<HelperInput, 'next'>): RunHelper {
  const next = new SharedArrayBuffer(4);
  const taken = new Int32Array(next);
  const worker: Worker = startWorker(new URL('./helper-worker.js', import.meta.url), { ...input, next } satisfies HelperInput);
  const result = new Promise<Omit<ComputedSlice, 'rows'>[]>((resolve, reject) => {
    worker.once('message', (message: HelperResult) =>
      message.type === 'done' ? resolve(message.slices) : reject(new Error(`payroll helper: ${message.message}`)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`payroll helper stopped (exit code ${code})`)));
  });
  result.catch(() => undefined); // awaited in finish; this only marks it handled meanwhile
  return {
    ranges: {
      next: () => {
        const index = Atomics.add(taken, 0, 1);
        const range = input.ranges[index];
        return range ? { value: range, done: false } : { value: undefined, done: true };
      },
    },
    async finish(trx, runId) {
      const slices = await result;
      await copyScratch(trx, runId);
      return slices;
    },
    async stop() {
      await worker.terminate();
    },
  };
}

/** The scratch payslips into the run, their ids after the run's last, and their lines pointing at them. */
async function copyScratch(trx: Db, runId: number): Promise<void> {
  const { base } = await sql<{ base: number }>`
    SELECT max(coalesce((SELECT seq FROM main.sqlite_sequence WHERE name = 'payslips'), 0),
               coalesce((SELECT max(id) FROM main.payslips), 0)) AS base`
    .execute(trx)
    .then((r) => r.rows[0] ?? { base: 0 });
  await sql`
    INSERT INTO main.payslips (id, run_id, employee_id, group_code, level, gross_fen, full_attendance, performance, inputs)
    SELECT ${base} + id, ${runId}, employee_id, group_code, level, gross_fen, full_attendance, performance, inputs
    FROM ${sql.raw(SCRATCH)}.payslips ORDER BY id`.execute(trx);
  await sql`
    INSERT INTO main.payslip_lines (run_id, payslip_id, position, code, amount_fen, rule, formula, inputs, explain_zh, explain_en, cause)
    SELECT ${runId}, ${base} + payslip_id, position, code, amount_fen, rule, formula, inputs, explain_zh, explain_en, cause
    FROM ${sql.raw(SCRATCH)}.payslip_lines ORDER BY id`.execute(trx);
}
