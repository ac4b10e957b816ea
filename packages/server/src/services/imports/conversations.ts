import { sql } from 'kysely';
import type { ConversationColumns, RowProblem } from '../../ingest/index.js';
import { chinaDayNumber, civilFromDays, numberedIdValue } from '../../ingest/values.js';
import {
  type BlockHead,
  blockHeads,
  emptyColumns,
  encodeBlock,
  type ExternalIdList,
  loadBlock,
  type NewBlockColumns,
} from '../conversations/blocks.js';
import type { Dialect } from '../../db/migrations/index.js';
import type { Db } from '../context.js';
import type { AgentResolver } from './agents.js';

/** External ids of stored blocks kept in memory while an import runs (a re-sent file meets its earlier blocks in order). */
const CACHED_IDS = 2_000_000;

/** One agent-day-source's sums over the conversations an import added. */
interface DayTotal {
  employeeId: number;
  day: number;
  source: string;
  conversations: number;
  valid: number;
  firstResponseSum: number;
  firstResponseCount: number;
  ratingSum: number;
  ratingCount: number;
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Stores one import's conversations as blocks (one per source and China day of each batch),
 * skipping ones already known — same source and external id, stored before or earlier in the
 * file (the first occurrence wins) — and adds exactly the stored ones onto the daily statistics.
 *
 * Duplicates are found by external id: a batch is put in id order (already so for exports in time
 * order), and only stored blocks whose id range overlaps it are read, merged against it in order.
 */
export class ConversationWriter {
  private readonly heads = new Map<string, BlockHead[]>();
  private readonly cachedIds = new Map<number, ExternalIdList>();
  private readonly blockSums = new BlockSums();
  private cachedCount = 0;
  /** Totals of what was stored and not yet added to the statistics, per day and source, then per agent. */
  private readonly totals = new Map<string, Map<number, DayTotal>>();
  /** Employee id (0: unknown) per source, then per agent reference. */
  private readonly agentIds = new Map<string, Map<string, number>>();

  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly agents: AgentResolver,
    private readonly importId: number,
    private readonly cacheLimit = CACHED_IDS,
  ) {}

  /** Writes one batch; unknown agents become problems and then nothing more is written. */
  async write(columns: ConversationColumns, problem: (row: number, agent: string, source: string) => RowProblem): Promise<RowProblem[]> {
    const n = columns.length;
    const employees = this.employees(columns);
    const problems: RowProblem[] = [];
    for (let i = 0; i < n; i++) {
      if (employees[i] === 0) {
        const source = columns.sourceDict[columns.sourceCodes[i] as number] as string;
        problems.push(problem(columns.rows[i] as number, columns.agentDict[columns.agentCodes[i] as number] as string, source));
      }
    }
    if (problems.length > 0) return problems;

    const ids = new BatchIds(columns);
    const order = idOrder(columns.sourceCodes, ids);
    const keep = new Uint8Array(n).fill(1);
    // In the file: equal neighbours in id order; the earlier row (smaller index, sorted first) stays.
    for (let k = 1; k < n; k++) {
      const a = order[k - 1] as number;
      const b = order[k] as number;
      if (columns.sourceCodes[a] === columns.sourceCodes[b] && ids.same(a, b)) keep[b] = 0;
    }
    // In the store: per source, the blocks whose range overlaps the batch's.
    for (let from = 0; from < n;) {
      const code = columns.sourceCodes[order[from] as number] as number;
      let to = from + 1;
      while (to < n && columns.sourceCodes[order[to] as number] === code) to++;
      await this.dropStored(columns.sourceDict[code] as string, ids, order.subarray(from, to), keep);
      from = to;
    }
    const touched = new Set<string>();
    await this.storeBlocks(columns, ids, order, keep, employees, touched);
    // Days this batch did not add to are usually done (exports come in time order): on SQLite their
    // totals are added now, while the parser reads on; a day met again later is simply added to
    // again. PostgreSQL takes them all at the end: added as days finished, 10 M rows took it 4 s more.
    if (this.dialect === 'sqlite') await this.addTotals([...this.totals.keys()].filter((day) => !touched.has(day)));
    return [];
  }

  /** Adds the day totals not added yet onto the daily statistics; call once, after the last batch. */
  async finish(): Promise<void> {
    await this.addTotals([...this.totals.keys()]);
  }

