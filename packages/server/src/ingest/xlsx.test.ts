import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tempDir } from './test-support.js';
import { readXlsxRecords } from './xlsx.js';

/** Chinese names of 2–4 characters, different on every row (3 UTF-8 bytes a character). */
function names(count: number): string[] {
  const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const given = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英';
  return Array.from({ length: count }, (_, i) => {
    const first = surnames[i % surnames.length] as string;
    const rest = Array.from({ length: 1 + (i % 3) }, (_, k) => given[(i * 7 + k * 13) % given.length]).join('');
    return `${first}${rest}${i}`;
  });
}

describe('XLSX rows', () => {
  it('reads every Chinese cell whole, also where its bytes fall across two chunks of the sheet', async () => {
    // ≈ 1.5 MB of sheet XML, mostly three-byte characters: dozens of chunk boundaries fall inside one.
    const written = names(30_000);
    const file = join(tempDir(), 'names.xlsx');
    for (const useSharedStrings of [true, false]) {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings });
      const sheet = workbook.addWorksheet('员工');
      sheet.addRow(['工号', '姓名', '备注']).commit();
      written.forEach((name, i) => sheet.addRow([`E${i}`, name, `${name}的备注:客服组`]).commit());
      sheet.commit();
      await workbook.commit();

      const read: string[][] = [];
      for await (const record of readXlsxRecords(file)) read.push(record.cells);
      expect(read).toHaveLength(written.length + 1);
      const wrong = read.slice(1).filter((cells, i) => cells[1] !== written[i] || cells[2] !== `${written[i]}的备注:客服组`);
      expect(wrong).toEqual([]);
    }
  });
});
