/** The error report of a refused import: the same problems as CSV (for Excel) and JSON (for programs). */
import { writeFileSync } from 'node:fs';
import type { RowProblem } from './problems.js';

const REPORT_HEADER = ['文件 file', '行 row', '列 column', '值 value', '原因 reason', '原因(中文)', '代码 code'];

/** A cell Excel would run as a formula (=, +, @, or - not starting a number) is prefixed with ' (OWASP). */
export function safeCell(text: string): string {
  return /^[=+@\t\r]/.test(text) || /^-(?![\d.])/.test(text) ? `'${text}` : text;
}

export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function errorReportCsv(problems: readonly RowProblem[]): string {
  const lines = [REPORT_HEADER.map(csvCell).join(',')];
  for (const p of problems) {
    const cells = [p.file, p.row === 0 ? '' : String(p.row), p.column, p.value ?? '', p.reason, p.reasonZh, p.code];
    lines.push(cells.map((cell, i) => csvCell(i === 1 ? cell : safeCell(cell))).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * Writes `<basePath>.csv` (UTF-8 with BOM so Excel shows Chinese, CRLF, one problem per line) and
 * `<basePath>.json` (`{ count, problems }`); returns both paths.
 */
export function writeErrorReport(problems: readonly RowProblem[], basePath: string): { csv: string; json: string } {
  const csv = `${basePath}.csv`;
  const json = `${basePath}.json`;
  writeFileSync(csv, errorReportCsv(problems));
  writeFileSync(json, `${JSON.stringify({ count: problems.length, problems }, null, 2)}\n`);
  return { csv, json };
}
