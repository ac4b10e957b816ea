/** Messages between the main thread and the conversations worker. */
import type { ImportProgress } from '../types.js';
import type { FastBatch } from './conversations-parser.js';

export interface WorkerInput {
  file: string;
  batchSize: number;
  chunkSize?: number;
  /** Batches the worker may have in flight before it waits for the main thread. */
  window: number;
}

export type FromWorker =
  | { type: 'batch'; batch: FastBatch; progress: ImportProgress }
  | { type: 'done' }
  | { type: 'error'; message: string; code: string | null };

export type ToWorker = { type: 'credit' };
