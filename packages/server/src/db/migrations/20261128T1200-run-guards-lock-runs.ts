/* Frozen in time: never import application code here. */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './20261127T1700-initial.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

const LOCKED = `RAISE EXCEPTION 'payroll run is locked' USING ERRCODE = 'check_violation'`;

/**
 * PostgreSQL: the guards that keep a locked (or, for sign-offs, an approved) month closed now lock
 * the runs they look at before looking. Before, a guard read the run's committed status without a
 * lock, so a change racing with the transaction that locks the run saw it still open and could
 * commit after it: a payslip added to a run already locked. Now the guard takes the run `FOR
 * SHARE`, which waits for a transaction changing the run's status to end; the next statement sees
 * what it committed (under READ COMMITTED each statement of these functions takes a new snapshot;
 * under REPEATABLE READ the lock itself fails to serialize). A change that gets the lock first makes
 * the locking transaction wait instead, and is in the run before it is locked.
 * SQLite needs none of this: one writer at a time, and a guard runs inside the write.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  // The guard of the rows a statement wrote (`new_rows`), removed (`old_rows`) or changed (both):
  // first the runs they belong to are locked, then their status is read.
  const lockRuns = (rows: string) => `PERFORM 1 FROM payroll_runs WHERE id IN (SELECT run_id FROM ${rows}) FOR SHARE;`;
  const lockedAmong = (rows: string) => `EXISTS (SELECT 1 FROM ${rows} x JOIN payroll_runs r ON r.id = x.run_id WHERE r.status = 'locked')`;
  const guard = (name: string, ...rows: string[]) =>
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       ${rows.map(lockRuns).join(' ')}
       IF ${rows.map(lockedAmong).join(' OR ')} THEN ${LOCKED}; END IF;
       RETURN NULL;
     END $$`;
  const statements = [
    guard('ladder_guard_new_rows', 'new_rows'),
    guard('ladder_guard_old_rows', 'old_rows'),
    guard('ladder_guard_changed_rows', 'old_rows', 'new_rows'),
    // TRUNCATE skips row triggers: refuse it while any run is locked, or is being locked.
    `CREATE OR REPLACE FUNCTION ladder_guard_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM 1 FROM payroll_runs FOR SHARE;
       IF EXISTS (SELECT 1 FROM payroll_runs WHERE status = 'locked') THEN
         RAISE EXCEPTION 'payroll data includes a locked run' USING ERRCODE = 'check_violation';
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE OR REPLACE FUNCTION ladder_qa_guard_sign_offs() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM 1 FROM payroll_runs WHERE month = NEW.month OR (TG_OP = 'UPDATE' AND month = OLD.month) FOR SHARE;
       IF (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM payroll_runs WHERE month = OLD.month AND status IN ('approved', 'locked')))
          OR EXISTS (SELECT 1 FROM payroll_runs WHERE month = NEW.month AND status IN ('approved', 'locked')) THEN
         RAISE EXCEPTION 'the payroll run of the month is approved or locked' USING ERRCODE = 'check_violation';
       END IF;
       RETURN NEW;
     END $$`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
