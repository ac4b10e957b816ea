/**
 * A second thread for big runs on SQLite. SQLite has one writer, and the run's transaction holds
 * it, so the helper thread does not write into the run: it takes id ranges from the same source
 * as the main thread, reads them on its own read-only connection (the run's lock keeps everyone
 * else from changing the inputs meanwhile), computes their payslips and writes them into scratch
 * files attached to the run's connection. Between its own ranges the main thread copies every
 * finished scratch file into the run with two INSERT … SELECT statements — a copy made inside
 * SQLite, where the rows cost about half of what binding them one by one from JavaScript costs.
 * Several files, each written once: a file the run's transaction has read stays locked for it
 * until the run commits, so the helper never writes to it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import type { Month } from '@ladder/core';
import { sql } from 'kysely';
import type { Store } from '../../db/connect.js';
import { startWorker } from '../../worker-threads.js';
import type { Db } from '../context.js';
import type { EmployeeRange } from '../employees.js';
import type { RetroLine } from './retro.js';
import type { ComputedSlice } from './slices.js';

/** Scratch files per run: the helper fills them one after the other (SQLite attaches at most 10 files). */
export const SCRATCH_FILES = 8;

const scratchName = (index: number) => `payroll_scratch_${index}`;

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

type DoneSlice = Omit<ComputedSlice, 'rows'>;

export interface HelperInput {
  database: string;
  scratch: string[];
  month: Month;
  policyText: string;
  retro: Map<string, RetroLine[]>;
  netPay: boolean;
  ranges: EmployeeRange[];
  /** One Int32: the index of the next range to take, shared by both threads. */
  next: SharedArrayBuffer;
  /** Two Int32s the helper keeps up to date: slices of people done, payslips computed. */
  progress: SharedArrayBuffer;
  /** How many ranges go into one scratch file (the last file takes whatever is left). */
  rangesPerFile: number;
  rowsPerSlice: number;
  /** Where the helper says which file it has finished. */
  port: MessagePort;
}

/** What the helper posts: a finished scratch file and what its slices were, then `done` (or an error). */
export type HelperMessage = { type: 'file'; index: number; slices: DoneSlice[] } | { type: 'done' } | { type: 'error'; message: string };

export interface Scratch {
  files: string[];
}

/**
 * Runs `work` on the store's one SQLite connection with fresh scratch files attached, and removes
 * them afterwards. ATTACH is not allowed inside a transaction, so this wraps the run's.
 */
