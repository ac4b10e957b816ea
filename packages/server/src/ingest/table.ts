/**
 * Validates a sheet's rows against a table spec: finds the header row, maps columns, reads every
 * cell, runs the row checks, refuses duplicates, and hands out bounded batches of rows and problems.
 */
import type { SheetRecord } from './csv.js';
import { HeaderIndex, type HeaderColumn, matchHeader, normaliseHeader } from './headers.js';
import { type RowProblem, problem, reason } from './problems.js';
import type { FieldSpec, TableSpec } from './kinds/spec.js';
import type { RowRef } from './types.js';

export const DEFAULT_BATCH_SIZE = 10_000;
/** Rows above the header that may be titles ("2026年10月考勤表"); the header is looked for this far. */
const HEADER_SEARCH_ROWS = 20;

export interface TableBatch<R> {
  rows: (R & RowRef)[];
  problems: RowProblem[];
  headers: Record<string, string>;
}

export interface TableOptions {
  file: string;
  batchSize?: number;
  /** Called with the number of data rows read so far, once per batch. */
  onRows?: (rows: number) => void;
}

export function headerColumns<R>(spec: TableSpec<R>): HeaderColumn[] {
  return Object.entries(spec.fields as Record<string, FieldSpec<unknown>>).map(([key, f]) => ({
    key,
    zh: f.zh,
    en: f.en,
    aliases: f.aliases ?? [],
    required: f.required,
    alternatives: f.alternatives ?? false,
  }));
}

export function headerIndexOf<R>(spec: TableSpec<R>): HeaderIndex {
  return new HeaderIndex(headerColumns(spec), new Set((spec.ignorable ?? []).map(normaliseHeader)));
}

/** Reads a table; see the module comment. The header is the first row (of the first 20) whose cells are mostly known column names. */
export async function* readTable<R>(
  records: AsyncIterable<SheetRecord>,
  spec: TableSpec<R>,
  options: TableOptions,
): AsyncGenerator<TableBatch<R>> {
  const { file } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const index = headerIndexOf(spec);
  const fields = Object.entries(spec.fields as Record<string, FieldSpec<unknown>>);
  const seen = spec.key ? new Map<string, number>() : null;

  let header: ReturnType<typeof matchHeader> | null = null;
  let fieldCells: number[] = [];
  const early: SheetRecord[] = [];
  let rows: (R & RowRef)[] = [];
  let problems: RowProblem[] = [];
  let headerBroken = false;
  let dataRows = 0;

  const startHeader = (record: SheetRecord) => {
    header = matchHeader(record.cells, index, file, record.row);
    problems.push(...header.problems);
    for (const issue of spec.checkHeader?.(header.headers) ?? []) {
      problems.push(problem(file, record.row, issue.column, null, issue.reason, 'missing_column'));
    }
    headerBroken = problems.length > 0;
    const h = header;
    fieldCells = fields.map(([key]) => h.keys.indexOf(key));
  };

  const readRow = (record: SheetRecord) => {
    const h = header as NonNullable<typeof header>;
    const { cells, row } = record;
    if (cells.every((cell) => cell.trim() === '')) return;
    dataRows++;
    const before = problems.length;
    if (record.malformed) {
      problems.push(problem(file, row, '', null, reason('malformed quotes in this row', '此行的引号格式不正确'), 'bad_row'));
    }
    if (cells.length > h.keys.length) {
      const extra = cells.slice(h.keys.length).filter((cell) => cell.trim() !== '');
      if (extra.length > 0) {
        problems.push(
          problem(
            file,
            row,
            '',
            extra[0] ?? null,
            reason(
              `the row has ${cells.length} cells but the header has ${h.keys.length}`,
              `此行有 ${cells.length} 个单元格,表头只有 ${h.keys.length} 列`,
            ),
            'bad_row',
          ),
        );
      }
    }
    for (let c = 0; c < h.blank.length && c < cells.length; c++) {
      const cell = cells[c] as string;
      if (h.blank[c] && cell.trim() !== '') {
        problems.push(
          problem(file, row, `#${c + 1}`, cell, reason('a value in a column without a header', '没有表头的列中有值'), 'bad_row'),
        );
      }
    }
    const out: Record<string, unknown> = { row };
    for (let f = 0; f < fields.length; f++) {
      const [key, spec] = fields[f] as [string, FieldSpec<unknown>];
      const at = fieldCells[f] as number;
      const raw = at >= 0 ? (cells[at] ?? '') : '';
      const text = raw.trim();
      if (text === '') {
        if (spec.required) {
          if (at >= 0) problems.push(problem(file, row, h.headers[key] ?? spec.zh, raw, reason('is required', '不能为空'), 'required'));
          continue;
        }
        out[key] = typeof spec.empty === 'function' ? (spec.empty as (r: Record<string, unknown>) => unknown)(out) : (spec.empty ?? null);
        continue;
      }
      const parsed = spec.parse(text);
      if (parsed.ok) out[key] = parsed.value;
      else problems.push(problem(file, row, h.headers[key] ?? spec.zh, raw, parsed.reason, 'invalid'));
    }
    if (problems.length > before) return;
    const typed = out as R & RowRef;
    const issues = spec.finish?.(typed, h.headers) ?? [];
    for (const issue of issues) {
      const value = (() => {
        const at = fields.findIndex(([key]) => key === issue.field);
        const cell = at >= 0 ? (fieldCells[at] as number) : -1;
        return cell >= 0 ? (cells[cell] ?? null) : null;
      })();
      problems.push(problem(file, row, h.headers[issue.field] ?? spec.fields[issue.field].zh, value, issue.reason, 'inconsistent'));
    }
    if (issues.length > 0) return;
    if (seen && spec.key) {
      const key = spec.key.map((k) => String(typed[k])).join('\u0000');
      const first = seen.get(key);
      if (first !== undefined) {
        const k0 = spec.key[0] as keyof R & string;
        const names = spec.key.map((k) => h.headers[k] ?? spec.fields[k].zh).join(' + ');
        problems.push(
          problem(
            file,
            row,
            h.headers[k0] ?? spec.fields[k0].zh,
            String(typed[k0]),
            reason(`the same ${names} as row ${first}`, `与第 ${first} 行的 ${names} 重复`),
            'duplicate',
          ),
        );
        return;
      }
      seen.set(key, row);
    }
    if (!headerBroken) rows.push(typed);
  };

  const flush = (): TableBatch<R> => {
    const batch = { rows, problems, headers: header ? (header as { headers: Record<string, string> }).headers : {} };
    rows = [];
    problems = [];
    options.onRows?.(dataRows);
    return batch;
  };

  for await (const record of records) {
    if (spec.skipRow?.(record.cells, record.row)) continue;
    if (!header) {
      if (record.cells.every((cell) => cell.trim() === '')) continue;
      early.push(record);
      if (index.looksLikeHeader(record.cells)) {
        startHeader(record);
        early.length = 0;
      } else if (early.length >= HEADER_SEARCH_ROWS) {
        const first = early[0] as SheetRecord;
        startHeader(first);
        for (const r of early.slice(1)) readRow(r);
        early.length = 0;
      }
      continue;
    }
    readRow(record);
    if (rows.length + problems.length >= batchSize) yield flush();
  }
  if (!header && early.length > 0) {
    startHeader(early[0] as SheetRecord);
    for (const r of early.slice(1)) readRow(r);
  }
  // A header and no rows is a valid, empty import; no header at all is not.
  if (!header)
    problems.push(
      problem(file, 0, '', null, reason('the file is empty: no header row and no data', '文件是空的:没有表头也没有数据'), 'no_header'),
    );
  yield flush();
}
