import { writeFileSync } from 'node:fs';
import { type Fen, fen, formatYuan, type Month } from '@ladder/core';
import ExcelJS from 'exceljs';
import { AppError, type Db } from '../context.js';
import { lineTitle } from './line-titles.js';
import { runPayslips, type StoredPayslip } from './runs.js';

export type ExportFormat = 'xlsx' | 'csv';

/** Every line code that occurs, in first-seen order, so the sheet has one column per kind of line. */
function lineCodes(slips: readonly StoredPayslip[]): string[] {
  const codes = new Set<string>();
  for (const slip of slips) for (const line of slip.lines) codes.add(line.code);
  return [...codes];
}

const yuan = (amount: Fen) => formatYuan(amount);

type StoredNet = NonNullable<StoredPayslip['net']>;
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

function summaryRows(slips: readonly StoredPayslip[], codes: readonly string[], withNet: boolean): string[][] {
  return slips.map((slip) => {
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
  });
}

/** The totals row: every money column added up in fen. */
function totalsRow(rows: readonly string[][], firstMoneyColumn: number): string[] {
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, i) => {
    if (i === 0) return '合计 total';
    if (i < firstMoneyColumn) return '';
    let sum = 0;
    for (const row of rows) {
      const cell = row[i];
      if (cell) sum += Number(cell.replace('.', ''));
    }
    return yuan(fen(sum));
  });
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes a run's payslips: XLSX with a summary sheet and an explained-lines sheet, or a CSV summary (UTF-8 with BOM for Excel). */
export async function exportRun(db: Db, month: Month, format: ExportFormat, file: string): Promise<{ file: string; payslips: number }> {
  const slips = await runPayslips(db, month);
  if (slips.length === 0) throw new AppError('run_missing', `there is no ${month} payroll run with payslips to export`);
  const codes = lineCodes(slips);
  const header = [
    '工号 employee no',
    '姓名 name',
    '客服组 group',
    '等级 level',
    '扣分 deductions',
    '系数 coefficient',
    ...codes.map(lineTitle),
    '应发合计 gross',
  ];
  const withNet = slips.some((slip) => slip.net !== null);
  if (withNet) header.push(...NET_COLUMNS.map((c) => c.title));
  const rows = summaryRows(slips, codes, withNet);
  const FIRST_MONEY = 6;
  const totals = totalsRow(rows, FIRST_MONEY);

  if (format === 'csv') {
    const lines = [header, ...rows, totals].map((row) => row.map(csvCell).join(','));
    writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`);
    return { file, payslips: slips.length };
  }

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Ladder';
  const summary = workbook.addWorksheet(`工资表 ${month}`, { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
  summary.addRow(header).font = { bold: true };
  const asCells = (row: readonly string[]) => row.map((cell, i) => (i >= FIRST_MONEY && cell !== '' ? Number(cell) : cell));
  for (const row of rows) summary.addRow(asCells(row));
  summary.addRow(asCells(totals)).font = { bold: true };
  for (let column = FIRST_MONEY + 1; column <= header.length; column += 1) summary.getColumn(column).numFmt = '#,##0.00';
  summary.columns.forEach((column) => {
    column.width = 16;
  });

  const details = workbook.addWorksheet('明细 lines', { views: [{ state: 'frozen', ySplit: 1 }] });
  details.addRow(['工号 employee no', '项目 line', '金额 amount', '规则 rule', '算式 formula', '说明', 'explanation']).font = {
    bold: true,
  };
  for (const slip of slips) {
    for (const line of slip.lines)
      details.addRow([slip.employeeNo, line.code, Number(yuan(line.amount)), line.rule, line.formula, line.explain.zh, line.explain.en]);
  }
  details.getColumn(3).numFmt = '#,##0.00';
  [12, 18, 12, 10, 40, 80, 80].forEach((width, i) => {
    details.getColumn(i + 1).width = width;
  });
  await workbook.xlsx.writeFile(file);
  return { file, payslips: slips.length };
}
