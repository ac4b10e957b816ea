/** A crash in the middle of an import leaves the database exactly as before: kill -9 the real command. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadAgents, writeConversationsCsv } from '../../bench/imports.js';
import { describeStores } from '../support/stores.js';
import { testDirectory } from '../support/temp-dir.js';

const BIN = fileURLToPath(new URL('../../packages/server/bin/ladder.js', import.meta.url));
const dir = testDirectory('ladder-crash-');

describeStores('an import killed half-way', (context) => {
  it('writes nothing', async () => {
    const file = path.join(dir, `${context.dialect}.csv`);
    writeConversationsCsv(file, 400_000, 50);
    await loadAgents(context.store, 50);
    const child = spawn(process.execPath, [BIN, 'import', 'conversations', file], {
      env: { ...process.env, DATABASE_URL: context.store.location },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    // Kill it hard once the progress line says rows are flowing (its transaction is open by then).
    const killed = await new Promise<boolean>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/\b[1-9]\d*% /.test(stderr) && child.exitCode === null) {
          child.kill('SIGKILL');
          resolve(true);
        }
      });
      child.on('exit', () => resolve(false));
    });
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.on('exit', resolve)));
    expect(killed, `the import finished before it could be killed: ${stderr}`).toBe(true);
    const count = async (table: 'conversations' | 'agent_day_stats' | 'import_files') =>
      Number(
        (
          await context.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('conversations')).toBe(0);
    expect(await count('agent_day_stats')).toBe(0);
    expect(await count('import_files')).toBe(0);
  });
});
