/** Files written whole or not at all. */
import { renameSync, rmSync } from 'node:fs';

const unfinished = new Set<string>();
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Ctrl-C (or a stop) while a file is being written: its partial file is removed, then the process
 * ends as the signal would have ended it. Listening only while something is written leaves every
 * other moment's signals to Node's defaults.
 */
function removeUnfinishedAndStop(signal: NodeJS.Signals): void {
  for (const partial of unfinished) rmSync(partial, { force: true });
  unfinished.clear();
  stopListening();
  process.kill(process.pid, signal);
}

function startListening(): void {
  for (const signal of STOP_SIGNALS) process.on(signal, removeUnfinishedAndStop);
}

function stopListening(): void {
  for (const signal of STOP_SIGNALS) process.off(signal, removeUnfinishedAndStop);
}

/**
 * Writes `file` through `write`, which is given a path beside it: the file takes its name only
 * once `write` has finished, so a failure midway — or the process being stopped — leaves neither a
 * half-written file nor the old one changed.
 */
export async function writeWholeFile<T>(file: string, write: (partial: string) => Promise<T> | T): Promise<T> {
  const partial = `${file}.partial`;
  if (unfinished.size === 0) startListening();
  unfinished.add(partial);
  try {
    const result = await write(partial);
    renameSync(partial, file);
    return result;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    unfinished.delete(partial);
    if (unfinished.size === 0) stopListening();
  }
}
