/**
 * Streams the first worksheet of an XLSX file as rows of text with exceljs's WorkbookReader.
 *
 * Cells become the text a person sees in Excel: numbers with at most 15 significant digits (Excel's
 * own precision, so 1234.5599999999999 reads as 1234.56), date cells as YYYY-MM-DD (or
 * YYYY-MM-DD HH:mm:ss when they have a time, HH:mm:ss for a bare time), formulas as their cached
 * result, rich text as its plain text, booleans as true/false. Memory: exceljs keeps the shared
 * strings table (bounded by Excel's 1,048,576 rows per sheet); rows are streamed.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { FileProblem } from './encoding.js';
import type { ReadProgress, SheetRecord } from './csv.js';
import { reason } from './problems.js';
import { zipEntrySizes } from './zip-sizes.js';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Excel's number text: up to 15 significant digits, no exponent for ordinary sizes. */
export function excelNumberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const rounded = Number(value.toPrecision(15));
  const text = String(rounded);
  if (!/e/i.test(text)) return text;
  // Very small or large: write it out in plain digits.
  return rounded.toFixed(20).replace(/\.?0+$/, '');
}

/** exceljs gives a date cell as a Date whose UTC fields are the wall-clock time written in the sheet. */
export function excelDateText(date: Date): string {
  // Round to the second: serial fractions come back as 09:12:32.999.
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  const day = `${rounded.getUTCFullYear()}-${pad2(rounded.getUTCMonth() + 1)}-${pad2(rounded.getUTCDate())}`;
  const time = `${pad2(rounded.getUTCHours())}:${pad2(rounded.getUTCMinutes())}:${pad2(rounded.getUTCSeconds())}`;
  if (rounded.getUTCFullYear() <= 1900 && rounded.getTime() < Date.UTC(1900, 0, 1)) return time; // a bare time of day
  return time === '00:00:00' ? day : `${day} ${time}`;
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return excelNumberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return excelDateText(value);
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return (v.richText as { text?: unknown }[]).map((part) => String(part.text ?? '')).join('');
    if ('result' in v) return cellText(v.result);
    if ('formula' in v || 'sharedFormula' in v) return '';
    if (typeof v.text === 'string' || (typeof v.text === 'object' && v.text !== null)) return cellText(v.text);
    if (typeof v.error === 'string') return v.error;
  }
  return String(value);
}

