import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { fixture, tempDir } from './test-support.js';
import type { ReadProgress } from './csv.js';
import { readXlsxRecords } from './xlsx.js';
import { zipEntrySizes } from './zip-sizes.js';

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

  it('tells its progress as the worksheet is parsed, not as the file is read ahead', async () => {
    const file = join(tempDir(), 'progress.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file });
    const sheet = workbook.addWorksheet('会话');
    sheet.addRow(['来源', '会话ID', '客服账号']).commit();
    for (let i = 0; i < 150_000; i++) sheet.addRow(['chatwoot', String(i), `agent${i % 97}@acme.io`]).commit();
    sheet.commit();
    await workbook.commit();

    const told: ReadProgress[] = [];
    const rowsWhenTold: number[] = [];
    let rows = 0;
    for await (const record of readXlsxRecords(file, { progress: (p) => (told.push(p), rowsWhenTold.push(rows)) }))
      rows += record.cells.length > 0 ? 1 : 0;
    expect(rows).toBe(150_001);
    const shares = told.map((p) => p.bytes / p.totalBytes);
    expect(shares.length).toBeGreaterThan(5);
    expect(shares.every((share, i) => i === 0 || share >= (shares[i - 1] ?? 0))).toBe(true);
    expect(shares.at(-1)).toBe(1);
    // Halfway through the file, about halfway through the rows (not at the end of the file before the first row).
    const half = shares.findIndex((share) => share >= 0.5);
    expect((rowsWhenTold[half] ?? 0) / rows).toBeGreaterThan(0.35);
    expect((rowsWhenTold[half] ?? 0) / rows).toBeLessThan(0.65);
  });

  it('reads the sizes of a zip’s entries from its central directory', async () => {
    const sizes = await zipEntrySizes(fixture('employees.xlsx'));
    // As `unzip -lv` lists them.
    expect(sizes.get('xl/worksheets/sheet1.xml')).toBe(2028);
    expect(sizes.get('xl/sharedStrings.xml')).toBe(778);
    expect(sizes.get('xl/workbook.xml')).toBe(625);
    const notZip = join(tempDir(), 'not.xlsx');
    writeFileSync(notZip, 'not a zip file at all');
    await expect(zipEntrySizes(notZip)).rejects.toThrow('no zip directory');
  });
});
