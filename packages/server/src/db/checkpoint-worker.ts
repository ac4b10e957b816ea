/** Copies a SQLite file's write-ahead log into the file, on its own connection (see connect.ts). */
import { workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';

const { file } = workerData as { file: string };
const connection = new SqliteDatabase(file, { fileMustExist: true });
try {
  connection.pragma('busy_timeout = 5000');
  // PASSIVE: readers and writers go on meanwhile; what a reader still needs waits for the next one.
  connection.pragma('wal_checkpoint(PASSIVE)');
} finally {
  connection.close();
}