/** Text from UTF-8 chunks, a character split between two chunks joined again. */
async function* utf8Text(chunks: AsyncIterable<Buffer | string>, counted?: (bytes: number) => void): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    counted?.(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

type ZipEntry = Readable;
type XmlChunks = AsyncIterable<Buffer | string>;

/** The parts of exceljs's streaming reader that read the workbook's XML (not in its typings). */
interface WorkbookReaderParts {
  _parseRels(entry: ZipEntry): Promise<void>;
  _parseWorkbook(entry: ZipEntry): Promise<void>;
  _parseStyles(entry: ZipEntry): Promise<void>;
  _parseSharedStrings(entry: ZipEntry): AsyncGenerator<unknown>;
  _parseWorksheet(chunks: XmlChunks, sheetNo: string): Generator<unknown>;
  _parseHyperlinks(chunks: XmlChunks, sheetNo: string): Generator<unknown>;
}
const StreamingReader = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (
  input: Readable,
  options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>,
) => ExcelJS.stream.xlsx.WorkbookReader & WorkbookReaderParts;

/**
 * exceljs's streaming reader, given text instead of bytes. It decodes every chunk of a workbook's
 * XML on its own (exceljs 4.4, utils/parse-sax.js), so a character whose UTF-8 bytes fall on both
 * sides of a chunk boundary became two or three U+FFFD: 29 cells of a 1,000,000-row sheet here,
 * silently wrong in a name. Each part of the workbook is decoded here with a decoder that carries a
 * split character over to the next chunk.
 */
class Utf8WorkbookReader extends StreamingReader {
  /** Told the bytes of the first worksheet's XML as they are parsed (the progress of a read). */
  onFirstSheetBytes: ((bytes: number) => void) | undefined;
  #sheets = 0;

  override _parseRels(entry: ZipEntry): Promise<void> {
    return super._parseRels(entry.setEncoding('utf8'));
  }

  override _parseWorkbook(entry: ZipEntry): Promise<void> {
    return super._parseWorkbook(entry.setEncoding('utf8'));
  }

  override _parseStyles(entry: ZipEntry): Promise<void> {
    return super._parseStyles(entry.setEncoding('utf8'));
  }

  override _parseSharedStrings(entry: ZipEntry): AsyncGenerator<unknown> {
    return super._parseSharedStrings(entry.setEncoding('utf8'));
  }

  override _parseWorksheet(chunks: XmlChunks, sheetNo: string): Generator<unknown> {
    const counted = this.#sheets++ === 0 ? this.onFirstSheetBytes : undefined;
    return super._parseWorksheet(utf8Text(chunks, counted), sheetNo);
  }

  override _parseHyperlinks(chunks: XmlChunks, sheetNo: string): Generator<unknown> {
    return super._parseHyperlinks(utf8Text(chunks), sheetNo);
  }
}

function badXlsx(detail: string): FileProblem {
  return new FileProblem(
    reason(`not a readable XLSX workbook (${detail}); is the file complete?`, `不是可读取的 XLSX 工作簿(${detail});文件是否完整?`),
  );
}

/** The size of the worksheet a read takes (the first in the file), when the zip directory can be read. */
async function firstWorksheetSize(file: string): Promise<number | undefined> {
  const sizes = await zipEntrySizes(file).catch(() => undefined);
  for (const [name, size] of sizes ?? []) if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) return size;
  return undefined;
}

/**
 * Streams the rows of the first worksheet; empty rows are skipped. Progress is the share of the
 * worksheet's XML parsed, told as that share of the file's bytes: the file itself is read far
 * ahead of the parsing (a whole 50 MB workbook before its first row).
 */
export async function* readXlsxRecords(file: string, options: { progress?: (p: ReadProgress) => void } = {}): AsyncGenerator<SheetRecord> {
  const totalBytes = (await stat(file)).size;
  const sheetSize = await firstWorksheetSize(file);
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  let fileBytes = 0;
  input.on('data', (chunk) => {
    fileBytes += chunk.length;
  });
  let sheetBytes = 0;
  const bytesDone = () => (sheetSize ? Math.min(totalBytes, Math.floor((sheetBytes / sheetSize) * totalBytes)) : fileBytes);
  const reader = new Utf8WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell date cells from numbers
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  reader.onFirstSheetBytes = (bytes) => {
    sheetBytes += bytes;
  };
  let sawSheet = false;
  let lastProgress = 0;
  try {
    for await (const sheet of reader) {
      if (sawSheet) {
        // Only the first worksheet is data. Later ones (notes) are read to their end and dropped:
        // left unread, exceljs may delete the temp file it parked them in while still opening it.
        for await (const skipped of sheet) void skipped;
        continue;
      }
      sawSheet = true;
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        let any = false;
        for (let c = 1; c < values.length; c++) {
          const text = cellText(values[c]);
          if (text.trim() !== '') any = true;
          cells.push(text);
        }
        if (any) yield { row: row.number, cells };
        const bytes = bytesDone();
        if (options.progress && bytes - lastProgress >= 1 << 18) {
          lastProgress = bytes;
          options.progress({ bytes, totalBytes });
        }
      }
    }
  } catch (error) {
    if (error instanceof FileProblem) throw error;
    throw badXlsx((error as Error).message.split('\n')[0] ?? 'unreadable');
  } finally {
    input.destroy();
  }
  if (!sawSheet) throw badXlsx('no worksheet found');
  options.progress?.({ bytes: totalBytes, totalBytes });
}
