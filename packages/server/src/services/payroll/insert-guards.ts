/**
 * SQLite's locked-run insert triggers run once per row (it has no statement triggers): ≈ 350,000
 * times in a run of 100,000. A run writes only into its own draft, so inside its transaction it
 * drops them and creates them again, from their stored definitions, before it commits: no other
 * connection ever sees the tables without them (SQLite's DDL is transactional, and the run holds
 * the only write lock), and a run that fails rolls the drop back with everything else.
 */
import { sql } from 'kysely';
import type { Db } from '../context.js';

const INSERT_GUARDS = ['payslips_locked_insert', 'payslip_lines_locked_insert', 'payslip_net_locked_insert'];

export interface LiftedGuards {
  /** Creates the triggers again exactly as they were defined. */
  restore(): Promise<void>;
}

export async function liftInsertGuards(trx: Db): Promise<LiftedGuards> {
  const { rows } = await sql<{ name: string; sql: string }>`
    SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (${sql.join(INSERT_GUARDS)}) ORDER BY name`.execute(trx);
  for (const { name } of rows) await sql`DROP TRIGGER ${sql.id(name)}`.execute(trx);
  return {
    async restore() {
      for (const { sql: definition } of rows) await sql.raw(definition).execute(trx);
    },
  };
}