  /** Adds these days' totals onto the daily statistics in one statement and forgets them. */
  private async addTotals(dayKeys: string[]): Promise<void> {
    const rows: (string | number)[][] = [];
    for (const key of dayKeys) {
      const agents = this.totals.get(key) as Map<number, DayTotal>;
      this.totals.delete(key);
      let dayText: string | undefined;
      for (const t of agents.values()) {
        dayText ??= civilFromDays(t.day);
        rows.push([
          t.employeeId,
          dayText,
          t.source,
          t.conversations,
          t.valid,
          t.firstResponseSum,
          t.firstResponseCount,
          t.ratingSum,
          t.ratingCount,
        ]);
      }
    }
    if (rows.length === 0) return;
    // One JSON parameter for all rows (SQLite json_each, PostgreSQL jsonb_array_elements); the
    // `WHERE true` lets SQLite tell the upsert's ON CONFLICT from a join's ON.
    const json = JSON.stringify(rows);
    const element = this.dialect === 'postgres' ? sql`jsonb_array_elements(CAST(${json} AS jsonb)) AS e(value)` : sql`json_each(${json})`;
    const at = (i: number, type: string) => sql.raw(this.dialect === 'postgres' ? `CAST(value ->> ${i} AS ${type})` : `value ->> ${i}`);
    await sql`
      INSERT INTO agent_day_stats (employee_id, day, source, conversations, valid_conversations, first_response_sum_s, first_response_count, rating_sum, rating_count)
      SELECT ${at(0, 'bigint')}, ${at(1, 'text')}, ${at(2, 'text')}, ${at(3, 'integer')}, ${at(4, 'integer')}, ${at(5, 'double precision')}, ${at(6, 'integer')}, ${at(7, 'integer')}, ${at(8, 'integer')}
      FROM ${element} WHERE true
      ON CONFLICT (employee_id, day, source) DO UPDATE SET
        conversations = agent_day_stats.conversations + excluded.conversations,
        valid_conversations = agent_day_stats.valid_conversations + excluded.valid_conversations,
        first_response_sum_s = agent_day_stats.first_response_sum_s + excluded.first_response_sum_s,
        first_response_count = agent_day_stats.first_response_count + excluded.first_response_count,
        rating_sum = agent_day_stats.rating_sum + excluded.rating_sum,
        rating_count = agent_day_stats.rating_count + excluded.rating_count`.execute(this.db);
  }

  /** The employee id of every row (0: unknown agent), resolved once per agent and source of the batch. */
  private employees(columns: ConversationColumns): Float64Array {
    const bySource = columns.sourceDict.map((source) => {
      let known = this.agentIds.get(source);
      if (!known) this.agentIds.set(source, (known = new Map()));
      return known;
    });
    const sources = columns.sourceDict.length;
    const resolved = new Float64Array(columns.agentDict.length * sources).fill(-1);
    const out = new Float64Array(columns.length);
    for (let i = 0; i < columns.length; i++) {
      const source = columns.sourceCodes[i] as number;
      const agent = columns.agentCodes[i] as number;
      const pair = agent * sources + source;
      let id = resolved[pair] as number;
      if (id < 0) {
        const known = bySource[source] as Map<string, number>;
        const reference = columns.agentDict[agent] as string;
        id = known.get(reference) ?? this.agents.agent(columns.sourceDict[source] as string, reference) ?? 0;
        known.set(reference, id);
        resolved[pair] = id;
      }
      out[i] = id;
    }
    return out;
  }

  /** Clears `keep` for rows of `source` (given in id order) whose id a stored block already holds. */
  private async dropStored(source: string, ids: BatchIds, rows: Uint32Array, keep: Uint8Array): Promise<void> {
    const first = ids.text(rows[0] as number);
    const last = ids.text(rows[rows.length - 1] as number);
    for (const head of await this.headsOf(source)) {
      if (head.lastId < first || head.firstId > last) continue;
      const stored = await this.storedIds(head.id);
      // Merge the two ascending lists, starting where the block's range begins.
      let k = lowerBound(rows, ids, head.firstId);
      let j = 0;
      while (k < rows.length && j < stored.length) {
        const row = rows[k] as number;
        const id = ids.text(row);
        const at = stored[j] as string;
        if (at < id) j++;
        else {
          if (at === id) keep[row] = 0;
          k++;
        }
      }
    }
  }

  /** The surviving rows as one block per source and day, in id order. */
  private async storeBlocks(
    columns: ConversationColumns,
    ids: BatchIds,
    order: Uint32Array,
    keep: Uint8Array,
    employees: Float64Array,
    touched: Set<string>,
  ): Promise<void> {
    for (const { source: code, day, rows } of groupByDay(columns, order, keep)) {
      const source = columns.sourceDict[code] as string;
      const n = rows.length;
      const block: NewBlockColumns = { ...emptyColumns(n), externalIds: ids.pick(rows) };
      for (let i = 0; i < n; i++) {
        const row = rows[i] as number;
        block.employeeIds[i] = employees[row] as number;
        block.startedAt[i] = columns.startedAt[row] as number;
        block.firstResponseSeconds[i] = columns.firstResponseSeconds[row] as number;
        block.handleSeconds[i] = columns.handleSeconds[row] as number;
        block.valid[i] = columns.valid[row] as number;
        block.rating[i] = columns.rating[row] as number;
      }
      touched.add(this.count(source, day, block));
      const dayText = civilFromDays(day);
      const row = encodeBlock({ importId: this.importId, source, day: dayText }, block);
      const { id } = await this.db.insertInto('conversation_blocks').values(row).returning('id').executeTakeFirstOrThrow();
      (await this.headsOf(source)).push({ id, importId: this.importId, source, day: dayText, firstId: row.first_id, lastId: row.last_id });
      this.cache(id, block.externalIds);
    }
  }

