/** Files written whole or not at all. */
import { renameSync, rmSync } from 'node:fs';

/**
 * Writes `file` through `write`, which is given a path beside it: the file takes its name only
 * once `write` has finished, so a failure midway leaves neither a half-written file nor the old
 * one changed.
 */
export async function writeWholeFile<T>(file: string, write: (partial: string) => Promise<T> | T): Promise<T> {
  const partial = `${file}.partial`;
  try {
    const result = await write(partial);
    renameSync(partial, file);
    return result;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
