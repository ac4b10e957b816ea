import { closeSync, openSync, writeSync } from 'node:fs';
import { type Fen, fen, formatYuan, type Month } from '@ladder/core';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { csvCell, safeCell } from '../../ingest/report.js';
import { writeWholeFile } from '../../whole-file.js';
import { AppError, type Db } from '../context.js';
import { lineTitle } from './line-titles.js';
import { payslipPages, type StoredNet, type StoredPayslip } from './runs.js';

export type ExportFormat = 'xlsx' | 'csv';

const yuan = (amount: Fen) => formatYuan(amount);
const money = (pick: (net: StoredNet) => Fen) => (net: StoredNet) => yuan(pick(net));
/** A year-to-date figure of the cumulative withholding, already in yuan as the net row stores it (older rows have none). */
const toDate = (key: string) => (net: StoredNet) => net.ytd[key] ?? '';

// The month's net figures, then the year's cumulative withholding figures the tax return (个税申报) asks for.
const NET_COLUMNS: { title: string; cell: (net: StoredNet) => string }[] = [
  { title: '个人缴费 employee contributions', cell: money((n) => n.employeeContributions) },
  { title: '个税 tax', cell: money((n) => n.tax) },
  { title: '年终奖 annual bonus', cell: money((n) => n.bonus) },
  { title: '奖金个税 bonus tax', cell: money((n) => n.bonusTax) },
  { title: '实发 net', cell: money((n) => n.net) },
  { title: '单位成本 employer cost', cell: money((n) => n.employerCost) },
  { title: '累计收入 income this year', cell: toDate('cumulativeIncome') },
  { title: '累计减除费用 basic deduction this year', cell: toDate('cumulativeBasicDeduction') },
  { title: '累计专项扣除 contributions this year', cell: toDate('cumulativeContributions') },
  { title: '累计专项附加扣除 special additional this year', cell: toDate('cumulativeSpecialAdditional') },
  { title: '累计已预扣税额 tax withheld this year', cell: toDate('cumulativeWithheld') },
];

/** The summary sheet's columns before the money: who, and the performance band. */
const FIRST_MONEY = 6;

/** What the summary's columns are: every line code of the run in first-seen order (employee number, then position), and net pay when anyone has it. */
interface SummaryShape {
  payslips: number;
  codes: string[];
  withNet: boolean;
}

async function summaryShape(db: Db, month: Month): Promise<SummaryShape> {
  const codes = await sql<{ code: string }>`
    SELECT code FROM (
      SELECT l.code, ROW_NUMBER() OVER (ORDER BY e.employee_no, l.position) AS seen
      FROM payslip_lines l
      JOIN payroll_runs r ON r.id = l.run_id
      JOIN payslips p ON p.id = l.payslip_id
      JOIN employees e ON e.id = p.employee_id
      WHERE r.month = ${month}) AS lines
    GROUP BY code
    ORDER BY min(seen)`.execute(db);
  const net = await db
    .selectFrom('payslip_net as n')
    .innerJoin('payroll_runs as r', 'r.id', 'n.run_id')
    .select('n.payslip_id')
    .where('r.month', '=', month)
    .limit(1)
    .executeTakeFirst();
  const count = await db
    .selectFrom('payslips as p')
    .innerJoin('payroll_runs as r', 'r.id', 'p.run_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.month', '=', month)
    .executeTakeFirstOrThrow();
  return { payslips: Number(count.n), codes: codes.rows.map((row) => row.code), withNet: net !== undefined };
}

function summaryHeader({ codes, withNet }: SummaryShape): string[] {
  return [
    '工号 employee no',
    '姓名 name',
    '客服组 group',
    '等级 level',
    '扣分 deductions',
    '系数 coefficient',
    ...codes.map(lineTitle),
    '应发合计 gross',
    ...(withNet ? NET_COLUMNS.map((c) => c.title) : []),
  ];
}

function summaryRow(slip: StoredPayslip, { codes, withNet }: SummaryShape): string[] {
  const byCode = new Map<string, number>();
  for (const line of slip.lines) byCode.set(line.code, (byCode.get(line.code) ?? 0) + line.amount);
  const performance = slip.performance;
  return [
    slip.employeeNo,
    slip.name,
    slip.group,
    slip.level,
    String(performance.deductions ?? ''),
    performance.coefficient === null ? '无绩效 forfeited' : String(performance.coefficient ?? ''),
    ...codes.map((code) => (byCode.has(code) ? yuan(fen(byCode.get(code) as number)) : '')),
    yuan(slip.gross),
    ...(withNet ? NET_COLUMNS.map((c) => (slip.net ? c.cell(slip.net) : '')) : []),
  ];
}

