/**
 * Helper threads for big runs on SQLite. SQLite has one writer, and the run's transaction holds
 * it, so the helper threads do not write into the run: they take id ranges from the same source
 * as the main thread, read them on their own read-only connections (the run's lock keeps everyone
 * else from changing the inputs meanwhile), compute their payslips and write them into scratch
 * files attached to the run's connection. Between its own ranges the main thread copies every
 * finished scratch file into the run with INSERT … SELECT statements — a copy made inside
 * SQLite, where the rows cost about half of what binding them one by one from JavaScript costs.
 * Several files, each written once by one helper: a file the run's transaction has read stays
 * locked for it until the run commits, so no helper writes to it again.
 * One helper per core beyond the main thread's (at least one): the main thread's own share of a
 * run — copying, the totals, the commit — is about a fifth of the work, so a run gets faster with
 * up to about four helpers.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import type { Month } from '@ladder/core';
import { startWorker } from '../../worker-threads.js';
import { AppError, type Db } from '../context.js';
import type { EmployeeRange } from '../employees.js';
import type { RetroLine } from './retro.js';
import { copyScratch, SCRATCH_FILES, scratchName } from './scratch.js';
import type { ComputedSlice } from './slices.js';

/** At most this many helper threads: each has a scratch file of its own to start with, and another to go on with. */
export const MAX_HELPERS = SCRATCH_FILES / 2;

/**
 * Helper threads a run takes unless told otherwise: `LADDER_PAYROLL_HELPERS` when set (for a
 * container allowed fewer cores than its machine shows), else one per core beyond the main
 * thread's, at least one.
 */
export function defaultHelperCount(cores = availableParallelism(), configured = process.env.LADDER_PAYROLL_HELPERS): number {
  if (configured !== undefined && configured.trim() !== '') {
    const count = Number(configured);
    if (!Number.isInteger(count) || count < 1 || count > MAX_HELPERS) {
      throw new AppError('invalid_setting', `LADDER_PAYROLL_HELPERS: takes a whole number from 1 to ${MAX_HELPERS}, not "${configured}"`);
    }
    return count;
  }
  return Math.max(1, Math.min(MAX_HELPERS, cores - 1));
}

/** A helper's progress fields: slices done, payslips computed, employee ids its finished ranges span. */
export const PROGRESS_FIELDS = 3;

type DoneSlice = Omit<ComputedSlice, 'rows'>;

export interface HelperInput {
  database: string;
  scratch: string[];
  month: Month;
  policyText: string;
  retro: Map<string, RetroLine[]>;
  netPay: boolean;
  ranges: EmployeeRange[];
  /** This helper's number among the run's helpers: its first scratch file is the one of that index. */
  helper: number;
  helpers: number;
  /** Two Int32s shared by every thread of the run: the index of the next range to take, and of the next spare scratch file. */
  next: SharedArrayBuffer;
  /** PROGRESS_FIELDS Int32s per helper, each kept up to date by its helper: slices of people done, payslips computed, ids spanned. */
  progress: SharedArrayBuffer;
  /** How many ranges go into one scratch file before a helper goes on in a spare one (when one is left). */
  rangesPerFile: number;
  rowsPerSlice: number;
  /** Where the helper says which file it has finished. */
  port: MessagePort;
}

/** What a helper posts: a finished scratch file and what its slices were, then `done` (or an error). */
export type HelperMessage = { type: 'file'; index: number; slices: DoneSlice[] } | { type: 'done' } | { type: 'error'; message: string };

/** The ranges left in a source every thread takes from: `next` holds the index of the next one to take. */
export function* takeRanges(ranges: readonly EmployeeRange[], next: SharedArrayBuffer): Generator<EmployeeRange> {
  const taken = new Int32Array(next);
  for (;;) {
    const range = ranges[Atomics.add(taken, 0, 1)];
    if (!range) return;
    yield range;
  }
}

/** A spare scratch file for the helper to go on in (the first `helpers` files are the helpers' own), or none when all are taken. */
export function takeSpareFile(input: Pick<HelperInput, 'next' | 'helpers' | 'scratch'>): number | undefined {
  const index = input.helpers + Atomics.add(new Int32Array(input.next), 1, 1);
  return index < input.scratch.length ? index : undefined;
}

export interface RunHelper {
  /** The ranges left for the main thread: each is taken from the source the helpers take from too. */
  ranges: Iterator<EmployeeRange>;
  /** Copies the scratch files the helpers have finished into the run; says what their slices were. */
  copyFinished(trx: Db, runId: number): Promise<DoneSlice[]>;
  /** Waits for the helpers to end, copying their files as they come (`waiting` is called meanwhile); says what their slices were. */
  finish(trx: Db, runId: number, waiting?: () => void): Promise<DoneSlice[]>;
  /** What the helpers have done so far. */
  progress(): { slices: number; payslips: number; ids: number };
  /** Stops the helpers (at the end, or when the run failed). */
  stop(): Promise<void>;
}

