import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeWholeFile } from './whole-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ladder-whole-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeWholeFile', () => {
  it('gives the file its name once written', async () => {
    const file = path.join(dir, 'done.csv');
    expect(await writeWholeFile(file, (partial) => (writeFileSync(partial, 'a,b\r\n'), 2))).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('a,b\r\n');
    expect(readdirSync(dir)).toEqual(['done.csv']);
  });

  it('leaves the old file as it was and nothing half-written when writing fails midway', async () => {
    const file = path.join(dir, 'kept.csv');
    writeFileSync(file, 'old');
    const failing = writeWholeFile(file, async (partial) => {
      writeFileSync(partial, 'half');
      throw new Error('disk full');
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(existsSync(`${file}.partial`)).toBe(false);
  });
});
