/**
 * Two processes writing to one SQLite file (db/sqlite-dialect.ts): a write transaction waits for
 * the other process's write to end and then goes on with the latest data, where SQLite's deferred
 * transaction — reading first, writing later — is refused once the other commits meanwhile.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Month } from '@ladder/core';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyStore } from '../../packages/server/src/cli/commands/payroll.js';
import { openStore, type Store } from '../../packages/server/src/db/connect.js';
import { computeRun } from '../../packages/server/src/services/payroll/runs.js';
import { seedSpecExamples, testContext } from '../support/seed.js';
import { createStore } from '../support/stores.js';

const OCT = '2026-10' as Month;
const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Another process takes the file's write lock, writes, holds the lock and commits: after `holdMs`,
 * or when told to (`release`). Resolves once it holds the lock; `done` once it has committed and ended.
 */
async function otherWriter(file: string, holdMs: number | 'until released'): Promise<{ release(): void; done: Promise<void> }> {
  const hold =
    holdMs === 'until released'
      ? "require('node:fs').readSync(0, Buffer.alloc(1));"
      : `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});`;
  const script = `
    const Database = require(${JSON.stringify(betterSqlite)});
    const db = new Database(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    db.exec('CREATE TABLE IF NOT EXISTS other_writer (at TEXT)');
    db.prepare('INSERT INTO other_writer VALUES (?)').run(new Date().toISOString());
    process.stdout.write('locked\\n');
    ${hold}
    db.exec('COMMIT');
    db.close();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`other writer exited with ${code}`))));
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      if (data.toString().includes('locked')) resolve();
    });
    child.once('error', reject);
  });
  return { release: () => child.stdin.end('x'), done };
}

describe('writes from two processes on one SQLite file', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  let ctx: ReturnType<typeof testContext>;
  beforeAll(async () => {
    ({ store, dispose } = await createStore('sqlite'));
    ctx = testContext(store);
    await seedSpecExamples(ctx, OCT);
  });
  afterAll(async () => dispose());

  it('a deferred transaction that read first is refused when the other process commits meanwhile', async () => {
    const other = await otherWriter(store.location, 300);
    const deferred = store.db.transaction().execute(async (trx) => {
      await trx.selectFrom('payroll_runs').selectAll().execute();
      await trx.updateTable('employees').set({ name: '改名' }).where('employee_no', '=', 'nobody').execute();
    });
    await expect(deferred).rejects.toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
    await other.done;
  });

  for (const helper of [false, true]) {
    it(`a payroll run waits for the other process's write and then computes (${helper ? 'with' : 'without'} helper threads)`, async () => {
      const other = await otherWriter(store.location, 400);
      ctx.advance();
      // The other process holds the write lock as the run begins: the run waits for it.
      const summary = await computeRun(ctx, OCT, 'after the other writer', { helper, slicePeople: 1 });
      expect(summary.employees).toBeGreaterThan(0);
      await other.done;
      // What the other process wrote was committed before the run began.
      const written = new SqliteDatabase(store.location, { readonly: true });
      try {
        expect((written.prepare('SELECT count(*) AS n FROM other_writer').get() as { n: number }).n).toBeGreaterThan(0);
      } finally {
        written.close();
      }
    });
  }

  it('opening the store and reading do not wait for the other process', async () => {
    // The other process holds its lock until told: a store that waited for it would time out.
    const other = await otherWriter(store.location, 'until released');
    try {
      const reader = await openStore({ url: store.location, busyTimeoutMs: 200 });
      try {
        const runs = await reader.db.selectFrom('payroll_runs').select('month').execute();
        expect(runs.map((run) => run.month)).toContain(OCT);
      } finally {
        await reader.close();
      }
    } finally {
      other.release();
      await other.done;
    }
  });

  it('says in the CLI that the database is busy when the wait runs out', () => {
    const holder = new SqliteDatabase(store.location);
    const waiter = new SqliteDatabase(store.location);
    try {
      holder.exec('BEGIN IMMEDIATE');
      waiter.pragma('busy_timeout = 0');
      let refusal: unknown;
      try {
        waiter.exec('BEGIN IMMEDIATE');
      } catch (error) {
        refusal = error;
      }
      const said = busyStore(refusal, 'data/ladder.sqlite');
      expect(said?.exitCode).toBe(1);
      expect(said?.lines).toEqual([
        'data/ladder.sqlite: 数据库正忙,另一个命令(如工资核算或导入)写入超过 60 秒仍未结束,请在它完成后重试',
        'data/ladder.sqlite: the database is busy: another command (a payroll run or an import) has been writing to it for over 60 s; try again when it has finished',
      ]);
      expect(busyStore(new Error('no such table: x'), 'data/ladder.sqlite')).toBeUndefined();
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      waiter.close();
    }
  });
});
