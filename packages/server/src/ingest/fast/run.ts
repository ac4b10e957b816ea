/**
 * Main-thread side of the conversations fast path: starts the worker, hands its batches on as
 * ConversationBatch, and tells it when one was taken so it stays at most `window` batches ahead
 * (constant memory). Stopping early (break) ends the worker.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { stat } from 'node:fs/promises';
import type { ConversationBatch, ImportProgress } from '../types.js';
import { ColumnBatch } from './batch.js';
import { parseConversationsCsv } from './drive.js';
import type { FromWorker, WorkerInput } from './protocol.js';

export interface RunOptions {
  batchSize: number;
  chunkSize?: number;
  window?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Parse in a worker thread; default: for files of WORKER_MIN_BYTES or more (same results either way). */
  worker?: boolean;
}

/** Below this size a file is parsed on the calling thread: starting a worker (≈ 0.3 s) would cost more than it saves. */
export const WORKER_MIN_BYTES = 16 << 20;

/**
 * The worker's script. Built (dist/…/run.js): worker.js beside this file. Running from the
 * TypeScript sources (vitest, tsx): worker.ts, started by a small bootstrap that first registers
 * tsx's loader in the worker (a worker does not inherit the main thread's loader hooks on Node 20).
 */
function workerScript(): { script: URL | string; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { script: new URL('./worker.js', here), eval: false };
  const tsxApi = pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const worker = new URL('./worker.ts', here).href;
  // @ladder/core from its sources too (tsconfig paths), so the worker runs the same code as the test.
  const tsconfig = fileURLToPath(new URL('./tsconfig.dev-worker.json', here));
  return {
    script: `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register({ tsconfig: ${JSON.stringify(tsconfig)} }); return import(${JSON.stringify(worker)}); });`,
    eval: true,
  };
}

function toBatch(message: Extract<FromWorker, { type: 'batch' }>): ConversationBatch {
  const { columns, problems, headers } = message.batch;
  return new ColumnBatch(columns, problems, headers);
}

export async function* conversationsFast(file: string, options: RunOptions): AsyncGenerator<ConversationBatch> {
  const useWorker = options.worker ?? (await stat(file)).size >= WORKER_MIN_BYTES;
  if (!useWorker) {
    for await (const { batch, bytes, totalBytes } of parseConversationsCsv(file, options)) {
      options.onProgress?.({ bytes, totalBytes, rows: batch.rowsRead });
      yield new ColumnBatch(batch.columns, batch.problems, batch.headers);
    }
    return;
  }
  const script = workerScript();
  const input: WorkerInput = { file, batchSize: options.batchSize, window: options.window ?? 4 };
  if (options.chunkSize !== undefined) input.chunkSize = options.chunkSize;
  const worker = new Worker(script.script, { workerData: input, eval: script.eval });
  const queue: FromWorker[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (message: FromWorker) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure && !exited) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift();
      if (!message) {
        if (failure) throw failure;
        throw new Error('the conversations parser stopped without finishing');
      }
      if (message.type === 'done') return;
      if (message.type === 'error') {
        const error = new Error(message.message) as NodeJS.ErrnoException;
        if (message.code) error.code = message.code;
        throw error;
      }
      options.onProgress?.(message.progress);
      yield toBatch(message);
      worker.postMessage({ type: 'credit' });
    }
  } finally {
    if (!exited) await worker.terminate();
  }
}