export async function withScratch<T>(store: Store, work: (db: Db, scratch: Scratch) => Promise<T>): Promise<T> {
  const sqlite = store.sqlite;
  if (!sqlite) throw new Error('scratch files are for SQLite stores');
  const dir = mkdtempSync(path.join(tmpdir(), 'ladder-run-'));
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

/** The ranges left in a source both threads take from: `next` holds the index of the next one to take. */
export function* takeRanges(ranges: readonly EmployeeRange[], next: SharedArrayBuffer): Generator<EmployeeRange> {
  const taken = new Int32Array(next);
  for (;;) {
    const range = ranges[Atomics.add(taken, 0, 1)];
    if (!range) return;
    yield range;
  }
}

export interface RunHelper {
  /** The ranges left for the main thread: each is taken from the source the helper takes from too. */
  ranges: Iterator<EmployeeRange>;
  /** Copies the scratch files the helper has finished into the run; says what their slices were. */
  copyFinished(trx: Db, runId: number): Promise<DoneSlice[]>;
  /** Waits for the helper to end, copying its files as they come (`waiting` is called meanwhile); says what their slices were. */
  finish(trx: Db, runId: number, waiting?: () => void): Promise<DoneSlice[]>;
  /** What the helper has done so far. */
  progress(): { slices: number; payslips: number };
  /** Stops the helper (at the end, or when the run failed). */
  stop(): Promise<void>;
}

// Starting the thread costs ≈ 0.4 s (a new V8 isolate loading the engine, Kysely and SQLite),
// and a new thread computes its first slices before its code is optimised: one thread per process
// is kept between runs, unreferenced (it never keeps the process alive), and ended after a while unused.
const IDLE_MS = 60_000;
let idleThread: { worker: Worker; timer: NodeJS.Timeout } | undefined;

function newHelperThread(): Worker {
  const worker = startWorker(new URL('./helper-worker.js', import.meta.url), null);
  worker.unref();
  // A thread that dies while idle is simply not reused.
  worker.on('error', () => undefined);
  worker.once('exit', () => {
    if (idleThread?.worker === worker) {
      clearTimeout(idleThread.timer);
      idleThread = undefined;
    }
  });
  return worker;
}

/** The thread id of the helper thread waiting for the next run, if one is. */
export function waitingHelperThread(): number | undefined {
  return idleThread?.worker.threadId;
}

/** Starts the helper thread now (when none is waiting), so that it loads while the run is being set up. */
export function warmRunHelper(): void {
  if (idleThread) return;
  const worker = newHelperThread();
  parkHelperThread(worker);
}

function takeHelperThread(): Worker {
  const parked = idleThread;
  if (!parked) return newHelperThread();
  clearTimeout(parked.timer);
  idleThread = undefined;
  return parked.worker;
}

function parkHelperThread(worker: Worker): void {
  if (idleThread) {
    void worker.terminate();
    return;
  }
  const timer = setTimeout(() => {
    if (idleThread?.worker === worker) idleThread = undefined;
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  idleThread = { worker, timer };
}

/** What the helper thread receives for one run. */
export interface HelperJob {
  input: HelperInput;
}

export function startRunHelper(input: Omit<HelperInput, 'next' | 'progress' | 'port' | 'rangesPerFile'>): RunHelper {
  // The helper takes about half of the ranges: spread over the files, so each is copied soon.
  const rangesPerFile = Math.max(1, Math.ceil(input.ranges.length / 2 / input.scratch.length));
  const next = new SharedArrayBuffer(4);
  const progress = new SharedArrayBuffer(8);
  const helped = new Int32Array(progress);
  const { port1: messages, port2: port } = new MessageChannel();
  const worker = takeHelperThread();
  let failure: Error | null = null;
  let ended = false;
  const failed = (error: Error) => (failure ??= error);
  const exited = (code: number) => (failure ??= new Error(`payroll helper stopped (exit code ${code})`));
  worker.on('error', failed);
  worker.on('exit', exited);
  worker.postMessage({ input: { ...input, rangesPerFile, next, progress, port } } satisfies HelperJob, [port]);

  // Read without waiting for the event loop: the main thread is busy computing between copies.
  const copyFinished = async (trx: Db, runId: number): Promise<DoneSlice[]> => {
    const slices: DoneSlice[] = [];
    for (let received = receiveMessageOnPort(messages); received; received = receiveMessageOnPort(messages)) {
      const message = received.message as HelperMessage;
      if (message.type === 'error') throw new Error(`payroll helper: ${message.message}`);
      if (message.type === 'done') ended = true;
      else {
        await copyScratch(trx, runId, scratchName(message.index));
        slices.push(...message.slices);
      }
    }
    return slices;
  };
  return {
    ranges: takeRanges(input.ranges, next),
    copyFinished,
    async finish(trx, runId, waiting) {
      const slices: DoneSlice[] = [];
      for (;;) {
        slices.push(...(await copyFinished(trx, runId)));
        if (ended) return slices;
        if (failure) throw failure;
        waiting?.();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    progress: () => ({ slices: Atomics.load(helped, 0), payslips: Atomics.load(helped, 1) }),
    async stop() {
      messages.close();
      worker.off('error', failed);
      worker.off('exit', exited);
      // A thread that finished its job waits for the next run; one stopped midway (the run failed) is ended.
      if (ended && !failure) parkHelperThread(worker);
      else await worker.terminate();
    },
  };
}

/** A scratch file's payslips into the run, their ids after the run's last, and their lines and net rows pointing at them. */
async function copyScratch(trx: Db, runId: number, scratch: string): Promise<void> {
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
