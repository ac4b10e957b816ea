/**
 * Starts a worker thread from a module beside the caller: the built `.js` in production, the
 * TypeScript source under tsx or vitest — there through a small bootstrap that first registers
 * tsx's loader in the worker (a worker does not inherit the main thread's loader hooks on Node 20)
 * and resolves @ladder/core to its sources, so the worker runs the same code as the test.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type MessagePort, type TransferListItem, Worker } from 'node:worker_threads';

/** `script`: the worker's built file, e.g. new URL('./worker.js', import.meta.url); `transferList`: ports in `workerData`. */
export function startWorker(script: URL, workerData: unknown, transferList: TransferListItem[] = []): Worker {
  const source = new URL(script.href.replace(/\.js$/, '.ts'));
  if (import.meta.url.endsWith('.js')) return new Worker(script, { workerData, transferList });
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const tsconfig = fileURLToPath(new URL('./tsconfig.dev-worker.json', import.meta.url));
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register({ tsconfig: ${JSON.stringify(tsconfig)} }); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(bootstrap, { workerData, transferList, eval: true });
}

/** How a streaming worker ends: every other message it posts is an item. */
export type WorkerEnd = { type: 'done' } | { type: 'error'; message: string; code: string | null };

/**
 * The items a streaming worker posts, in order, until it posts `done`; its `error` (or a crash)
 * is thrown here. After each item is taken the worker gets a `{ type: 'credit' }`, so a worker
 * that waits for credits (`creditGate`) stays a bounded number of items ahead. Stopping early
 * (break, throw) ends the worker.
 */
export async function* workerItems<Item extends { type: string }>(worker: Worker, what: string): AsyncGenerator<Item> {
  const queue: (Item | WorkerEnd)[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (message: Item | WorkerEnd) => {
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
        throw new Error(`${what} stopped without finishing`);
      }
      if (message.type === 'done') return;
      if (message.type === 'error') {
        const end = message as Extract<WorkerEnd, { type: 'error' }>;
        const error = new Error(end.message) as NodeJS.ErrnoException;
        if (end.code) error.code = end.code;
        throw error;
      }
      yield message as Item;
      worker.postMessage({ type: 'credit' });
    }
  } finally {
    if (!exited) await worker.terminate();
  }
}

/** The worker's side of `workerItems`: `take()` resolves once the main thread has room for one more item. */
export function creditGate(port: MessagePort, window: number): { take(): Promise<void> } {
  let credits = window;
  let wake: (() => void) | null = null;
  port.on('message', (message: { type?: string }) => {
    if (message.type === 'credit') credits++;
    wake?.();
  });
  return {
    async take() {
      while (credits <= 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
    },
  };
}

/** Posts a worker's failure in the shape `workerItems` throws again on the main thread. */
export function workerFailure(error: unknown): WorkerEnd {
  return { type: 'error', message: (error as Error).message, code: (error as NodeJS.ErrnoException).code ?? null };
}