  /** Adds a block's conversations onto its agents' totals for its source and day (summed per agent in columns first); returns the day's key. */
  private count(source: string, day: number, block: NewBlockColumns): string {
    const dayKey = `${day}\u0000${source}`;
    let agents = this.totals.get(dayKey);
    if (!agents) this.totals.set(dayKey, (agents = new Map()));
    const sums = this.blockSums.sum(block);
    for (let k = 0; k < sums.agents.length; k++) {
      const employeeId = sums.agents[k] as number;
      let total = agents.get(employeeId);
      if (!total) {
        total = {
          employeeId,
          day,
          source,
          conversations: 0,
          valid: 0,
          firstResponseSum: 0,
          firstResponseCount: 0,
          ratingSum: 0,
          ratingCount: 0,
        };
        agents.set(employeeId, total);
      }
      total.conversations += sums.conversations[k] as number;
      total.valid += sums.valid[k] as number;
      total.firstResponseSum += sums.firstResponseSum[k] as number;
      total.firstResponseCount += sums.firstResponseCount[k] as number;
      total.ratingSum += sums.ratingSum[k] as number;
      total.ratingCount += sums.ratingCount[k] as number;
    }
    return dayKey;
  }

  private async headsOf(source: string): Promise<BlockHead[]> {
    let heads = this.heads.get(source);
    if (!heads) this.heads.set(source, (heads = await blockHeads(this.db, source)));
    return heads;
  }

  private async storedIds(blockId: number): Promise<readonly string[]> {
    const cached = this.cachedIds.get(blockId);
    if (cached instanceof Float64Array) {
      const texts = Array.from(cached, String);
      this.cachedIds.set(blockId, texts);
      return texts;
    }
    if (cached) return cached;
    const ids = (await loadBlock(this.db, blockId)).columns.externalIds;
    this.cache(blockId, ids);
    return ids;
  }

  /** Keeps a block's ids, forgetting the oldest beyond the cache limit (they are read again when needed). */
  private cache(blockId: number, ids: ExternalIdList): void {
    this.cachedIds.set(blockId, ids);
    this.cachedCount += ids.length;
    for (const [id, old] of this.cachedIds) {
      if (this.cachedCount <= this.cacheLimit || id === blockId) break;
      this.cachedIds.delete(id);
      this.cachedCount -= old.length;
    }
  }
}

/**
 * A batch's external ids. When every one is a decimal integer of the same number of digits without
 * a leading zero (help desks number conversations so), they are kept as numbers — the same order as
 * their text — and no string is made per row; otherwise as strings.
 */
class BatchIds {
  readonly numbers: Float64Array | null;
  private readonly strings: string[] | null;

  constructor(columns: ConversationColumns) {
    this.numbers = columns.externalIdNumbers ?? numbersOf(columns);
    this.strings = this.numbers ? null : stringsOf(columns);
  }

  text(row: number): string {
    return this.numbers ? String(this.numbers[row]) : ((this.strings as string[])[row] as string);
  }

  same(a: number, b: number): boolean {
    return this.numbers ? this.numbers[a] === this.numbers[b] : (this.strings as string[])[a] === (this.strings as string[])[b];
  }

  compare(a: number, b: number): number {
    if (this.numbers) return (this.numbers[a] as number) - (this.numbers[b] as number);
    return compareIds((this.strings as string[])[a] as string, (this.strings as string[])[b] as string);
  }

  /** The ids of these rows, in this order. */
  pick(rows: Uint32Array): ExternalIdList {
    if (this.numbers) {
      const out = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = this.numbers[rows[i] as number] as number;
      return out;
    }
    const strings = this.strings as string[];
    return Array.from(rows, (row) => strings[row] as string);
  }
}

function numbersOf(columns: ConversationColumns): Float64Array | null {
  const { externalIds: text, externalIdEnds: ends, length: n } = columns;
  const width = n > 0 ? (ends[0] as number) : 0;
  const out = new Float64Array(n);
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = ends[i] as number;
    const value = end - start === width ? numberedIdValue(text, start, end) : NaN;
    if (value !== value) return null;
    out[i] = value;
    start = end;
  }
  return n > 0 ? out : null;
}

