/** What a help-desk adapter is: a native format read into rows of canonical kinds. */
import type { ReadProgress } from '../csv.js';
import type { Reason } from '../problems.js';
import type { CanonicalKind, ImportBatch, ImportFormat } from '../types.js';

export interface AdapterContext {
  file: string;
  /** The file's base name, for problems. */
  label: string;
  format: ImportFormat;
  batchSize: number;
  /** Overrides the source code the adapter writes (two Chatwoot accounts: chatwoot-cn, chatwoot-eu). */
  source?: string;
  progress: (p: ReadProgress) => void;
  onRows: (rows: number) => void;
}

export interface AdapterSpec {
  title: Reason;
  /** What it reads, for `ladder import --help` and the HTTP API's list. */
  reads: Reason;
  formats: readonly ImportFormat[];
  produces: readonly CanonicalKind[];
  read(context: AdapterContext): AsyncGenerator<ImportBatch>;
}

/** Splits rows into batches of at most `size`. */
export function* chunked<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
