/**
 * The payslip writer (services/payroll/write.ts) across many slices: on PostgreSQL thousands of
 * payslips go in chunked statements, several in flight, whatever the slices they came in.
 */
import { expect, it } from 'vitest';
import { type PayslipRow, payslipWriter } from '../../packages/server/src/services/payroll/write.js';
import { insertDraftRun } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

const PEOPLE = 2345; // more than two chunks of 1,000, and a part chunk
const now = '2026-11-28T00:00:00.000Z';

describeStores('payslip writer', (context) => {
  it('stores every payslip with its lines, slice after slice', async () => {
    const { db } = context.store;
    const employees = await db
      .insertInto('employees')
      .values(
        Array.from({ length: PEOPLE }, (_, i) => ({ employee_no: `W${i}`, name: `员工${i}`, hired_on: '2026-01-01', created_at: now })),
      )
      .returning('id')
      .execute();
    const rows: PayslipRow[] = employees.map(({ id }, i) => ({
      employeeId: id,
      group: 'basic',
      level: 'junior',
      gross: 300_000 + i,
      fullAttendance: i % 2 === 0,
      performance: '{}',
      inputs: `{"n":${i}}`,
      lines: [
        {
          code: 'base',
          amount: 300_000,
          rule: 'R-PAY-2',
          formula: '3000.00',
          inputs: '{}',
          explainZh: '基本工资',
          explainEn: 'base',
          cause: null,
        },
        {
          code: 'extra',
          amount: i,
          rule: 'R',
          formula: `${i}`,
          inputs: '{}',
          explainZh: `第 ${i} 行`,
          explainEn: `line ${i}`,
          cause: null,
        },
      ],
    }));
    await db.transaction().execute(async (trx) => {
      const runId = await insertDraftRun(trx, '2026-10', now);
      const writer = payslipWriter(trx, context.store, runId);
      for (let from = 0; from < rows.length; from += 500) await writer.write(rows.slice(from, from + 500));
      await writer.finish();
    });

    const stored = await db
      .selectFrom('payslips as p')
      .innerJoin('payslip_lines as l', 'l.payslip_id', 'p.id')
      .select(['p.employee_id', 'p.gross_fen', 'l.position', 'l.code', 'l.amount_fen', 'l.explain_zh'])
      .orderBy('p.employee_id')
      .orderBy('l.position')
      .execute();
    expect(stored.length).toBe(PEOPLE * 2);
    expect(
      stored.filter((line) => line.code === 'extra').map((line) => [line.employee_id, line.gross_fen - 300_000, line.amount_fen]),
    ).toEqual(employees.map(({ id }, i) => [id, i, i]));
    expect(stored.at(-1)?.explain_zh).toBe(`第 ${PEOPLE - 1} 行`);
  });
});