// Starting a thread costs ≈ 0.4 s (a new V8 isolate loading the engine, Kysely and SQLite), and
// a new thread computes its first slices before its code is optimised: threads are kept between
// runs, unreferenced (they never keep the process alive), and ended after a while unused.
const IDLE_MS = 60_000;
const idleThreads: { worker: Worker; timer: NodeJS.Timeout }[] = [];

function forgetIdle(worker: Worker): void {
  const at = idleThreads.findIndex((idle) => idle.worker === worker);
  if (at < 0) return;
  clearTimeout(idleThreads[at]?.timer);
  idleThreads.splice(at, 1);
}

function newHelperThread(): Worker {
  const worker = startWorker(new URL('./helper-worker.js', import.meta.url), null);
  worker.unref();
  // A thread that dies while idle is simply not reused.
  worker.on('error', () => undefined);
  worker.once('exit', () => forgetIdle(worker));
  return worker;
}

/** The thread ids of the helper threads waiting for the next run. */
export function waitingHelperThreads(): number[] {
  return idleThreads.map((idle) => idle.worker.threadId);
}

/** Starts helper threads now (as many as are not already waiting), so that they load while the run is being set up. */
export function warmRunHelpers(count: number): void {
  while (idleThreads.length < count) parkHelperThread(newHelperThread());
}

function takeHelperThread(): Worker {
  const parked = idleThreads.shift();
  if (!parked) return newHelperThread();
  clearTimeout(parked.timer);
  return parked.worker;
}

function parkHelperThread(worker: Worker): void {
  if (idleThreads.length >= MAX_HELPERS) {
    void worker.terminate();
    return;
  }
  const timer = setTimeout(() => {
    forgetIdle(worker);
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  idleThreads.push({ worker, timer });
}

/** What a helper thread receives for one run. */
export interface HelperJob {
  input: HelperInput;
}

/** One helper thread's part in a run, as the main thread follows it. */
interface HelperThread {
  worker: Worker;
  messages: MessagePort;
  ended: boolean;
  failure: Error | null;
  unlisten(): void;
}

function startHelperThread(input: Omit<HelperInput, 'port'>): HelperThread {
  const { port1: messages, port2: port } = new MessageChannel();
  const worker = takeHelperThread();
  const thread: HelperThread = { worker, messages, ended: false, failure: null, unlisten: () => undefined };
  const failed = (error: Error) => (thread.failure ??= error);
  const exited = (code: number) => (thread.failure ??= new Error(`payroll helper stopped (exit code ${code})`));
  worker.on('error', failed);
  worker.on('exit', exited);
  thread.unlisten = () => {
    worker.off('error', failed);
    worker.off('exit', exited);
  };
  worker.postMessage({ input: { ...input, port } } satisfies HelperJob, [port]);
  return thread;
}

/**
 * Starts `count` helpers on a run. `all`: the main thread computes nothing itself, so the helpers
 * take every range; otherwise about count / (count + 1) of them.
 */
export function startRunHelpers(
  input: Omit<HelperInput, 'helper' | 'helpers' | 'next' | 'progress' | 'port' | 'rangesPerFile'>,
  count: number,
  all = false,
): RunHelper {
  const helpers = Math.max(1, Math.min(MAX_HELPERS, Math.trunc(count)));
  // The helpers' ranges spread over the files, so each file is copied soon.
  const share = all ? 1 : helpers / (helpers + 1);
  const rangesPerFile = Math.max(1, Math.ceil((input.ranges.length * share) / input.scratch.length));
  const next = new SharedArrayBuffer(8);
  const progress = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * PROGRESS_FIELDS * helpers);
  const helped = new Int32Array(progress);
  const threads = Array.from({ length: helpers }, (_, helper) =>
    startHelperThread({ ...input, helper, helpers, next, progress, rangesPerFile }),
  );

  // Read without waiting for the event loop: the main thread is busy computing between copies.
  const copyFinished = async (trx: Db, runId: number): Promise<DoneSlice[]> => {
    const slices: DoneSlice[] = [];
    for (const thread of threads) {
      for (let received = receiveMessageOnPort(thread.messages); received; received = receiveMessageOnPort(thread.messages)) {
        const message = received.message as HelperMessage;
        if (message.type === 'error') throw new Error(`payroll helper: ${message.message}`);
        if (message.type === 'done') thread.ended = true;
        else {
          await copyScratch(trx, runId, scratchName(message.index));
          slices.push(...message.slices);
        }
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
        if (threads.every((thread) => thread.ended)) return slices;
        const failure = threads.find((thread) => thread.failure)?.failure;
        if (failure) throw failure;
        waiting?.();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    progress() {
      const done = { slices: 0, payslips: 0, ids: 0 };
      for (let at = 0; at < helped.length; at += PROGRESS_FIELDS) {
        done.slices += Atomics.load(helped, at);
        done.payslips += Atomics.load(helped, at + 1);
        done.ids += Atomics.load(helped, at + 2);
      }
      return done;
    },
    async stop() {
      for (const thread of threads) {
        thread.messages.close();
        thread.unlisten();
        // A thread that finished its job waits for the next run; one stopped midway (the run failed) is ended.
        if (thread.ended && !thread.failure) parkHelperThread(thread.worker);
        else await thread.worker.terminate();
      }
    },
  };
}
