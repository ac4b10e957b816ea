/**
 * Conversations are stored in blocks: the conversations one import brought for one source and one
 * China day, as columns (external ids sorted ascending, as a JSON array or, when they are numbers
 * of one length, as differences; numbers as little-endian typed arrays, 2 or 4 bytes wide when the
 * block's values fit exactly, else 8). An import writes a few dozen rows instead of millions; the
 * external-id range of each block lets a later import find the blocks that could hold a
 * conversation it brings again. The `conversations` table keeps a row
 * (with an id) only for conversations QA works on.
 */
import { MAX_NUMBERED_ID_DIGITS, numberedIdValue } from '../../ingest/values.js';
import type { Db } from '../context.js';

/** One stored conversation, as the readers see it. */
export interface StoredConversation {
  source: string;
  externalId: string;
  employeeId: number;
  day: string;
  /** Epoch milliseconds. */
  startedAt: number;
  firstResponseSeconds: number | null;
  handleSeconds: number | null;
  valid: boolean;
  rating: number | null;
  importId: number | null;
}

/** A block's columns; row i of every array is one conversation, rows in ascending external-id order. */
export interface BlockColumns {
  externalIds: string[];
  employeeIds: Float64Array;
  startedAt: Float64Array;
  /** NaN: none recorded. */
  firstResponseSeconds: Float64Array;
  /** NaN: none recorded. */
  handleSeconds: Float64Array;
  valid: Uint8Array;
  /** 0: not rated. */
  rating: Uint8Array;
}

export interface BlockHead {
  id: number;
  importId: number | null;
  source: string;
  day: string;
  firstId: string;
  lastId: string;
}

export interface DecodedBlock extends BlockHead {
  columns: BlockColumns;
}

export function emptyColumns(n: number): BlockColumns {
  return {
    externalIds: new Array<string>(n),
    employeeIds: new Float64Array(n),
    startedAt: new Float64Array(n),
    firstResponseSeconds: new Float64Array(n),
    handleSeconds: new Float64Array(n),
    valid: new Uint8Array(n),
    rating: new Uint8Array(n),
  };
}

const bytesOf = (a: Float32Array | Float64Array | Uint32Array | Uint16Array | Uint8Array): Buffer =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const SECOND = 1000;
const UINT16_MAX = 0xffff;
const UINT32_MAX = 0xffff_ffff;
/** A missing duration in a 2-byte column (durations stored so are whole seconds below it). */
const NO_DURATION = UINT16_MAX;

/*
 * Numbers take 2 or 4 bytes each when every value of the block fits exactly, else 8 (float64);
 * the column's length tells which. Ids as uint16/uint32, epoch seconds as uint32, durations as
 * uint16 whole seconds (65535: none) or float32 (whole seconds below 2^24 and halves, quarters …
 * are exact), NaN kept for "none".
 */
function packIds(values: Float64Array): Buffer {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v >= 0 && v <= UINT32_MAX && Math.floor(v) === v)) return bytesOf(values);
    if (v > max) max = v;
  }
  return bytesOf(max <= UINT16_MAX ? Uint16Array.from(values) : Uint32Array.from(values));
}

function packInstants(ms: Float64Array): Buffer {
  const seconds = new Uint32Array(ms.length);
  for (let i = 0; i < ms.length; i++) {
    const v = ms[i] as number;
    const s = v / SECOND;
    if (!(s >= 0 && s <= UINT32_MAX && Math.floor(s) === s)) return bytesOf(ms);
    seconds[i] = s;
  }
  return bytesOf(seconds);
}

function packDurations(values: Float64Array): Buffer {
  let whole = true;
  for (let i = 0; i < values.length && whole; i++) {
    const v = values[i] as number;
    whole = v !== v || (v >= 0 && v < NO_DURATION && Math.floor(v) === v);
  }
  if (whole) {
    const narrow = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      narrow[i] = v === v ? v : NO_DURATION;
    }
    return bytesOf(narrow);
  }
  const narrow = Float32Array.from(values);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v === v && narrow[i] !== v) return bytesOf(values);
  }
  return bytesOf(narrow);
}

