import path from 'node:path';
import { type Fen, formatYuan, type Month, parseMonth } from '@ladder/core';
import { openStore } from '../../db/connect.js';
import { AppError, type ServiceContext, systemClock } from '../../services/context.js';
import { writeBankFile } from '../../services/payroll/bank-file.js';
import { exportRun, type ExportFormat } from '../../services/payroll/export.js';
import { registerQaApprovalChecks } from '../../services/qa/index.js';
import { writePayslipPage } from '../../services/payroll/payslip-page.js';
import { advanceRun, computeRun, type RunProgress, type RunSummary, runPayslips, type StoredPayslip } from '../../services/payroll/runs.js';
import { type Meter, type ProgressStream, runProgressBar } from '../progress.js';
import { CliError } from '../errors.js';
import { renderTable } from '../text-table.js';

export interface StoreOptions {
  cwd: string;
  actor: string;
  databaseUrl?: string;
}

// A command waits this long for another one writing to the same SQLite file (a payroll run or an
// import of millions of rows takes seconds; with gross to net, half a minute) before it gives up.
const CLI_BUSY_TIMEOUT_MS = 60_000;

/** Opens the store, runs the work with a service context, closes the store; service refusals become CLI errors. */
export async function withStore<T>(options: StoreOptions, work: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  const opening = { cwd: options.cwd, busyTimeoutMs: CLI_BUSY_TIMEOUT_MS, ...(options.databaseUrl ? { url: options.databaseUrl } : {}) };
  const store = await openStore(opening).catch((error: unknown) => {
    throw busyStore(error, options.databaseUrl ?? 'the database') ?? error;
  });
  try {
    return await work({ store, actor: options.actor, now: systemClock });
  } catch (error) {
    if (error instanceof AppError) throw new CliError([`${error.message}`, ...error.details.map((d) => `  ${d}`)]);
    throw busyStore(error, store.location) ?? error;
  } finally {
    await store.close();
  }
}

/** SQLite's "database is locked" after the wait, said as what it means and what to do. */
export function busyStore(error: unknown, location: string): CliError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY')) return undefined;
  const seconds = CLI_BUSY_TIMEOUT_MS / 1000;
  return new CliError(
    [
      `${location}: 数据库正忙,另一个命令(如工资核算或导入)写入超过 ${seconds} 秒仍未结束,请在它完成后重试`,
      `${location}: the database is busy: another command (a payroll run or an import) has been writing to it for over ${seconds} s; try again when it has finished`,
    ],
    1,
  );
}

export function monthArgument(value: string | undefined): Month {
  const month = value === undefined ? undefined : parseMonth(value);
  if (!month) throw new CliError([`expected a month YYYY-MM, got ${value ?? '(nothing)'}`]);
  return month;
}

