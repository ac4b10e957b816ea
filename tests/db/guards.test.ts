import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Db } from '../../packages/server/src/services/context.js';
import { insertDraftRun } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

describeStores('database guards', (ctx) => {
  const now = '2026-11-27T00:00:00.000Z';

  async function seedRun(month: string, status: string) {
    const { db } = ctx.store;
    const employee = await db
      .insertInto('employees')
      .values({ employee_no: `E-${month}`, name: 'n', hired_on: '2026-01-01', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const run = { id: await insertDraftRun(db, month, now) };
    const slip = await db
      .insertInto('payslips')
      .values({
        run_id: run.id,
        employee_id: employee.id,
        group_code: 'basic',
        level: 'junior',
        gross_fen: 100,
        full_attendance: 1,
        performance: '{}',
        inputs: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('payslip_lines')
      .values({
        run_id: run.id,
        payslip_id: slip.id,
        position: 0,
        code: 'base',
        amount_fen: 100,
        rule: 'R',
        formula: '',
        inputs: '{}',
        explain_zh: '',
        explain_en: '',
      })
      .execute();
    await db
      .updateTable('payroll_runs')
      .set({ status: status as 'locked' })
      .where('id', '=', run.id)
      .execute();
    return { runId: run.id, slipId: slip.id };
  }

  it('refuses every change to a locked run, its payslips and lines', async () => {
    const { db } = ctx.store;
    const { runId, slipId } = await seedRun('2026-09', 'locked');
    await expect(db.updateTable('payroll_runs').set({ gross_total_fen: 1 }).where('id', '=', runId).execute()).rejects.toThrow(/locked/);
    await expect(db.deleteFrom('payroll_runs').where('id', '=', runId).execute()).rejects.toThrow(/locked/);
    await expect(db.updateTable('payslips').set({ gross_fen: 1 }).where('id', '=', slipId).execute()).rejects.toThrow(/locked/);
    await expect(db.deleteFrom('payslip_lines').where('run_id', '=', runId).execute()).rejects.toThrow(/locked/);
    const another = await db
      .insertInto('employees')
      .values({ employee_no: 'E-late', name: 'n', hired_on: '2026-01-01', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('payslips')
        .values({
          run_id: runId,
          employee_id: another.id,
          group_code: 'x',
          level: 'y',
          gross_fen: 1,
          full_attendance: 0,
          performance: '{}',
          inputs: '{}',
        })
        .execute(),
    ).rejects.toThrow(/locked/);
    await expect(db.updateTable('payslip_lines').set({ amount_fen: 5 }).where('run_id', '=', runId).execute()).rejects.toThrow(/locked/);
    if (ctx.dialect === 'postgres') await expect(sql`TRUNCATE payslip_lines`.execute(db)).rejects.toThrow(/locked/);
    const line = await db.selectFrom('payslip_lines').select('amount_fen').where('run_id', '=', runId).executeTakeFirstOrThrow();
    expect(line.amount_fen).toBe(100);
  });

  it('lets a draft change', async () => {
    const { db } = ctx.store;
    const { runId } = await seedRun('2026-10', 'draft');
    await db.updateTable('payslip_lines').set({ amount_fen: 5 }).where('run_id', '=', runId).execute();
    const line = await db.selectFrom('payslip_lines').select('amount_fen').where('run_id', '=', runId).executeTakeFirstOrThrow();
    expect(line.amount_fen).toBe(5);
  });

  async function draftPayslip(runId: number, employeeNo: string) {
    const { db } = ctx.store;
    const employee = await db
      .insertInto('employees')
      .values({ employee_no: employeeNo, name: 'n', hired_on: '2026-01-01', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const slip = await db
      .insertInto('payslips')
      .values({
        run_id: runId,
        employee_id: employee.id,
        group_code: 'basic',
        level: 'junior',
        gross_fen: 1,
        full_attendance: 1,
        performance: '{}',
        inputs: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return slip.id;
  }

  const lineOf = (runId: number, payslipId: number, position = 1) => ({
    run_id: runId,
    payslip_id: payslipId,
    position,
    code: 'extra',
    amount_fen: 1,
    rule: 'R',
    formula: '',
    inputs: '{}',
    explain_zh: '',
    explain_en: '',
  });

  it('keeps every payslip line tied to an existing payslip', async () => {
    const { db } = ctx.store;
    const { runId, slipId } = await seedRun('2026-08', 'draft');
    const missing = slipId + 1000;
    await expect(db.insertInto('payslip_lines').values(lineOf(runId, missing)).execute()).rejects.toThrow(
      /FOREIGN KEY|payslip that does not exist/,
    );
    await expect(db.updateTable('payslip_lines').set({ payslip_id: missing }).where('run_id', '=', runId).execute()).rejects.toThrow(
      /FOREIGN KEY|payslip that does not exist/,
    );
    await expect(db.deleteFrom('payslips').where('id', '=', slipId).execute()).rejects.toThrow(/FOREIGN KEY|still has lines/);
    await expect(db.updateTable('payslips').set({ id: missing }).where('id', '=', slipId).execute()).rejects.toThrow(
      /FOREIGN KEY|still has lines/,
    );
    if (ctx.dialect === 'postgres') {
      // Checked once per statement there: one bad line among good ones spoils the statement, and a line must be in its payslip's run.
      const other = await seedRun('2026-07', 'draft');
      await expect(
        db
          .insertInto('payslip_lines')
          .values([lineOf(runId, slipId, 5), lineOf(runId, missing, 6)])
          .execute(),
      ).rejects.toThrow(/payslip that does not exist/);
      await expect(
        db
          .insertInto('payslip_lines')
          .values(lineOf(other.runId, slipId, 7))
          .execute(),
      ).rejects.toThrow(/payslip that does not exist/);
      await expect(db.updateTable('payslips').set({ run_id: other.runId }).where('id', '=', slipId).execute()).rejects.toThrow(
        /still has lines/,
      );
      await expect(sql`TRUNCATE payslips CASCADE`.execute(db)).rejects.toThrow(/still has lines/);
    }
    // A payslip without lines can go, and its lines with it when they go first.
    await db
      .deleteFrom('payslips')
      .where('id', '=', await draftPayslip(runId, 'E-lineless'))
      .execute();
    await db.deleteFrom('payslip_lines').where('payslip_id', '=', slipId).execute();
    await db.deleteFrom('payslips').where('id', '=', slipId).execute();
    expect(await db.selectFrom('payslips').select('id').where('id', '=', slipId).execute()).toEqual([]);
  });

  if (ctx.dialect === 'postgres') {
    /** Resolves once some session of this database waits for a lock. */
    async function someoneWaits() {
      for (let tries = 0; tries < 200; tries += 1) {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(ctx.store.db);
        if ((rows[0]?.n ?? 0) > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('no session ever waited for a lock');
    }

    /**
     * `first` runs in a transaction held open until `second` (its own statement) waits for a lock;
     * then `first` commits. Returns how `second` ended: `done` or its error message.
     */
    async function race(first: (trx: Db) => Promise<unknown>, second: () => Promise<unknown>): Promise<string> {
      let commit: () => void = () => undefined;
      const committed = new Promise<void>((resolve) => (commit = resolve));
      const held = ctx.store.db.transaction().execute(async (trx) => {
        await first(trx);
        await committed;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const outcome = second().then(
        () => 'done',
        (error: Error) => error.message,
      );
      await someoneWaits();
      commit();
      await held;
      return outcome;
    }

    it('makes a payslip removal wait for lines being added to it, then refuses it', async () => {
      const { runId } = await seedRun('2026-06', 'draft');
      const payslipId = await draftPayslip(runId, 'E-race-1');
      const removal = await race(
        (trx) => trx.insertInto('payslip_lines').values(lineOf(runId, payslipId)).execute(),
        () => ctx.store.db.deleteFrom('payslips').where('id', '=', payslipId).execute(),
      );
      expect(removal).toMatch(/still has lines/);
    });

    it('makes lines wait for a payslip being removed, then refuses them', async () => {
      const { runId } = await seedRun('2026-05', 'draft');
      const payslipId = await draftPayslip(runId, 'E-race-2');
      const adding = await race(
        (trx) => trx.deleteFrom('payslips').where('id', '=', payslipId).execute(),
        () => ctx.store.db.insertInto('payslip_lines').values(lineOf(runId, payslipId)).execute(),
      );
      expect(adding).toMatch(/payslip that does not exist/);
    });

    it('makes payslips and lines wait for their run being locked, then refuses them', async () => {
      const { runId } = await seedRun('2026-04', 'approved');
      const lockRun = (trx: Db) => trx.updateTable('payroll_runs').set({ status: 'locked' }).where('id', '=', runId).execute();
      expect(await race(lockRun, () => draftPayslip(runId, 'E-race-3'))).toMatch(/payroll run is locked/);
      const other = await seedRun('2026-03', 'approved');
      const lockOther = (trx: Db) => trx.updateTable('payroll_runs').set({ status: 'locked' }).where('id', '=', other.runId).execute();
      expect(
        await race(lockOther, () =>
          ctx.store.db
            .insertInto('payslip_lines')
            .values(lineOf(other.runId, other.slipId, 3))
            .execute(),
        ),
      ).toMatch(/payroll run is locked/);
      const lines = await ctx.store.db.selectFrom('payslip_lines').select('id').where('run_id', 'in', [runId, other.runId]).execute();
      expect(lines.length).toBe(2);
    });

    it('makes a QA sign-off wait for its month’s run being approved, then refuses it', async () => {
      const { runId } = await seedRun('2026-02', 'reviewed');
      const employee = await ctx.store.db
        .selectFrom('employees')
        .select('id')
        .where('employee_no', '=', 'E-2026-02')
        .executeTakeFirstOrThrow();
      const signing = await race(
        (trx) => trx.updateTable('payroll_runs').set({ status: 'approved' }).where('id', '=', runId).execute(),
        () =>
          sql`INSERT INTO qa_sign_offs (employee_id, month, grade, status, created_at, created_by, updated_at)
              VALUES (${employee.id}, '2026-02', 'good', 'pending', ${now}, 't', ${now})`.execute(ctx.store.db),
      );
      expect(signing).toMatch(/approved or locked/);
    });
  }

  it('keeps the audit log append-only', async () => {
    const { db } = ctx.store;
    await db
      .insertInto('audit_log')
      .values({ at: now, actor: 'hr', action: 'test', entity: 'x', entity_key: '1', reason: null, details: null })
      .execute();
    await expect(db.updateTable('audit_log').set({ actor: 'someone else' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
  });
});
