/**
 * Conversations are stored in blocks: the conversations one import brought for one source and one
 * China day, as columns (external ids as a JSON array sorted ascending, numbers as little-endian
 * typed arrays, 4 bytes wide when the block's values fit exactly, else 8). An import writes a few
 * dozen rows instead of millions; the external-id range of each block lets a later import find the
 * blocks that could hold a conversation it brings again. The `conversations` table keeps a row
 * (with an id) only for conversations QA works on.
 */
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

const bytesOf = (a: Float32Array | Float64Array | Uint32Array | Uint8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const SECOND = 1000;
const UINT32_MAX = 0xffff_ffff;

/*
 * Numbers take 4 bytes each when every value of the block fits exactly, else 8 (float64); the
 * column's length tells which. Ids and epoch seconds as uint32; durations as float32 (whole
 * seconds below 2^24 and halves, quarters … are exact), NaN kept for "none".
 */
function packIds(values: Float64Array): Buffer {
  for (const v of values) if (!(Number.isInteger(v) && v >= 0 && v <= UINT32_MAX)) return bytesOf(values);
  return bytesOf(Uint32Array.from(values));
}

function packInstants(ms: Float64Array): Buffer {
  for (const v of ms) if (!(v % SECOND === 0 && v >= 0 && v / SECOND <= UINT32_MAX)) return bytesOf(ms);
  return bytesOf(Uint32Array.from(ms, (v) => v / SECOND));
}

function packDurations(values: Float64Array): Buffer {
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
  const values = narrow === 'uint32' ? new Uint32Array(aligned.buffer, 0, n) : new Float32Array(aligned.buffer, 0, n);
  return Float64Array.from(values, (v) => v * unit);
}

/** The row of conversation_blocks for one block's columns. */
export function encodeBlock(head: Omit<BlockHead, 'id' | 'firstId' | 'lastId'>, c: BlockColumns) {
  const n = c.externalIds.length;
  return {
    import_id: head.importId,
    source: head.source,
    day: head.day,
    row_count: n,
    first_id: c.externalIds[0] as string,
    last_id: c.externalIds[n - 1] as string,
    external_ids: JSON.stringify(c.externalIds),
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
      externalIds: JSON.parse(row.external_ids) as string[],
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
