import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

  it('stops listening for signals once nothing is being written', async () => {
    const before = process.listenerCount('SIGINT');
    let during = 0;
    await writeWholeFile(path.join(dir, 'listened.csv'), (partial) => {
      during = process.listenerCount('SIGINT');
      writeFileSync(partial, 'x');
    });
    expect(during).toBe(before + 1);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  // The built module, as the CLI runs it (the test command builds first).
  const built = fileURLToPath(new URL('../dist/whole-file.js', import.meta.url));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`removes the partial file when the process is stopped by ${signal} midway, and still stops`, async () => {
      const file = path.join(dir, `stopped-${signal}.xlsx`);
      const script = `
        import { writeFileSync } from 'node:fs';
        import { writeWholeFile } from ${JSON.stringify(built)};
        await writeWholeFile(${JSON.stringify(file)}, async (partial) => {
          writeFileSync(partial, 'half of it');
          process.stdout.write('writing\\n');
          await new Promise((resolve) => setTimeout(resolve, 60_000));
        });`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      expect(existsSync(`${file}.partial`)).toBe(true);
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, by) => resolve(by)));
      child.kill(signal);
      expect(await ended).toBe(signal);
      expect(existsSync(`${file}.partial`)).toBe(false);
      expect(existsSync(file)).toBe(false);
    });
  }
});
