/** Matching a file's header row to a kind's columns, by Chinese or English name or an alias. */
import { type Reason, type RowProblem, problem, reason } from './problems.js';

/** What header matching needs to know about a column. */
export interface HeaderColumn {
  key: string;
  zh: string;
  en: string;
  aliases?: readonly string[];
  required: boolean;
  /**
   * The names are alternatives in order of preference (a platform sheet with both 接待量 and 接待人数):
   * the best one present feeds the field and the others are ignored, instead of being duplicates.
   */
  alternatives?: boolean;
}

/**
 * Folds a header for comparison: NFKC (full-width brackets and letters become half-width), lower
 * case, no spaces, underscores, hyphens or dots, no required-marker ("工号*", "工号(必填)"), and a
 * BOM or zero-width space dropped.
 */
export function normaliseHeader(text: string): string {
  return text
    .replace(/[\uFEFF\u200B]/g, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-·.]+/g, '')
    .replace(/[【[]/g, '(')
    .replace(/[】\]]/g, ')')
    .replace(/(\*|\((必填|选填|可选|required|optional)\))$/, '');
}

export function headerNames(column: HeaderColumn): string[] {
  return [column.zh, column.en, ...(column.aliases ?? [])];
}

export class HeaderIndex {
  private readonly byName = new Map<string, HeaderColumn>();

  constructor(
    readonly columns: readonly HeaderColumn[],
    /** Folded names of columns that are read and dropped (an adapter's native columns Ladder does not use). */
    readonly ignorable: ReadonlySet<string> = new Set(),
  ) {
    for (const column of columns) {
      for (const name of headerNames(column)) {
        const folded = normaliseHeader(name);
        const other = this.byName.get(folded);
        if (other && other.key !== column.key) throw new Error(`header ${name} names both ${other.key} and ${column.key}`);
        this.byName.set(folded, column);
      }
    }
  }

  lookup(header: string): HeaderColumn | undefined {
    return this.byName.get(normaliseHeader(header));
  }

  isIgnorable(header: string): boolean {
    return this.ignorable.has(normaliseHeader(header));
  }

  /** How many cells of a row are known headers: a row of mostly known names is the header row. */
  known(cells: readonly string[]): number {
    let count = 0;
    for (const cell of cells) if (cell.trim() !== '' && (this.lookup(cell) || this.isIgnorable(cell))) count++;
    return count;
  }

  looksLikeHeader(cells: readonly string[]): boolean {
    const known = this.known(cells);
    return known >= Math.min(2, this.columns.length) || (known > 0 && known === cells.filter((c) => c.trim() !== '').length);
  }
}

export interface HeaderMatch {
  /** For each cell of the header row: the column key it feeds, or null (ignored or unknown). */
  keys: (string | null)[];
  /** Cells whose header is empty: their values must be empty too. */
  blank: boolean[];
  /** The header as written, per column key. */
  headers: Record<string, string>;
  problems: RowProblem[];
}

const unknownReason = (index: HeaderIndex): Reason => {
  const names = index.columns.map((c) => c.zh).join('、');
  const en = index.columns.map((c) => c.en).join(', ');
  return reason(`unknown column; expected some of: ${en}`, `未知的列;可用的列:${names}`);
};

export function matchHeader(cells: readonly string[], index: HeaderIndex, file: string, row: number): HeaderMatch {
  const keys: (string | null)[] = [];
  const blank: boolean[] = [];
  const headers: Record<string, string> = {};
  const holder = new Map<string, number>();
  const problems: RowProblem[] = [];
  const rank = (column: HeaderColumn, cell: string) => headerNames(column).map(normaliseHeader).indexOf(normaliseHeader(cell));
  for (const raw of cells) {
    const cell = raw.trim();
    blank.push(cell === '');
    if (cell === '') {
      keys.push(null);
      continue;
    }
    const column = index.lookup(cell);
    if (!column) {
      keys.push(null);
      if (!index.isIgnorable(cell)) problems.push(problem(file, row, cell, null, unknownReason(index), 'unknown_column'));
      continue;
    }
    const earlier = headers[column.key];
    if (earlier !== undefined && column.alternatives) {
      if (rank(column, cell) < rank(column, earlier)) {
        keys[holder.get(column.key) as number] = null;
        headers[column.key] = cell;
        holder.set(column.key, keys.length);
        keys.push(column.key);
      } else keys.push(null);
      continue;
    }
    if (earlier !== undefined) {
      keys.push(null);
      problems.push(
        problem(file, row, cell, null, reason(`names the same field as column ${earlier}`, `与列 ${earlier} 重复`), 'duplicate_column'),
      );
      continue;
    }
    headers[column.key] = cell;
    holder.set(column.key, keys.length);
    keys.push(column.key);
  }
  for (const column of index.columns) {
    if (column.required && headers[column.key] === undefined) {
      problems.push(
        problem(
          file,
          row,
          column.zh,
          null,
          reason(`missing required column ${column.zh} (${column.en})`, `缺少必需的列 ${column.zh}(${column.en})`),
          'missing_column',
        ),
      );
    }
  }
  return { keys, blank, headers, problems };
}