/** A stored column as float64 values (times `unit` when it was stored 4 bytes wide). */
function unpack(stored: Uint8Array, n: number, narrow: 'uint32' | 'float32', unit = 1): Float64Array {
  const aligned = new Uint8Array(stored.byteLength);
  aligned.set(stored);
  if (stored.byteLength === n * 8) return new Float64Array(aligned.buffer, 0, n);
  if (stored.byteLength === n * 2) {
    const values = new Uint16Array(aligned.buffer, 0, n);
    const none = narrow === 'float32' ? NO_DURATION : -1;
    return Float64Array.from(values, (v) => (v === none ? NaN : v));
  }
  const values = narrow === 'uint32' ? new Uint32Array(aligned.buffer, 0, n) : new Float32Array(aligned.buffer, 0, n);
  return Float64Array.from(values, (v) => v * unit);
}

/**
 * External ids, ascending, as the writer holds them: strings, or — when every id of the block is a
 * decimal integer of the same number of digits without a leading zero — their numbers (same order).
 */
export type ExternalIdList = readonly string[] | Float64Array;

/** The block's columns as the writer hands them over. */
export type NewBlockColumns = Omit<BlockColumns, 'externalIds'> & { externalIds: ExternalIdList };

const NUMBERED = '#';

/** The ids as numbers when they are all numbered ids of one length, else null. */
export function numberedIds(ids: readonly string[]): Float64Array | null {
  const width = ids.length > 0 ? (ids[0] as string).length : 0;
  const out = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    const value = id.length === width ? numberedIdValue(id, 0, width) : NaN;
    if (value !== value) return null;
    out[i] = value;
  }
  return ids.length > 0 ? out : null;
}

/**
 * The external_ids text: a JSON array of the ids, or for numbered ids "#first,d1,d2,…" (each id
 * the one before plus d): a day of sequential ids takes two bytes an id instead of a dozen.
 */
export function encodeExternalIds(ids: ExternalIdList): string {
  const numbers = ids instanceof Float64Array ? ids : numberedIds(ids);
  if (!numbers) return JSON.stringify(ids);
  const out = Buffer.allocUnsafe(1 + numbers.length * (MAX_NUMBERED_ID_DIGITS + 2));
  out[0] = 0x23; // '#'
  let at = 1;
  const digits = new Uint8Array(MAX_NUMBERED_ID_DIGITS + 1);
  let previous = 0;
  for (let i = 0; i < numbers.length; i++) {
    const value = numbers[i] as number;
    let d = i === 0 ? value : value - previous;
    previous = value;
    if (i > 0) out[at++] = 0x2c; // ','
    if (d < 0) {
      out[at++] = 0x2d; // '-'
      d = -d;
    }
    let k = 0;
    do {
      digits[k++] = 0x30 + (d % 10);
      d = Math.floor(d / 10);
    } while (d > 0);
    while (k > 0) out[at++] = digits[--k] as number;
  }
  return out.toString('latin1', 0, at);
}

export function decodeExternalIds(text: string): string[] {
  if (!text.startsWith(NUMBERED)) return JSON.parse(text) as string[];
  const ids: string[] = [];
  let value = 0;
  let d = 0;
  let negative = false;
  for (let i = 1; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2c;
    if (c === 0x2c) {
      value = ids.length === 0 ? d : value + (negative ? -d : d);
      ids.push(String(value));
      d = 0;
      negative = false;
    } else if (c === 0x2d) negative = true;
    else d = d * 10 + (c - 0x30);
  }
  return ids;
}

const idText = (ids: ExternalIdList, i: number): string => (ids instanceof Float64Array ? String(ids[i]) : (ids[i] as string));

/** The row of conversation_blocks for one block's columns. */
export function encodeBlock(head: Omit<BlockHead, 'id' | 'firstId' | 'lastId'>, c: NewBlockColumns) {
  const n = c.externalIds.length;
  return {
    import_id: head.importId,
    source: head.source,
    day: head.day,
    row_count: n,
    first_id: idText(c.externalIds, 0),
    last_id: idText(c.externalIds, n - 1),
    external_ids: encodeExternalIds(c.externalIds),
    employee_ids: packIds(c.employeeIds),
    started_at: packInstants(c.startedAt),
    first_response_s: packDurations(c.firstResponseSeconds),
    handle_s: packDurations(c.handleSeconds),
    valid: bytesOf(c.valid),
    rating: bytesOf(c.rating),
  };
}

export type BlockRow = ReturnType<typeof encodeBlock> & { id: number };

