/** Conversation batches in columns, with their rows built on demand. */
import type { RowProblem } from '../problems.js';
import type { ConversationBatch, ConversationColumns, ConversationRow } from '../types.js';
import { formatChinaTime, parseInstant } from '../values.js';

/** Row `i` of a column batch as a ConversationRow. */
export function conversationAt(columns: ConversationColumns, i: number): ConversationRow {
  const frt = columns.firstResponseSeconds[i] as number;
  const handle = columns.handleSeconds[i] as number;
  const rating = columns.rating[i] as number;
  return {
    row: columns.rows[i] as number,
    source: columns.sourceDict[columns.sourceCodes[i] as number] as string,
    externalId: columns.externalIds.slice(i === 0 ? 0 : columns.externalIdEnds[i - 1], columns.externalIdEnds[i]),
    agent: columns.agentDict[columns.agentCodes[i] as number] as string,
    startedAt: formatChinaTime(columns.startedAt[i] as number),
    firstResponseSeconds: frt === frt ? frt : null,
    handleSeconds: handle === handle ? handle : null,
    valid: columns.valid[i] === 1,
    rating: rating === 0 ? null : rating,
  };
}

export function rowsFromColumns(columns: ConversationColumns): ConversationRow[] {
  const rows = new Array<ConversationRow>(columns.length);
  for (let i = 0; i < columns.length; i++) rows[i] = conversationAt(columns, i);
  return rows;
}

/** Columns from rows (the XLSX and adapter paths), so every conversations batch has both. */
export function columnsFromRows(rows: readonly ConversationRow[]): ConversationColumns {
  const n = rows.length;
  const sourceDict: string[] = [];
  const agentDict: string[] = [];
  const sourceIndex = new Map<string, number>();
  const agentIndex = new Map<string, number>();
  const code = (dict: string[], index: Map<string, number>, value: string) => {
    let c = index.get(value);
    if (c === undefined) {
      c = dict.length;
      dict.push(value);
      index.set(value, c);
    }
    return c;
  };
  const columns: ConversationColumns = {
    length: n,
    rows: new Uint32Array(n),
    sourceDict,
    sourceCodes: new Uint32Array(n),
    agentDict,
    agentCodes: new Uint32Array(n),
    externalIds: rows.map((r) => r.externalId).join(''),
    externalIdEnds: new Uint32Array(n),
    startedAt: new Float64Array(n),
    firstResponseSeconds: new Float64Array(n),
    handleSeconds: new Float64Array(n),
    valid: new Uint8Array(n),
    rating: new Uint8Array(n),
  };
  let end = 0;
  rows.forEach((r, i) => {
    columns.rows[i] = r.row;
    columns.sourceCodes[i] = code(sourceDict, sourceIndex, r.source);
    columns.agentCodes[i] = code(agentDict, agentIndex, r.agent);
    end += r.externalId.length;
    columns.externalIdEnds[i] = end;
    const started = parseInstant(r.startedAt);
    columns.startedAt[i] = started.ok ? started.value : NaN;
    columns.firstResponseSeconds[i] = r.firstResponseSeconds ?? NaN;
    columns.handleSeconds[i] = r.handleSeconds ?? NaN;
    columns.valid[i] = r.valid ? 1 : 0;
    columns.rating[i] = r.rating ?? 0;
  });
  return columns;
}

/** A conversations batch whose rows are made from its columns on first access (the writer may never need them). */
export class ColumnBatch implements ConversationBatch {
  readonly kind = 'conversations' as const;
  private built: ConversationRow[] | null;

  constructor(
    readonly columns: ConversationColumns,
    readonly problems: RowProblem[],
    readonly headers: ConversationBatch['headers'],
    rows: ConversationRow[] | null = null,
  ) {
    this.built = rows;
  }

  get rows(): ConversationRow[] {
    if (!this.built) this.built = rowsFromColumns(this.columns);
    return this.built;
  }
}
