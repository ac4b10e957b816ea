/** The conversations parser's worker thread: parses while the main thread writes, a few batches ahead at most. */
import { parentPort, workerData } from 'node:worker_threads';
import { parseConversationsCsv } from './drive.js';
import { creditGate, workerFailure } from '../../worker-threads.js';
import type { FromWorker, WorkerInput } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('run as a worker thread');
const input = workerData as WorkerInput;
const credits = creditGate(port, input.window);

const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  for await (const { batch, bytes, totalBytes } of parseConversationsCsv(input.file, {
    batchSize: input.batchSize,
    chunkSize: input.chunkSize,
  })) {
    await credits.take();
    const c = batch.columns;
    const transfer = [
      c.rows,
      c.sourceCodes,
      c.agentCodes,
      c.externalIdEnds,
      c.startedAt,
      c.firstResponseSeconds,
      c.handleSeconds,
      c.valid,
      c.rating,
      ...(c.externalIdNumbers ? [c.externalIdNumbers] : []),
    ].map((array) => array.buffer as ArrayBuffer);
    post({ type: 'batch', batch, progress: { bytes, totalBytes, rows: batch.rowsRead } }, transfer);
  }
  post({ type: 'done' });
} catch (error) {
  post(workerFailure(error));
}
port.close();
