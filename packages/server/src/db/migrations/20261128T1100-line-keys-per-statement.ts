/* Frozen in time: never import application code here. */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './20261127T1700-initial.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

const MISSING = `RAISE EXCEPTION 'a payslip line refers to a payslip that does not exist' USING ERRCODE = 'foreign_key_violation'`;
const REFERRED = `RAISE EXCEPTION 'a payslip still has lines' USING ERRCODE = 'foreign_key_violation'`;

/**
 * PostgreSQL: every payslip line belongs to a payslip of its own run, now checked once per
 * statement instead of once per line. A declared foreign key runs one query per inserted line and
 * locks that line's payslip (a run of 100,000 payslips writes ≈ 250,000 lines: ≈ 3 s of the
 * server's time, most of it the 100,000 row locks); here a statement's lines are checked with one
 * anti-join, and what keeps a concurrent transaction from removing their payslips meanwhile is a
 * lock on their run instead: lines hold their runs `FOR SHARE` until commit, and removing payslips
 * that may have lines first takes their runs `FOR NO KEY UPDATE` and touches them, so whichever
 * comes second waits for the first to commit and then checks what it committed (under REPEATABLE
 * READ the touched run makes the waiting side fail to serialize, as with a foreign key).
 * Deleting, re-keying or truncating payslips that still have lines is refused as before.
 * SQLite keeps its declared key: there a check is a B-tree lookup, not a query.
 */
export async function up(db: AnyDb, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  const statements = [
    `ALTER TABLE payslip_lines DROP CONSTRAINT payslip_lines_payslip_id_fkey`,
    // The lines' side: each new or changed line's payslip exists, in the line's run.
    `CREATE FUNCTION ladder_line_payslips_exist() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM 1 FROM payroll_runs WHERE id IN (SELECT run_id FROM new_rows) FOR SHARE;
       IF EXISTS (SELECT 1 FROM (SELECT DISTINCT payslip_id, run_id FROM new_rows) l
                  WHERE NOT EXISTS (SELECT 1 FROM payslips p WHERE p.id = l.payslip_id AND p.run_id = l.run_id)) THEN
         ${MISSING};
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER payslip_lines_key_insert AFTER INSERT ON payslip_lines REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_line_payslips_exist()`,
    `CREATE TRIGGER payslip_lines_key_update AFTER UPDATE ON payslip_lines REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_line_payslips_exist()`,
    // The payslips' side: none that goes away (deleted, or moved to another id or run) still has lines.
    `CREATE FUNCTION ladder_payslips_without_lines() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       UPDATE payroll_runs SET status = status WHERE id IN (SELECT run_id FROM old_rows);
       IF TG_OP = 'UPDATE' THEN
         IF EXISTS (SELECT 1 FROM old_rows o
                    WHERE NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id AND n.run_id = o.run_id)
                      AND EXISTS (SELECT 1 FROM payslip_lines l WHERE l.payslip_id = o.id)) THEN ${REFERRED}; END IF;
       ELSIF EXISTS (SELECT 1 FROM old_rows o WHERE EXISTS (SELECT 1 FROM payslip_lines l WHERE l.payslip_id = o.id)) THEN ${REFERRED};
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER payslips_key_delete AFTER DELETE ON payslips REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_payslips_without_lines()`,
    `CREATE TRIGGER payslips_key_update AFTER UPDATE ON payslips REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ladder_payslips_without_lines()`,
    `CREATE FUNCTION ladder_payslips_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF EXISTS (SELECT 1 FROM payslip_lines) THEN ${REFERRED}; END IF;
       RETURN NULL;
     END $$`,
    `CREATE TRIGGER payslips_key_truncate BEFORE TRUNCATE ON payslips FOR EACH STATEMENT EXECUTE FUNCTION ladder_payslips_truncate()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
