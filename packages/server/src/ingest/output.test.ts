import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImport } from './read.js';
import { errorReportCsv, safeCell, writeErrorReport } from './report.js';
import { writeTemplate, templateCsv } from './template.js';
import { formatProblem, problem, reason } from './problems.js';
import { cellText, excelDateText, excelNumberText } from './xlsx.js';
import { CANONICAL_KINDS } from './types.js';
import { fixture, readAll, tempDir, tempFile } from './test-support.js';

const P = problem('attendance.csv', 7, '迟到次数', '-1', reason('must be a whole number ≥ 0', '必须是 ≥ 0 的整数'));

describe('problems and error reports', () => {
  it('formats one line per problem, in English or Chinese', () => {
    expect(formatProblem(P)).toBe('attendance.csv: row 7, column 迟到次数: "-1": must be a whole number ≥ 0');
    expect(formatProblem(P, 'zh')).toBe('attendance.csv: 第 7 行, 列 迟到次数: "-1": 必须是 ≥ 0 的整数');
    expect(formatProblem(problem('x.xlsx', 0, '', null, reason('truncated', '不完整'), 'bad_file'))).toBe('x.xlsx: truncated');
  });

  it('writes CSV with a BOM and JSON, guarding cells Excel would run', () => {
    const dir = tempDir();
    const formula = problem('a.csv', 3, '姓名', '=HYPERLINK("x")', reason('bad', '坏'));
    const paths = writeErrorReport([P, formula], join(dir, 'attendance.errors'));
    const csv = readFileSync(paths.csv, 'utf8');
    expect(csv.startsWith('\uFEFF文件 file,行 row,列 column,值 value,原因 reason,原因(中文),代码 code\r\n')).toBe(true);
    expect(csv).toContain('attendance.csv,7,迟到次数,-1,must be a whole number ≥ 0,必须是 ≥ 0 的整数,invalid\r\n');
    expect(csv).toContain(`'=HYPERLINK(""x"")`);
    const json = JSON.parse(readFileSync(paths.json, 'utf8')) as { count: number; problems: unknown[] };
    expect(json.count).toBe(2);
    expect(json.problems[0]).toEqual(P);
    expect(safeCell('-1')).toBe('-1');
    expect(safeCell('-x')).toBe("'-x");
    expect(safeCell('@SUM')).toBe("'@SUM");
    expect(errorReportCsv([])).toBe('\uFEFF文件 file,行 row,列 column,值 value,原因 reason,原因(中文),代码 code\r\n');
  });
});

describe('templates', () => {
  it('a CSV template is a Chinese header and an example row that imports cleanly', async () => {
    expect(templateCsv('attendance').split('\r\n')[0]).toBe(
      '\uFEFF工号,月份,缺勤天数,迟到次数,工作日加班(小时),休息日加班(小时),节假日加班(小时),病假天数,年假天数,婚假天数,产假天数,事假天数',
    );
    const dir = tempDir();
    for (const kind of CANONICAL_KINDS) {
      const path = join(dir, `${kind}.csv`);
      await writeTemplate(kind, 'csv', path);
      const { rows, problems } = await readAll(path, kind, { worker: false });
      expect(problems, kind).toEqual([]);
      expect(rows, kind).toHaveLength(1);
    }
  });

  it('an XLSX template imports cleanly: header notes in English, a notes sheet that is not read', async () => {
    const dir = tempDir();
    for (const kind of CANONICAL_KINDS) {
      const path = join(dir, `${kind}.xlsx`);
      await writeTemplate(kind, 'xlsx', path);
      const { rows, problems } = await readAll(path, kind);
      expect(problems, kind).toEqual([]);
      expect(rows, kind).toHaveLength(1);
    }
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(dir, 'employees.xlsx'));
    expect(book.worksheets.map((w) => w.name)).toEqual(['员工', '说明 Notes']);
    expect(String(book.worksheets[0]?.getCell('A1').note)).toContain('employeeNo (必填 required)');
  });
});

describe('XLSX cells', () => {
  it('numbers as Excel shows them, dates as ISO text', () => {
    expect(excelNumberText(1234.5599999999999)).toBe('1234.56');
    expect(excelNumberText(0.1 + 0.2)).toBe('0.3');
    expect(excelNumberText(42)).toBe('42');
    expect(excelDateText(new Date(Date.UTC(2026, 9, 8)))).toBe('2026-10-08');
    expect(excelDateText(new Date(Date.UTC(2026, 9, 8, 9, 12, 32, 999)))).toBe('2026-10-08 09:12:33');
    expect(excelDateText(new Date(Date.UTC(1899, 11, 30, 0, 1, 23)))).toBe('00:01:23');
    expect(cellText({ richText: [{ text: '张' }, { text: '三' }] })).toBe('张三');
    expect(cellText({ formula: 'A1*2', result: 84 })).toBe('84');
    expect(cellText({ error: '#N/A' })).toBe('#N/A');
    expect(cellText(null)).toBe('');
  });
});

describe('readImport', () => {
  it('refuses old .xls and a kind that does not read the format', async () => {
    await expect(readAll(fixture('no-such-file.csv'), 'employees')).rejects.toMatchObject({ code: 'ENOENT' });
    const xls = await readAll(tempFile('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])), 'employees');
    expect(xls.problems.map((p) => [p.row, p.code, p.reason])).toEqual([
      [0, 'bad_file', 'the old Excel .xls format is not read: save it as .xlsx or CSV UTF-8'],
    ]);
    await expect(readAll(fixture('employees.csv'), 'zendesk-tickets')).rejects.toThrow(/zendesk-tickets reads json, not csv/);
    await expect(readAll(fixture('employees.csv'), 'payroll' as never)).rejects.toThrow(/unknown import kind/);
    const it = readImport(fixture('employees.csv'), 'employees');
    expect((await it.next()).value?.kind).toBe('employees');
    await it.return(undefined);
  });
});
