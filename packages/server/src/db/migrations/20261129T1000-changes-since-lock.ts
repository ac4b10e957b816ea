/* Frozen in time: never import application code here. */
import { type Kysely, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was, untyped
type AnyDb = Kysely<any>;

/**
 * Every payroll run asks, for each locked month before it, whether that month's inputs changed
 * since it was locked (R-RUN-2). Each question read its whole table — every month of tickets,
 * deductions, attendance and team-lead points — so a run late in the year read the year eleven
 * times over (a 100,000-person department with ten locked months of tickets and deductions: 10.1–10.6 s
 * a run, 5.6–6.3 s with these). Each index answers one question from the locked month's entries
 * alone, without reading the rows; those of tickets and deductions lead with the day, which files
 * in time order add at a handful of places (a 450,000-ticket import: within the noise).
 * When a locked month did change, the retro lines already paid for it were looked for among every
 * payslip line of every run (450,000 lines: 1.6 s; a year's: several times that); only retro lines
 * have a cause, so a partial index of those holds them and costs other lines nothing.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('tickets_day_import').on('tickets').columns(['day', 'import_id']).execute();
  await db.schema.createIndex('deductions_day_changes').on('deductions').columns(['day', 'created_at', 'revoked_at']).execute();
  for (const table of ['attendance_months', 'lead_points', 'sales_months']) {
    await db.schema.createIndex(`${table}_month_updated`).on(table).columns(['month', 'updated_at']).execute();
  }
  await sql`CREATE INDEX payslip_lines_retro ON payslip_lines (code) WHERE cause IS NOT NULL`.execute(db);
}
