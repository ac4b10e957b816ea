import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeStores } from '../support/stores.js';

describeStores('database guards', (ctx) => {
  const now = '2026-11-27T00:00:00.000Z';

  async function seedRun(month: string, status: string) {
    const { db } = ctx.store;
    const policy = await db
      .insertInto('policy_versions')
      .values({
        policy: 'p',
        version: month,
        effective_from: `${month}-01`,
        source_text: '',
        sha256: month,
        created_at: now,
        created_by: 't',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const employee = await db
      .insertInto('employees')
      .values({ employee_no: `E-${month}`, name: 'n', hired_on: '2026-01-01', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const run = await db
      .insertInto('payroll_runs')
      .values({
        month,
        status: 'draft',
        policy_version_id: policy.id,
        revision: 1,
        employee_count: 1,
        gross_total_fen: 100,
        problems: '[]',
        created_at: now,
        created_by: 't',
        computed_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
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