/** Every money column added up in fen as the rows go by (each cell is yuan with two places). */
class Totals {
  readonly #fen: number[];

  constructor(width: number) {
    this.#fen = new Array<number>(width).fill(0);
  }

  add(row: readonly string[]): void {
    for (let i = FIRST_MONEY; i < row.length; i++) {
      const cell = row[i];
      if (cell) this.#fen[i] = (this.#fen[i] ?? 0) + Number(cell.replace('.', ''));
    }
  }

  row(): string[] {
    return this.#fen.map((sum, i) => (i === 0 ? '合计 total' : i < FIRST_MONEY ? '' : yuan(fen(sum))));
  }
}

/** Lets the file's writer take what was written so far (the XLSX zip compresses on the event loop). */
const drain = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Writes a run's payslips: XLSX with a summary sheet and an explained-lines sheet, or a CSV summary
 * (UTF-8 with BOM for Excel). Both are written as the payslips are read, a page at a time, so a
 * month of 100,000 people is never held whole — and written whole or not at all (`writeWholeFile`).
 */
export async function exportRun(db: Db, month: Month, format: ExportFormat, file: string): Promise<{ file: string; payslips: number }> {
  const shape = await summaryShape(db, month);
  if (shape.payslips === 0) throw new AppError('run_missing', `there is no ${month} payroll run with payslips to export`);
  const header = summaryHeader(shape);
  const totals = new Totals(header.length);
  const rowOf = (slip: StoredPayslip) => {
    const row = summaryRow(slip, shape);
    totals.add(row);
    return row;
  };
  const write = format === 'csv' ? writeCsv : writeXlsx;
  await writeWholeFile(file, (partial) => write(db, month, partial, header, rowOf, () => totals.row()));
  return { file, payslips: shape.payslips };
}

type RowOf = (slip: StoredPayslip) => string[];

async function writeCsv(db: Db, month: Month, file: string, header: string[], rowOf: RowOf, totals: () => string[]): Promise<void> {
  // A text Excel would run as a formula (a name starting with =) is written with a leading ' (XLSX cells are typed: no need there).
  const line = (row: readonly string[]) => `${row.map((cell) => csvCell(safeCell(cell))).join(',')}\r\n`;
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `\uFEFF${line(header)}`);
    for await (const page of payslipPages(db, month)) writeSync(fd, page.map((slip) => line(rowOf(slip))).join(''));
    writeSync(fd, line(totals()));
  } finally {
    closeSync(fd);
  }
}

async function writeXlsx(db: Db, month: Month, file: string, header: string[], rowOf: RowOf, totals: () => string[]): Promise<void> {
  // Streamed: rows go into the file as they are committed; inline strings, no shared-strings table held in memory.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Ladder';
  // Money as numbers Excel can add up; an empty cell left out rather than written as an empty text.
  const asCells = (row: readonly string[]) => row.map((cell, i) => (cell === '' ? null : i >= FIRST_MONEY ? Number(cell) : cell));
  const moneyFormat = { numFmt: '#,##0.00' };

  const summary = workbook.addWorksheet(`工资表 ${month}`, { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
  summary.columns = header.map((_, i) => ({ width: 16, style: i >= FIRST_MONEY ? moneyFormat : {} }));
  const bold = (row: ExcelJS.Row) => {
    row.font = { bold: true };
    row.commit();
  };
  bold(summary.addRow(header));
  for await (const page of payslipPages(db, month)) {
    for (const slip of page) summary.addRow(asCells(rowOf(slip))).commit();
    await drain();
  }
  bold(summary.addRow(asCells(totals())));
  summary.commit();

  const details = workbook.addWorksheet('明细 lines', { views: [{ state: 'frozen', ySplit: 1 }] });
  details.columns = [12, 18, 12, 10, 40, 80, 80].map((width, i) => ({ width, style: i === 2 ? moneyFormat : {} }));
  bold(details.addRow(['工号 employee no', '项目 line', '金额 amount', '规则 rule', '算式 formula', '说明', 'explanation']));
  for await (const page of payslipPages(db, month)) {
    for (const slip of page) {
      for (const line of slip.lines) {
        details
          .addRow([slip.employeeNo, line.code, Number(yuan(line.amount)), line.rule, line.formula, line.explain.zh, line.explain.en])
          .commit();
      }
    }
    await drain();
  }
  details.commit();
  await workbook.commit();
}
