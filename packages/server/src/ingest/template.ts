/**
 * Templates a person fills in: the Chinese header row and one example row.
 * XLSX: sheet 1 holds the header (bold, frozen, each header cell with a note giving the English
 * name, whether it is required and what it means) and the example row (grey italics: delete it or
 * overwrite it); sheet 2 "说明 Notes" lists every column in Chinese and English with its aliases.
 * The importer reads only the first sheet. CSV: UTF-8 with BOM, CRLF, the same two rows.
 */
import { writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { KIND_SPECS } from './kinds/index.js';
import { type ColumnInfo, columnsOf } from './kinds/spec.js';
import { csvCell } from './report.js';
import { CANONICAL_KINDS, type CanonicalKind } from './types.js';

/** Columns kept as text so Excel does not drop leading zeros or turn ids into numbers. */
const TEXT_COLUMNS = new Set(['employeeNo', 'account', 'externalId', 'agent', 'month', 'period']);

export function templateColumns(kind: CanonicalKind): ColumnInfo[] {
  return columnsOf(KIND_SPECS[kind].fields);
}

export function templateCsv(kind: CanonicalKind): string {
  const columns = templateColumns(kind);
  const header = columns.map((c) => csvCell(c.zh)).join(',');
  const example = columns.map((c) => csvCell(c.example)).join(',');
  return `\uFEFF${header}\r\n${example}\r\n`;
}

export async function writeTemplate(kind: CanonicalKind, format: 'csv' | 'xlsx', path: string): Promise<void> {
  if (!(CANONICAL_KINDS as readonly string[]).includes(kind))
    throw new Error(`no template for ${String(kind)}: templates are for canonical kinds`);
  if (format === 'csv') {
    writeFileSync(path, templateCsv(kind));
    return;
  }
  const spec = KIND_SPECS[kind];
  const columns = templateColumns(kind);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Ladder';
  const sheet = workbook.addWorksheet(spec.title.zh, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.zh,
    key: c.key,
    width: Math.max(12, Math.min(40, [...c.zh].length * 2 + 4, 10 + c.example.length)),
    ...(TEXT_COLUMNS.has(c.key) ? { style: { numFmt: '@' } } : {}),
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  columns.forEach((c, i) => {
    const note = [`${c.en}${c.required ? ' (必填 required)' : ' (选填 optional)'}`, c.note ? `${c.note.zh}\n${c.note.en}` : '']
      .filter(Boolean)
      .join('\n');
    header.getCell(i + 1).note = note;
  });
  const example = sheet.addRow(Object.fromEntries(columns.map((c) => [c.key, c.example])));
  example.font = { italic: true, color: { argb: 'FF808080' } };

  const notes = workbook.addWorksheet('说明 Notes');
  notes.columns = [
    { header: '列', key: 'zh', width: 22 },
    { header: 'Column', key: 'en', width: 24 },
    { header: '必填 Required', key: 'required', width: 14 },
    { header: '示例 Example', key: 'example', width: 20 },
    { header: '说明', key: 'noteZh', width: 40 },
    { header: 'Description', key: 'noteEn', width: 50 },
    { header: '也接受 Also accepted', key: 'aliases', width: 50 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of columns) {
    notes.addRow({
      zh: c.zh,
      en: c.en,
      required: c.required ? '是 yes' : '否 no',
      example: c.example,
      noteZh: c.note?.zh ?? '',
      noteEn: c.note?.en ?? '',
      aliases: c.aliases.join(', '),
    });
  }
  notes.addRow({});
  notes.addRow({ zh: `${spec.title.zh}(${spec.kind})`, en: `Import with: ladder import ${spec.kind} FILE` });
  await workbook.xlsx.writeFile(path);
}
