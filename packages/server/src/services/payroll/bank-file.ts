import { writeFileSync } from 'node:fs';
import { type Fen, fen, formatYuan, type Month } from '@ladder/core';
import { csvCell } from '../../ingest/report.js';
import { writeWholeFile } from '../../whole-file.js';
import { AppError, type Db } from '../context.js';
import { payslipPages } from './runs.js';

/**
 * The bank transfer file of a locked run: one line per person with account, name and net pay,
 * then a totals line. Refused before the run is locked, and while anyone lacks net pay or an account.
 */
export async function writeBankFile(db: Db, month: Month, file: string): Promise<{ file: string; transfers: number; total: string }> {
  const run = await db.selectFrom('payroll_runs').select('status').where('month', '=', month).executeTakeFirst();
  if (!run) throw new AppError('run_missing', `there is no ${month} payroll run`);
  if (run.status !== 'locked') throw new AppError('run_state', `the bank file comes from a locked run; the ${month} run is ${run.status}`);
  const accounts = new Map(
    (
      await db
        .selectFrom('pay_profiles as p')
        .innerJoin('employees as e', 'e.id', 'p.employee_id')
        .select(['e.employee_no', 'p.effective_from', 'p.bank_name', 'p.bank_account', 'p.account_name'])
        .where('p.effective_from', '<=', `${month}-31`)
        .orderBy('p.effective_from')
        .execute()
    ).map((row) => [row.employee_no, row]),
  );
  const missing: string[] = [];
  const lines: string[][] = [];
  let total = 0;
  for await (const page of payslipPages(db, month)) {
    for (const slip of page) {
      const account = accounts.get(slip.employeeNo);
      if (!slip.net) missing.push(`${slip.employeeNo}: no net pay in the run`);
      else if (!account?.bank_account) missing.push(`${slip.employeeNo}: no bank account in the pay profile`);
      else {
        lines.push([
          account.bank_account,
          account.account_name ?? slip.name,
          formatYuan(slip.net.net),
          account.bank_name ?? '',
          slip.employeeNo,
          `${month} 工资 salary`,
        ]);
        total += slip.net.net;
      }
    }
  }
  if (missing.length > 0)
    throw new AppError(
      'bank_file_incomplete',
      `the ${month} bank file cannot be written: ${missing.length} person(s) cannot be paid`,
      missing,
    );
  const totalText = formatYuan(fen(total) as Fen);
  const rows = [
    ['账号 account', '户名 name', '金额 amount', '开户行 bank', '工号 employee no', '用途 purpose'],
    ...lines,
    ['合计 total', `${lines.length} 笔 transfers`, totalText, '', '', ''],
  ];
  await writeWholeFile(file, (partial) =>
    writeFileSync(partial, `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`),
  );
  return { file, transfers: lines.length, total: totalText };
}
