/** Helpers for the ingest tests (excluded from the build). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { readImport, type ReadImportOptions } from './read.js';
import type { RowProblem } from './problems.js';
import type { CanonicalRow, ImportBatch, ImportKind } from './types.js';

export const FIXTURES = fileURLToPath(new URL('../../../../tests/fixtures/imports/', import.meta.url));
export const fixture = (name: string) => join(FIXTURES, name);

// Every test file that imports this module gets its own copy of it: its directories go with its tests.
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-ingest-'));
  made.push(dir);
  return dir;
}

export function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

export interface ReadAll {
  batches: ImportBatch[];
  rows: (CanonicalRow & { kind?: string })[];
  byKind: Record<string, CanonicalRow[]>;
  problems: RowProblem[];
}

export async function readAll(file: string, kind: ImportKind, options: ReadImportOptions = {}): Promise<ReadAll> {
  const batches: ImportBatch[] = [];
  const rows: CanonicalRow[] = [];
  const byKind: Record<string, CanonicalRow[]> = {};
  const problems: RowProblem[] = [];
  for await (const batch of readImport(file, kind, options)) {
    batches.push(batch);
    rows.push(...batch.rows);
    (byKind[batch.kind] ??= []).push(...batch.rows);
    problems.push(...batch.problems);
  }
  return { batches, rows, byKind, problems };
}

/** Problems as the one-line text a terminal shows, for compact assertions. */
export const lines = (problems: readonly RowProblem[]) => problems.map((p) => `${p.row}|${p.column}|${p.value ?? ''}|${p.reason}`);
