/** `ladder payroll …` as HR runs it, against a real database on each dialect. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal, formatYuan, type Month } from '@ladder/core';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { upsertAttendance } from '../../packages/server/src/services/inputs.js';
import { setPayProfile } from '../../packages/server/src/services/pay-profiles.js';
import { runPayslips } from '../../packages/server/src/services/payroll/runs.js';
import { attendance, seedSpecExamples, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';
import { testDirectory } from '../support/temp-dir.js';

const BIN = fileURLToPath(new URL('../../packages/server/bin/ladder.js', import.meta.url));
const dir = testDirectory('ladder-payroll-cli-');

describeStores('ladder payroll', (context) => {
  const ladder = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, 'payroll', ...args, '--as', 'hr.li'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: context.store.location },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('runs, shows, exports, reviews, approves and locks a month', async () => {
    await seedSpecExamples(testContext(context.store));
    const run = ladder('run', '2026-10');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('4 人 employees · 应发合计 gross 18612.59');

    const show = ladder('show', '2026-10', '--employee', 'E002');
    expect(show.stdout).toContain('应发 gross 3627.59');
    expect(show.stdout).toMatch(/unpaid_days\s+-275\.86\s+R-PAY-2/);

    const csv = path.join(dir, `${context.dialect}.csv`);
    expect(ladder('export', '2026-10', '--format', 'csv', '--out', csv).status).toBe(0);
    const text = readFileSync(csv, 'utf8');
    expect(text.startsWith('\uFEFF工号 employee no,')).toBe(true);
    expect(text).toContain('E001,张伟,basic,intermediate,18,1.2,3000.00,1355.00');
    expect(text.trimEnd().split('\r\n').at(-1)).toMatch(/^合计 total,.*,18612\.59$/);

    const xlsx = path.join(dir, `${context.dialect}.xlsx`);
    expect(ladder('export', '2026-10', '--out', xlsx).status).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(xlsx);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['工资表 2026-10', '明细 lines']);
    const details = workbook.getWorksheet('明细 lines');
    const explained = details?.getRows(2, details.rowCount - 1)?.map((r) => [r.getCell(1).text, r.getCell(2).text, r.getCell(3).value]);
    expect(explained).toContainEqual(['E002', 'unpaid_days', -275.86]);

    expect(ladder('approve', '2026-10').stderr).toBe('the 2026-10 payroll run is draft; approve needs it reviewed\n');
    expect(ladder('review', '2026-10').status).toBe(0);
    // V001 (51 points) is below qualified: approval waits for the director's sign-off (R-DSP-3).
    const blocked = ladder('approve', '2026-10');
    expect(blocked.status).toBe(2);
    expect(blocked.stderr).toContain("V001: V001's 2026-10 grade unqualified is below qualified and needs the director's sign-off");
    const qa = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, 'qa', ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: context.store.location },
      });
    expect(qa('users', 'grant', 'admin.root', 'admin', '--as', 'admin.root').status).toBe(0);
    expect(qa('users', 'grant', 'hr.li', 'hr', '--as', 'admin.root').status).toBe(0);
    expect(qa('users', 'grant', 'dir.wang', 'director', '--as', 'admin.root').status).toBe(0);
    expect(qa('signoff', 'request', '2026-10', '--as', 'hr.li').stdout).toContain('V001');
    const [signOff] = JSON.parse(qa('signoff', 'list', '2026-10', '--format', 'json', '--as', 'hr.li').stdout) as { id: number }[];
    expect(qa('signoff', 'sign', String(signOff?.id), '--as', 'dir.wang').status).toBe(0);
    expect(ladder('approve', '2026-10').status).toBe(0);
    const locked = ladder('lock', '2026-10');
    expect(locked.stdout).toContain('locked');
    const again = ladder('run', '2026-10');
    expect(again.status).toBe(2);
    expect(again.stderr).toBe('the 2026-10 payroll run is locked and cannot be recomputed\n');
    expect(ladder('run', '2026-13').stderr).toBe('expected a month YYYY-MM, got 2026-13\n');
  });

  it('shows a payslip’s net pay and the tax withheld this year', async () => {
    const ctx = testContext(context.store);
    const db = context.store.db;
    const person = {
      employeeNo: 'N900',
      name: '韩梅',
      group: 'basic',
      level: 'trainee',
      hiredOn: '2026-01-05',
      basePay: new Decimal(12000),
    };
    await upsertEmployees(db, ctx, [person], 'hire');
    await setPayProfile(db, ctx, { employeeNo: 'N900', effectiveFrom: '2026-01-05', city: 'beijing' });
    await upsertAttendance(db, ctx, [attendance('N900', '2026-01')]);
    expect(ladder('run', '2026-01').status).toBe(0);
    const [slip] = await runPayslips(db, '2026-01' as Month, 'N900');
    const show = ladder('show', '2026-01', '--employee', 'N900');
    expect(show.stdout).toContain(
      `实发 net ${formatYuan(slip!.net!.net)} = 应发 gross ${formatYuan(slip!.gross)} − 个人缴费 contributions ${formatYuan(slip!.net!.employeeContributions)} − 个税 tax ${formatYuan(slip!.net!.tax)} · 本年累计已预扣税额 tax withheld this year ${formatYuan(slip!.net!.tax)}`,
    );
  });
});