function describeRun(summary: RunSummary): string {
  const lines = [
    `${summary.month} 工资核算 payroll run · ${summary.status} · 第 ${summary.revision} 版 revision ${summary.revision}`,
    `政策 policy ${summary.policy.id} ${summary.policy.version} · ${summary.employees} 人 employees · 应发合计 gross ${summary.grossTotal}`,
  ];
  if (summary.problems.length > 0) {
    lines.push(`待解决问题 open problems (${summary.problems.length}), approval waits for them:`);
    for (const problem of summary.problems) lines.push(`  ${problem.employeeNo}: ${problem.message}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A run's progress bar: always on a terminal; in a log only for runs of several slices (thousands
 * of people), so a small run prints nothing but its result.
 */
function runProgress(stream: ProgressStream, month: Month): { onProgress: (p: RunProgress) => void; done: () => void } {
  let bar: Meter<RunProgress> | undefined;
  return {
    onProgress(p) {
      if (!bar && (stream.isTTY || p.totalSlices > 1)) bar = runProgressBar(stream, { label: `${month} 工资核算 payroll` });
      bar?.update(p);
    },
    done: () => bar?.done(),
  };
}

export async function runPayrollCommand(
  step: string,
  args: { month?: string; reason?: string; employee?: string; format?: string; out?: string },
  options: StoreOptions & { progress?: ProgressStream },
): Promise<string> {
  const month = monthArgument(args.month);
  registerQaApprovalChecks();
  return withStore(options, async (ctx) => {
    switch (step) {
      case 'run': {
        const progress = runProgress(options.progress ?? process.stderr, month);
        try {
          return describeRun(await computeRun(ctx, month, args.reason ?? 'computed from the command line', progress));
        } finally {
          progress.done();
        }
      }
      case 'review':
      case 'approve':
      case 'lock':
        return describeRun(await advanceRun(ctx, month, step, args.reason));
      case 'show': {
        const slips = await runPayslips(ctx.store.db, month, args.employee);
        if (slips.length === 0) throw new CliError([`no payslips for ${month}${args.employee ? ` and ${args.employee}` : ''}`]);
        if (!args.employee) {
          return renderTable(
            [{ title: '工号' }, { title: '姓名' }, { title: '客服组' }, { title: '等级' }, { title: '应发合计', align: 'right' }],
            slips.map((s) => [s.employeeNo, s.name, s.group, s.level, formatYuan(s.gross)]),
          );
        }
        const slip = slips[0];
        if (!slip) return '';
        const net = slip.net ? `${netSummary(slip.gross, slip.net)}\n` : '';
        return (
          `${slip.employeeNo} ${slip.name} · ${month} · 应发 gross ${formatYuan(slip.gross)}\n` +
          renderTable(
            [{ title: '项目' }, { title: '金额', align: 'right' }, { title: '规则' }, { title: '说明' }],
            slip.lines.map((l) => [l.code, formatYuan(l.amount), l.rule, l.explain.zh]),
          ) +
          net
        );
      }
      case 'export': {
        const format = (args.format ?? 'xlsx') as ExportFormat;
        if (format !== 'xlsx' && format !== 'csv') throw new CliError([`--format must be xlsx or csv, got ${format}`]);
        const file = path.resolve(options.cwd, args.out ?? `payroll-${month}.${format}`);
        const result = await exportRun(ctx.store.db, month, format, file);
        return `${result.payslips} 份工资单已导出 payslips exported → ${result.file}\n`;
      }
      case 'bank-file': {
        const file = path.resolve(options.cwd, args.out ?? `bank-${month}.csv`);
        const result = await writeBankFile(ctx.store.db, month, file);
        return `${result.transfers} 笔转账 transfers, 合计 total ${result.total} → ${result.file}\n`;
      }
      case 'payslips': {
        const file = path.resolve(options.cwd, args.out ?? `payslips-${month}.html`);
        const result = await writePayslipPage(ctx.store.db, month, file, args.employee);
        return `${result.payslips} 份工资单(可打印)printable payslips → ${result.file}\n`;
      }
      default:
        throw new CliError([`unknown payroll command: ${step} (expected run, review, approve, lock, show, export, payslips or bank-file)`]);
    }
  });
}

/** The net line of one payslip, as the payslip page sums it (bonus and its tax only when paid). */
function netSummary(gross: Fen, net: NonNullable<StoredPayslip['net']>): string {
  const parts = [`应发 gross ${formatYuan(gross)}`];
  if (net.bonus) parts.push(`+ 年终奖 bonus ${formatYuan(net.bonus)}`);
  parts.push(`− 个人缴费 contributions ${formatYuan(net.employeeContributions)}`, `− 个税 tax ${formatYuan(net.tax)}`);
  if (net.bonusTax) parts.push(`− 奖金个税 bonus tax ${formatYuan(net.bonusTax)}`);
  const withheld = net.ytd.cumulativeWithheld ? ` · 本年累计已预扣税额 tax withheld this year ${net.ytd.cumulativeWithheld}` : '';
  return `实发 net ${formatYuan(net.net)} = ${parts.join(' ')}${withheld}`;
}
