/**
 * Starts a worker thread from a module beside the caller: the built `.js` in production, the
 * TypeScript source under tsx or vitest — there through a small bootstrap that first registers
 * tsx's loader in the worker (a worker does not inherit the main thread's loader hooks on Node 20)
 * and resolves @ladder/core to its sources, so the worker runs the same code as the test.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** `script`: the worker's built file, e.g. new URL('./worker.js', import.meta.url). */
export function startWorker(script: URL, workerData: unknown): Worker {
  const source = new URL(script.href.replace(/\.js$/, '.ts'));
  if (import.meta.url.endsWith('.js')) return new Worker(script, { workerData });
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const tsconfig = fileURLToPath(new URL('./tsconfig.dev-worker.json', import.meta.url));
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register({ tsconfig: ${JSON.stringify(tsconfig)} }); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(bootstrap, { workerData, eval: true });
}
