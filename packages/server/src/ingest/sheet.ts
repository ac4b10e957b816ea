/** Opening a sheet (CSV or XLSX) as a stream of records, whatever the kind. */
import { type ReadProgress, type SheetRecord, readCsvRecords } from './csv.js';
import { readXlsxRecords } from './xlsx.js';

export function sheetRecords(file: string, format: 'csv' | 'xlsx', progress?: (p: ReadProgress) => void): AsyncGenerator<SheetRecord> {
  return format === 'xlsx' ? readXlsxRecords(file, progress ? { progress } : {}) : readCsvRecords(file, progress ? { progress } : {});
}
