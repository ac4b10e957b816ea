/** Messages between the main thread and the conversations worker. */
import type { ImportProgress } from '../types.js';
import type { WorkerEnd } from '../../worker-threads.js';
import type { FastBatch } from './conversations-parser.js';

export interface WorkerInput {
  file: string;
  batchSize: number;
  chunkSize?: number;
  /** Batches the worker may have in flight before it waits for the main thread. */
  window: number;
}

export type FromWorker = { type: 'batch'; batch: FastBatch; progress: ImportProgress } | WorkerEnd;
