/** One thing wrong with an import file: where it is, what was there, and why it was refused. */
export interface RowProblem {
  /** The file's base name, as the user knows it. */
  file: string;
  /**
   * The row as a spreadsheet shows it: 1-based, the header is row 1 (when a file starts with title
   * lines the header has their number plus one). For JSON files: the 1-based record number.
   * 0 for a problem with the whole file (unreadable, wrong encoding, truncated).
   */
  row: number;
  /** The column's header as written in the file; for a missing column the expected header; '' when none. */
  column: string;
  /** The cell's text as read; null when the problem is not about one value. */
  value: string | null;
  /** Why, in English. */
  reason: string;
  /** Why, in Chinese. */
  reasonZh: string;
  /** A stable machine code: see ProblemCode. */
  code: ProblemCode;
}

export type ProblemCode =
  | 'bad_file' // not readable as the declared format (truncated XLSX, broken JSON, UTF-16…)
  | 'encoding' // bytes that are neither UTF-8 nor GB18030
  | 'missing_column'
  | 'unknown_column'
  | 'duplicate_column'
  | 'no_header'
  | 'bad_row' // a row whose shape is wrong (too many cells, malformed quotes)
  | 'required' // an empty cell in a required column
  | 'invalid' // a value that is not of the column's kind
  | 'inconsistent' // values that contradict each other within the row
  | 'duplicate'; // a second row with the same key

/** A reason in both languages; every validator returns one. */
export interface Reason {
  en: string;
  zh: string;
}

export function reason(en: string, zh: string): Reason {
  return { en, zh };
}

export function problem(
  file: string,
  row: number,
  column: string,
  value: string | null,
  why: Reason,
  code: ProblemCode = 'invalid',
): RowProblem {
  return { file, row, column, value, reason: why.en, reasonZh: why.zh, code };
}

/** `attendance.csv: row 7, column 迟到次数: "-1": must be a whole number ≥ 0` — one line, for a terminal. */
export function formatProblem(p: RowProblem, lang: 'en' | 'zh' = 'en'): string {
  const parts: string[] = [p.file];
  if (lang === 'zh') {
    if (p.row > 0) parts.push(`第 ${p.row} 行`);
    if (p.column !== '') parts.push(`列 ${p.column}`);
  } else {
    if (p.row > 0) parts.push(`row ${p.row}`);
    if (p.column !== '') parts.push(`column ${p.column}`);
  }
  const where = parts.length > 1 ? `${parts[0]}: ${parts.slice(1).join(', ')}` : parts[0];
  const value = p.value === null ? '' : `${JSON.stringify(p.value)}: `;
  return `${where}: ${value}${lang === 'zh' ? p.reasonZh : p.reason}`;
}
