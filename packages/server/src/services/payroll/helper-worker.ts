/** The payroll helper's thread (see helper.ts): computes the ranges it takes into the scratch file. */
import { parentPort, workerData } from 'node:worker_threads';
import { parsePolicy } from '@ladder/core';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { EmployeeRange } from '../employees.js';
import type { HelperInput, HelperResult } from './helper.js';
import { computeSlices, type ComputedSlice } from './slices.js';
import { sqliteWriter } from './write.js';

const port = parentPort;
if (!port) throw new Error('run as a worker thread');
const input = workerData as HelperInput;

function* takenRanges(): Generator<EmployeeRange> {
  const taken = new Int32Array(input.next);
  for (;;) {
    const range = input.ranges[Atomics.add(taken, 0, 1)];
    if (!range) return;
    yield range;
  }
}

async function computeIntoScratch(): Promise<Omit<ComputedSlice, 'rows'>[]> {
  const source = new SqliteDatabase(input.database, { readonly: true, fileMustExist: true });
  const scratch = new SqliteDatabase(input.scratch, { fileMustExist: true });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: source }) });
  try {
    source.pragma('busy_timeout = 5000');
    source.pragma('cache_size = -65536');
    scratch.pragma('journal_mode = OFF');
    scratch.pragma('synchronous = OFF');
    // One read transaction: every range is read from the same snapshot.
    source.exec('BEGIN');
    scratch.exec('BEGIN');
    const writer = sqliteWriter(scratch, 0);
    const { policy } = parsePolicy(input.policyText);
    const done: Omit<ComputedSlice, 'rows'>[] = [];
    for await (const { rows, ...slice } of computeSlices(db, input.month, policy, input.retro, takenRanges(), input.rowsPerSlice)) {
      await writer.write(rows);
      done.push(slice);
    }
    await writer.finish();
    scratch.exec('COMMIT');
    source.exec('COMMIT');
    return done;
  } finally {
    await db.destroy();
    scratch.close();
  }
}

try {
  port.postMessage({ type: 'done', slices: await computeIntoScratch() } satisfies HelperResult);
} catch (error) {
  port.postMessage({ type: 'error', message: (error as Error).message } satisfies HelperResult);
}
port.close();
