/** `readImport`: any import file of any kind → bounded batches of validated rows and problems. */
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { ADAPTERS } from './adapters/index.js';
import type { ReadProgress } from './csv.js';
import { FileProblem } from './encoding.js';
import { ColumnBatch, columnsFromRows } from './fast/batch.js';
import { conversationsFast } from './fast/run.js';
import { KIND_SPECS } from './kinds/index.js';
import type { KindSpec } from './kinds/spec.js';
import { type RowProblem, problem, reason } from './problems.js';
import { sheetRecords } from './sheet.js';
import { DEFAULT_BATCH_SIZE, readTable } from './table.js';
import {
  ADAPTER_KINDS,
  type AdapterKind,
  CANONICAL_KINDS,
  type CanonicalKind,
  type ConversationRow,
  type ImportBatch,
  type ImportFormat,
  type ImportKind,
  type ImportProgress,
} from './types.js';

export interface ReadImportOptions {
  /** The file's format; by default from its extension (.csv .tsv .txt / .xlsx / .json .jsonl .ndjson), else from its first bytes. */
  format?: ImportFormat;
  /** Called as the file is read (about once per MiB and once per batch). */
  onProgress?: (p: ImportProgress) => void;
  /** Rows (plus problems) per batch; default 10,000 (32,768 for the conversations fast path). */
  batchSize?: number;
  /** Adapters: the source code to write instead of the adapter's own (chatwoot, zendesk, cn). */
  source?: string;
  /** Conversations CSV: parse in a worker thread (true), on the calling thread (false); default: a worker for files of 16 MiB or more. */
  worker?: boolean;
}

/** Refused before reading: an unknown kind, or a format the kind does not read. */
export class ImportUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportUsageError';
  }
}

export const FAST_BATCH_SIZE = 32_768;

export function isImportKind(kind: string): kind is ImportKind {
  return (CANONICAL_KINDS as readonly string[]).includes(kind) || (ADAPTER_KINDS as readonly string[]).includes(kind);
}

export function formatsOf(kind: ImportKind): readonly ImportFormat[] {
  return (ADAPTER_KINDS as readonly string[]).includes(kind) ? ADAPTERS[kind as AdapterKind].formats : ['csv', 'xlsx'];
}

const EXTENSIONS: Record<string, ImportFormat> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
  '.json': 'json',
  '.jsonl': 'json',
  '.ndjson': 'json',
};

/** The format from the extension, else from the first bytes (PK zip → xlsx, { or [ → json, else csv). */
export async function detectFormat(file: string): Promise<ImportFormat | 'xls'> {
  const ext = extname(file).toLowerCase();
  if (ext === '.xls') return 'xls';
  const known = EXTENSIONS[ext];
  if (known) return known;
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx';
    if (bytes[0] === 0xd0 && bytes[1] === 0xcf) return 'xls';
    const text = bytes
      .toString('latin1')
      .replace(/^\xef\xbb\xbf/, '')
      .trimStart();
    return text.startsWith('{') || text.startsWith('[') ? 'json' : 'csv';
  } finally {
    await handle.close();
  }
}

/** The canonical kind an import of `kind` yields first (for problem-only batches). */
function primaryKind(kind: ImportKind): CanonicalKind {
  return (ADAPTER_KINDS as readonly string[]).includes(kind)
    ? (ADAPTERS[kind as AdapterKind].produces[0] as CanonicalKind)
    : (kind as CanonicalKind);
}

function problemBatch(kind: CanonicalKind, problems: RowProblem[]): ImportBatch {
  if (kind === 'conversations') return new ColumnBatch(columnsFromRows([]), problems, {}, []);
  return { kind, rows: [], problems, headers: {} } as ImportBatch;
}

/**
 * Reads and validates an import file, yielding batches of at most `batchSize` rows and problems.
 * Every row is validated; a caller writes rows as they come inside a transaction and rolls back if
 * any batch had a problem (and may stop reading after enough problems: breaking out ends the reading).
 * Problems with the file's content (encoding, a truncated XLSX, broken JSON) come as problems;
 * a missing or unreadable file throws (ENOENT, EACCES), and so does an unknown kind (ImportUsageError).
 */
export async function* readImport(file: string, kind: ImportKind, options: ReadImportOptions = {}): AsyncGenerator<ImportBatch> {
  if (!isImportKind(kind)) throw new ImportUsageError(`unknown import kind: ${String(kind)}`);
  const label = basename(file);
  const info = await stat(file); // a missing file throws ENOENT here, before anything is read
  if (info.isDirectory()) throw new ImportUsageError(`${label} is a folder, not a file`);
  const detected = options.format ?? (await detectFormat(file));
  if (detected === 'xls') {
    yield problemBatch(primaryKind(kind), [
      problem(
        label,
        0,
        '',
        null,
        reason(
          'the old Excel .xls format is not read: save it as .xlsx or CSV UTF-8',
          '不支持旧版 Excel .xls 格式:请另存为 .xlsx 或 CSV UTF-8',
        ),
        'bad_file',
      ),
    ]);
    return;
  }
  const format = detected;
  if (!formatsOf(kind).includes(format)) {
    throw new ImportUsageError(`${kind} reads ${formatsOf(kind).join(' or ')}, not ${format} (${label})`);
  }
  let bytes = 0;
  let totalBytes = 0;
  let rows = 0;
  const report = () => options.onProgress?.({ bytes, totalBytes, rows });
  const progress = (p: ReadProgress) => {
    bytes = p.bytes;
    totalBytes = p.totalBytes;
    report();
  };
  const onRows = (n: number) => {
    rows = n;
  };
  try {
    if (kind === 'conversations' && format === 'csv') {
      const fastOptions: Parameters<typeof conversationsFast>[1] = { batchSize: options.batchSize ?? FAST_BATCH_SIZE };
      if (options.onProgress) fastOptions.onProgress = options.onProgress;
      if (options.worker !== undefined) fastOptions.worker = options.worker;
      yield* conversationsFast(file, fastOptions);
      return;
    }
    if ((ADAPTER_KINDS as readonly string[]).includes(kind)) {
      const context: Parameters<(typeof ADAPTERS)[AdapterKind]['read']>[0] = {
        file,
        label,
        format,
        batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
        progress,
        onRows,
      };
      if (options.source !== undefined) context.source = options.source;
      for await (const batch of ADAPTERS[kind as AdapterKind].read(context)) {
        yield batch;
        report();
      }
      return;
    }
    const canonical = kind as CanonicalKind;
    const spec = KIND_SPECS[canonical] as unknown as KindSpec<CanonicalKind>;
    const records = sheetRecords(file, format === 'xlsx' ? 'xlsx' : 'csv', progress);
    for await (const batch of readTable(records, spec, { file: label, batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE, onRows })) {
      if (canonical === 'conversations') {
        const list = batch.rows as unknown as ConversationRow[];
        yield new ColumnBatch(columnsFromRows(list), batch.problems, batch.headers, list);
      } else {
        yield { kind: canonical, rows: batch.rows, problems: batch.problems, headers: batch.headers } as ImportBatch;
      }
      report();
    }
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    yield problemBatch(primaryKind(kind), [problem(label, 0, '', null, error.why, error.code)]);
  }
}
