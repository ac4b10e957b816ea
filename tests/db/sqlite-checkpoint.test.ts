/**
 * A payroll run or an import on a SQLite file commits without copying its write-ahead log into the
 * file; another thread copies it afterwards (db/connect.ts `checkpointAfter`).
 */
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Month } from '@ladder/core';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../packages/server/src/db/connect.js';
import { fileURLToPath } from 'node:url';
import { importFile } from '../../packages/server/src/services/imports/import-file.js';
import { computeRun } from '../../packages/server/src/services/payroll/runs.js';
import { seedSpecExamples, testContext } from '../support/seed.js';
import { createStore } from '../support/stores.js';
import { testDirectory } from '../support/temp-dir.js';

const OCT = '2026-10' as Month;
const work = testDirectory('ladder-ckpt-');

/** Rows the database file itself holds, read from a copy of the file without its log. */
function rowsInFile(store: Store, table: 'payslips' | 'import_files'): number {
  const copy = path.join(work, 'copy.sqlite');
  rmSync(copy, { force: true });
  copyFileSync(store.location, copy);
  const file = new SqliteDatabase(copy, { readonly: true });
  try {
    return file.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    file.close();
  }
}

describe('the checkpoint after a payroll run [sqlite]', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeAll(async () => ({ store, dispose } = await createStore('sqlite')));
  afterAll(async () => dispose());

  it('copies the run into the database file on another thread, and turns automatic checkpoints back on', async () => {
    const ctx = testContext(store);
    await seedSpecExamples(ctx, OCT);
    const automatic = store.sqlite?.pragma('wal_autocheckpoint', { simple: true });
    const summary = await computeRun(ctx, OCT, 'checkpoint', { helper: true, slicePeople: 1 });
    expect(store.sqlite?.pragma('wal_autocheckpoint', { simple: true })).toBe(automatic);
    await store.settled();
    expect(rowsInFile(store, 'payslips')).toBe(summary.employees);
    expect(summary.employees).toBeGreaterThan(2);
  });

  it('copies an import into the database file the same way', async () => {
    const ctx = testContext(store);
    const employees = path.join(work, 'employees.csv');
    copyFileSync(fileURLToPath(new URL('../fixtures/imports/employees.csv', import.meta.url)), employees);
    const before = rowsInFile(store, 'import_files');
    expect((await importFile(ctx, 'employees', employees)).status).toBe('imported');
    await store.settled();
    expect(rowsInFile(store, 'import_files')).toBe(before + 1);
  });

  it('turns automatic checkpoints back on once the last of overlapping large writes ends', async () => {
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await Promise.all([store.checkpointAfter(() => pause(5)), store.checkpointAfter(() => pause(40))]);
    expect(store.sqlite?.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('turns automatic checkpoints back on after a run that failed', async () => {
    const ctx = testContext(store);
    await expect(computeRun(ctx, '1999-01' as Month)).rejects.toThrow(/policy/);
    expect(store.sqlite?.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