function stringsOf(columns: ConversationColumns): string[] {
  const ids = new Array<string>(columns.length);
  let start = 0;
  for (let i = 0; i < columns.length; i++) {
    const end = columns.externalIdEnds[i] as number;
    ids[i] = columns.externalIds.slice(start, end);
    start = end;
  }
  return ids;
}

interface DayGroup {
  source: number;
  day: number;
  rows: Uint32Array;
}

/** The kept rows (in `order`) grouped by China day and source, each group keeping that order. */
function groupByDay(columns: ConversationColumns, order: Uint32Array, keep: Uint8Array): DayGroup[] {
  const keys = new Float64Array(order.length);
  const counts = new Map<number, number>();
  let lastKey = NaN;
  let lastCount = 0;
  for (let k = 0; k < order.length; k++) {
    const row = order[k] as number;
    if (!keep[row]) {
      keys[k] = NaN;
      continue;
    }
    const key = chinaDayNumber(columns.startedAt[row] as number) * 4096 + (columns.sourceCodes[row] as number);
    keys[k] = key;
    if (key !== lastKey) {
      if (lastKey === lastKey) counts.set(lastKey, lastCount);
      lastKey = key;
      lastCount = counts.get(key) ?? 0;
    }
    lastCount++;
  }
  if (lastKey === lastKey) counts.set(lastKey, lastCount);
  const groups = new Map<number, { group: DayGroup; filled: number }>();
  for (const [key, count] of counts) {
    groups.set(key, { group: { source: key % 4096, day: Math.floor(key / 4096), rows: new Uint32Array(count) }, filled: 0 });
  }
  let current: { group: DayGroup; filled: number } | undefined;
  lastKey = NaN;
  for (let k = 0; k < order.length; k++) {
    const key = keys[k] as number;
    if (key !== key) continue;
    if (key !== lastKey) {
      current = groups.get(key);
      lastKey = key;
    }
    const target = current as { group: DayGroup; filled: number };
    target.group.rows[target.filled++] = order[k] as number;
  }
  return [...groups.values()].map((g) => g.group);
}

/**
 * Per-agent sums of one block, through a slot per employee id (ids are small integers): a few
 * typed-array writes per conversation instead of a map lookup each.
 */
class BlockSums {
  private slotOf = new Int32Array(0);
  agents: number[] = [];
  conversations = new Float64Array(0);
  valid = new Float64Array(0);
  firstResponseSum = new Float64Array(0);
  firstResponseCount = new Float64Array(0);
  ratingSum = new Float64Array(0);
  ratingCount = new Float64Array(0);

  sum(block: NewBlockColumns): this {
    const n = block.employeeIds.length;
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, block.employeeIds[i] as number);
    if (this.slotOf.length <= max) this.slotOf = new Int32Array(max + 1).fill(-1);
    for (const columns of ['conversations', 'valid', 'firstResponseSum', 'firstResponseCount', 'ratingSum', 'ratingCount'] as const) {
      if (this[columns].length < n) this[columns] = new Float64Array(n);
      else this[columns].fill(0, 0, n);
    }
    const slotOf = this.slotOf;
    const agents: number[] = [];
    for (let i = 0; i < n; i++) {
      const employeeId = block.employeeIds[i] as number;
      let slot = slotOf[employeeId] as number;
      if (slot < 0) {
        slot = agents.length;
        agents.push(employeeId);
        slotOf[employeeId] = slot;
      }
      this.conversations[slot] = (this.conversations[slot] as number) + 1;
      this.valid[slot] = (this.valid[slot] as number) + (block.valid[i] as number);
      const frt = block.firstResponseSeconds[i] as number;
      if (frt === frt) {
        this.firstResponseSum[slot] = (this.firstResponseSum[slot] as number) + frt;
        this.firstResponseCount[slot] = (this.firstResponseCount[slot] as number) + 1;
      }
      const rating = block.rating[i] as number;
      if (rating !== 0) {
        this.ratingSum[slot] = (this.ratingSum[slot] as number) + rating;
        this.ratingCount[slot] = (this.ratingCount[slot] as number) + 1;
      }
    }
    for (const employeeId of agents) slotOf[employeeId] = -1;
    this.agents = agents;
    return this;
  }
}

/** Row indices in (source code, external id, row) order; the identity when the batch already is. */
function idOrder(sources: Uint32Array, ids: BatchIds): Uint32Array {
  const n = sources.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) {
    const s = (sources[i - 1] as number) - (sources[i] as number);
    sorted = s < 0 || (s === 0 && ids.compare(i - 1, i) < 0);
  }
  if (sorted) return order;
  return order.sort((a, b) => (sources[a] as number) - (sources[b] as number) || ids.compare(a, b) || a - b);
}

/** The first position in `rows` (ascending by id) whose id is ≥ `id`. */
function lowerBound(rows: Uint32Array, ids: BatchIds, id: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids.text(rows[mid] as number) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
