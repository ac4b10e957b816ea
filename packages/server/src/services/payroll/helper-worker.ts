/** A payroll helper thread (see helper.ts): for each run it is given, computes the ranges it takes into scratch files, one after the other. */
import { parentPort } from 'node:worker_threads';
import { parsePolicy } from '@ladder/core';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type HelperInput, type HelperJob, type HelperMessage, PROGRESS_FIELDS, takeRanges, takeSpareFile } from './helper.js';
import { computeSlices, type ComputedSlice, SliceProgress } from './slices.js';
import { sqliteWriter } from './write.js';

/** One scratch file being filled: its own connection, in one transaction, closed when handed over. */
function openScratch(input: HelperInput, index: number) {
  const file = input.scratch[index];
  if (file === undefined) throw new Error(`no scratch file ${index}`);
  const connection = new SqliteDatabase(file, { fileMustExist: true });
  connection.pragma('journal_mode = OFF');
  connection.pragma('synchronous = OFF');
  connection.exec('BEGIN');
  // `ranges` counts the ranges in the file; a range's slices come one after the other, ending with `lastRange`.
  return { index, connection, writer: sqliteWriter(connection, 0), ranges: 0, lastRange: -1, slices: [] as Omit<ComputedSlice, 'rows'>[] };
}

async function computeIntoScratch(input: HelperInput, post: (message: HelperMessage) => void): Promise<void> {
  const source = new SqliteDatabase(input.database, { readonly: true, fileMustExist: true });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: source }) });
  let scratch: ReturnType<typeof openScratch> | undefined;
  let sparesLeft = true;
  const handOver = async () => {
    if (!scratch) return;
    await scratch.writer.finish();
    scratch.connection.exec('COMMIT');
    scratch.connection.close();
    post({ type: 'file', index: scratch.index, slices: scratch.slices });
  };
  try {
    source.pragma('busy_timeout = 5000');
    source.pragma('cache_size = -65536');
    // One read transaction: every range is read from the same snapshot.
    source.exec('BEGIN');
    const { policy } = parsePolicy(input.policyText);
    const counted = new SliceProgress();
    const shared = new Int32Array(input.progress);
    const tell = () => {
      const at = PROGRESS_FIELDS * input.helper;
      Atomics.store(shared, at, counted.slices);
      Atomics.store(shared, at + 1, counted.payslips);
      Atomics.store(shared, at + 2, counted.ids);
    };
    const basis = { month: input.month, policy, retro: input.retro, netPay: input.netPay };
    for await (const { rows, ...slice } of computeSlices(db, basis, takeRanges(input.ranges, input.next), input.rowsPerSlice, source)) {
      // A full file is handed over between ranges, when a spare one is left to go on in.
      if (sparesLeft && scratch && scratch.lastRange !== slice.range.from && scratch.ranges >= input.rangesPerFile) {
        const spare = takeSpareFile(input);
        sparesLeft = spare !== undefined;
        if (spare !== undefined) {
          await handOver();
          scratch = openScratch(input, spare);
        }
      }
      scratch ??= openScratch(input, input.helper);
      if (scratch.lastRange !== slice.range.from) {
        scratch.ranges += 1;
        scratch.lastRange = slice.range.from;
      }
      await scratch.writer.write(rows);
      scratch.slices.push(slice);
      counted.add(slice);
      tell();
    }
    counted.end();
    tell();
    await handOver();
    source.exec('COMMIT');
  } finally {
    if (scratch?.connection.open) scratch.connection.close(); // a file left half-written by an error
    await db.destroy();
  }
}

// Runs come one at a time: the main thread gives the next only after this one has said `done`.
parentPort?.on('message', ({ input }: HelperJob) => {
  const post = (message: HelperMessage) => input.port.postMessage(message);
  computeIntoScratch(input, post)
    .then(() => post({ type: 'done' }))
    .catch((error: unknown) => post({ type: 'error', message: (error as Error).message }))
    .finally(() => input.port.close());
});
