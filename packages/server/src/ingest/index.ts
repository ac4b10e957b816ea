/**
 * Ladder's ingest layer: reads import files (CSV in UTF-8 or GB18030, XLSX, help-desk JSON),
 * maps columns by their Chinese or English header, validates every row, and hands out bounded
 * batches of typed rows with the problems found. No database: the caller writes the rows in a
 * transaction and rolls back when any problem was reported.
 */
import { ADAPTERS } from './adapters/index.js';
import { KIND_SPECS } from './kinds/index.js';
import { type ColumnInfo, columnsOf } from './kinds/spec.js';
import type { Reason } from './problems.js';
import { ADAPTER_KINDS, CANONICAL_KINDS, type CanonicalKind, type ImportFormat, type ImportKind } from './types.js';

export * from './types.js';
export { type RowProblem, type ProblemCode, type Reason, formatProblem } from './problems.js';
export { readImport, type ReadImportOptions, ImportUsageError, detectFormat, isImportKind, formatsOf } from './read.js';
export { writeErrorReport, errorReportCsv } from './report.js';
export { writeTemplate, templateCsv } from './template.js';
export { conversationAt, rowsFromColumns } from './fast/batch.js';
export type { ColumnInfo } from './kinds/spec.js';

export interface ImportKindInfo {
  kind: ImportKind;
  /** true for the canonical kinds (templates exist), false for help-desk adapters. */
  canonical: boolean;
  title: Reason;
  /** For adapters: what native export they read. */
  reads: Reason | null;
  formats: readonly ImportFormat[];
  /** The canonical kinds its batches have. */
  produces: readonly CanonicalKind[];
  /** The columns of a canonical kind, in template order; empty for adapters (their format is the help desk's). */
  columns: ColumnInfo[];
}

function canonicalInfo(kind: CanonicalKind): ImportKindInfo {
  const spec = KIND_SPECS[kind];
  return {
    kind,
    canonical: true,
    title: spec.title,
    reads: null,
    formats: ['csv', 'xlsx'],
    produces: [kind],
    columns: columnsOf(spec.fields),
  };
}

export const IMPORT_KINDS: Readonly<Record<ImportKind, ImportKindInfo>> = Object.freeze({
  ...(Object.fromEntries(CANONICAL_KINDS.map((kind) => [kind, canonicalInfo(kind)])) as Record<CanonicalKind, ImportKindInfo>),
  ...Object.fromEntries(
    ADAPTER_KINDS.map((kind) => {
      const a = ADAPTERS[kind];
      return [kind, { kind, canonical: false, title: a.title, reads: a.reads, formats: a.formats, produces: a.produces, columns: [] }];
    }),
  ),
} as Record<ImportKind, ImportKindInfo>);