export function decodeBlock(row: BlockRow): DecodedBlock {
  const n = row.row_count;
  return {
    id: Number(row.id),
    importId: row.import_id === null ? null : Number(row.import_id),
    source: row.source,
    day: row.day,
    firstId: row.first_id,
    lastId: row.last_id,
    columns: {
      externalIds: decodeExternalIds(row.external_ids),
      employeeIds: unpack(row.employee_ids, n, 'uint32'),
      startedAt: unpack(row.started_at, n, 'uint32', SECOND),
      firstResponseSeconds: unpack(row.first_response_s, n, 'float32'),
      handleSeconds: unpack(row.handle_s, n, 'float32'),
      valid: Uint8Array.from(row.valid.subarray(0, n)),
      rating: Uint8Array.from(row.rating.subarray(0, n)),
    },
  };
}

/** Row i of a decoded block. */
export function conversationAt(block: DecodedBlock, i: number): StoredConversation {
  const c = block.columns;
  const frt = c.firstResponseSeconds[i] as number;
  const handle = c.handleSeconds[i] as number;
  return {
    source: block.source,
    externalId: c.externalIds[i] as string,
    employeeId: c.employeeIds[i] as number,
    day: block.day,
    startedAt: c.startedAt[i] as number,
    firstResponseSeconds: frt === frt ? frt : null,
    handleSeconds: handle === handle ? handle : null,
    valid: c.valid[i] === 1,
    rating: c.rating[i] === 0 ? null : (c.rating[i] as number),
    importId: block.importId,
  };
}

/** The index of `id` in ascending `ids`, or -1. */
export function indexOfSorted(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = ids[mid] as string;
    if (at === id) return mid;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Block heads of one source (small rows: a source has a few blocks per import). */
export async function blockHeads(db: Db, source: string): Promise<BlockHead[]> {
  const rows = await db
    .selectFrom('conversation_blocks')
    .select(['id', 'import_id', 'source', 'day', 'first_id', 'last_id'])
    .where('source', '=', source)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, importId: r.import_id, source: r.source, day: r.day, firstId: r.first_id, lastId: r.last_id }));
}

export async function loadBlock(db: Db, id: number): Promise<DecodedBlock> {
  const row = await db.selectFrom('conversation_blocks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return decodeBlock(row);
}

/** Every block of the days from…to (inclusive), in the order they were stored, read one at a time (a quarter of blocks can be gigabytes). */
export async function* blocksOfDays(db: Db, from: string, to: string): AsyncGenerator<DecodedBlock> {
  const ids = await db
    .selectFrom('conversation_blocks')
    .select('id')
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('id')
    .execute();
  for (const { id } of ids) yield await loadBlock(db, id);
}

/** The stored conversations of the days from…to, optionally of one agent, in storage order. */
export async function storedConversations(db: Db, from: string, to: string, employeeId?: number): Promise<StoredConversation[]> {
  const out: StoredConversation[] = [];
  for await (const block of blocksOfDays(db, from, to)) {
    const ids = block.columns.employeeIds;
    for (let i = 0; i < ids.length; i++) if (employeeId === undefined || ids[i] === employeeId) out.push(conversationAt(block, i));
  }
  return out;
}

/** The stored conversation with this source and external id, if any. */
export async function findConversation(db: Db, source: string, externalId: string): Promise<StoredConversation | undefined> {
  for (const head of await blockHeads(db, source)) {
    if (externalId < head.firstId || externalId > head.lastId) continue;
    const block = await loadBlock(db, head.id);
    const at = indexOfSorted(block.columns.externalIds, externalId);
    if (at >= 0) return conversationAt(block, at);
  }
  return undefined;
}

export interface HandleTime {
  sum: number;
  count: number;
}

/** Handle seconds recorded per agent and month (YYYY-MM) over the days from…to, optionally of one agent. */
export async function handleTimes(db: Db, from: string, to: string, employeeId?: number): Promise<Map<number, Map<string, HandleTime>>> {
  const out = new Map<number, Map<string, HandleTime>>();
  for await (const block of blocksOfDays(db, from, to)) {
    const month = block.day.slice(0, 7);
    const { employeeIds, handleSeconds } = block.columns;
    for (let i = 0; i < employeeIds.length; i++) {
      const agent = employeeIds[i] as number;
      const seconds = handleSeconds[i] as number;
      if (seconds !== seconds || (employeeId !== undefined && agent !== employeeId)) continue;
      let months = out.get(agent);
      if (!months) out.set(agent, (months = new Map()));
      const sums = months.get(month) ?? { sum: 0, count: 0 };
      sums.sum += seconds;
      sums.count += 1;
      months.set(month, sums);
    }
  }
  return out;
}
