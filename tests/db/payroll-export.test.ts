/**
 * A run's payslips read a page at a time (`payslipPages`) and exported as they are read: the
 * pages add up to the whole run, the files have every payslip, line and total, and a failed
 * export leaves no file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Month } from '@ladder/core';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { upsertAttendance } from '../../packages/server/src/services/inputs.js';
import { exportRun } from '../../packages/server/src/services/payroll/export.js';
import { writePayslipPage } from '../../packages/server/src/services/payroll/payslip-page.js';
import { computeRun, payslipPages, runPayslips } from '../../packages/server/src/services/payroll/runs.js';
import { attendance, seedSpecExamples, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';
import { testDirectory } from '../support/temp-dir.js';

const OCT = '2026-10' as Month;
const dir = testDirectory('ladder-export-');

describeStores('payroll export', (context) => {
  it('reads the run page by page, in employee order, as it reads it whole', async () => {
    const ctx = testContext(context.store);
    await seedSpecExamples(ctx, OCT);
    const more = [1, 2, 3].map((n) => ({ employeeNo: `E10${n}`, name: `=王${n}`, group: 'basic', level: 'junior', hiredOn: '2026-01-05' }));
    await upsertEmployees(context.store.db, ctx, more, 'hired');
    await upsertAttendance(
      context.store.db,
      ctx,
      more.map((person) => attendance(person.employeeNo, OCT)),
    );
    await computeRun(ctx, OCT);
    const whole = await runPayslips(context.store.db, OCT);
    expect(whole).toHaveLength(7);
    for (const size of [1, 2, 7, 100]) {
      const pages: Awaited<ReturnType<typeof runPayslips>>[] = [];
      for await (const page of payslipPages(context.store.db, OCT, size)) pages.push(page);
      expect(pages.map((page) => page.length).every((length) => length <= size)).toBe(true);
      expect(pages.flat()).toEqual(whole);
    }
  });

  it('exports every payslip, line and total as CSV and XLSX, with names that are never formulas', async () => {
    const whole = await runPayslips(context.store.db, OCT);
    const gross = whole.reduce((sum, slip) => sum + slip.gross, 0);
    const csv = path.join(dir, `${context.dialect}.csv`);
    expect(await exportRun(context.store.db, OCT, 'csv', csv)).toEqual({ file: csv, payslips: 7 });
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    expect(rows).toHaveLength(1 + 7 + 1);
    expect(rows.slice(1, -1).map((row) => row.split(',')[0])).toEqual(whole.map((slip) => slip.employeeNo));
    expect(rows.find((row) => row.startsWith('E101'))?.split(',')[1]).toBe("'=王1");
    expect(rows.at(-1)?.split(',').at(-1)).toBe((gross / 100).toFixed(2));

    const xlsx = path.join(dir, `${context.dialect}.xlsx`);
    await exportRun(context.store.db, OCT, 'xlsx', xlsx);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    const [summary, details] = workbook.worksheets;
    expect(summary?.rowCount).toBe(1 + 7 + 1);
    const totals = summary?.getRow(9);
    expect(totals?.getCell(1).value).toBe('合计 total');
    expect(totals?.getCell(summary?.columnCount ?? 0).value).toBe(gross / 100);
    expect(summary?.getRow(2).getCell(2).value).toBe(whole[0]?.name);
    // A typed text cell: the name as it is, not run as a formula.
    const e101 = summary?.getRows(2, 7)?.find((row) => row.getCell(1).value === 'E101');
    expect(e101?.getCell(2).value).toBe('=王1');
    const lineCount = whole.reduce((sum, slip) => sum + slip.lines.length, 0);
    expect(details?.rowCount).toBe(1 + lineCount);
    // Every amount on the lines sheet adds up to the run's gross.
    let linesTotal = 0;
    details?.eachRow((row, number) => {
      if (number > 1) linesTotal += Math.round(Number(row.getCell(3).value) * 100);
    });
    expect(linesTotal).toBe(gross);
    expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('writes the printable payslips of every person, one section each', async () => {
    const whole = await runPayslips(context.store.db, OCT);
    const file = path.join(dir, `${context.dialect}.html`);
    expect(await writePayslipPage(context.store.db, OCT, file)).toEqual({ file, payslips: 7 });
    const html = readFileSync(file, 'utf8');
    expect(html.match(/<section class="slip">/g)).toHaveLength(7);
    expect(html.trimEnd().endsWith('</body></html>')).toBe(true);
    const order = whole.map((slip) => html.indexOf(`${slip.employeeNo}`));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('refuses a month without payslips and writes no file', async () => {
    const file = path.join(dir, `${context.dialect}-none.xlsx`);
    await expect(exportRun(context.store.db, '2025-01' as Month, 'xlsx', file)).rejects.toThrow(
      'there is no 2025-01 payroll run with payslips to export',
    );
    const page = path.join(dir, `${context.dialect}-none.html`);
    await expect(writePayslipPage(context.store.db, '2025-01' as Month, page)).rejects.toThrow('no payslips for 2025-01');
    for (const written of [file, page]) {
      expect(existsSync(written)).toBe(false);
      expect(existsSync(`${written}.partial`)).toBe(false);
    }
  });
});
