/** The conversations parser's worker thread: parses while the main thread writes, a few batches ahead at most. */
import { parentPort, workerData } from 'node:worker_threads';
import { parseConversationsCsv } from './drive.js';
import type { FromWorker, ToWorker, WorkerInput } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('run as a worker thread');
const input = workerData as WorkerInput;
let credits = input.window;
let wake: (() => void) | null = null;
port.on('message', (message: ToWorker) => {
  if (message.type === 'credit') credits++;
  wake?.();
});

const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  for await (const { batch, bytes, totalBytes } of parseConversationsCsv(input.file, {
    batchSize: input.batchSize,
    chunkSize: input.chunkSize,
  })) {
    while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
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
  post({ type: 'error', message: (error as Error).message, code: (error as NodeJS.ErrnoException).code ?? null });
}
port.close();
