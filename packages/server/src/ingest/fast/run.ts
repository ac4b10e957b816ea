/**
 * Main-thread side of the conversations fast path: starts the worker, hands its batches on as
 * ConversationBatch, and tells it when one was taken so it stays at most `window` batches ahead
 * (constant memory). Stopping early (break) ends the worker.
 */
import { stat } from 'node:fs/promises';
import { startWorker, workerItems } from '../../worker-threads.js';
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
  const input: WorkerInput = { file, batchSize: options.batchSize, window: options.window ?? 4 };
  if (options.chunkSize !== undefined) input.chunkSize = options.chunkSize;
  const worker = startWorker(new URL('./worker.js', import.meta.url), input);
  for await (const message of workerItems<Extract<FromWorker, { type: 'batch' }>>(worker, 'the conversations parser')) {
    options.onProgress?.(message.progress);
    yield toBatch(message);
  }
}
