import ExcelJS from 'exceljs';

export interface Sheet {
  name: string;
  header: string[];
  rows: (string | number | null)[][];
  /** Column widths, in characters. */
  widths?: number[];
}

/** Writes sheets to an XLSX file: a bold, frozen header row, then the rows as given (numbers stay numbers). */
export async function writeSheets(file: string, sheets: readonly Sheet[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Ladder';
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.addRow(sheet.header).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(row.map((cell) => cell ?? ''));
    sheet.header.forEach((title, i) => {
      ws.getColumn(i + 1).width = sheet.widths?.[i] ?? Math.max(10, Math.min(40, title.length + 2));
    });
  }
  await workbook.xlsx.writeFile(file);
}
