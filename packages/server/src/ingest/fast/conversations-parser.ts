/**
 * The conversations fast path: reads CSV bytes straight into columns (typed arrays and per-batch
 * dictionaries), making strings only for external ids (one string per batch) and for the first
 * sight of each source or agent. The formats people write most (digits, "2026-10-08 09:12:33",
 * ISO 8601, 是/否, 1–5) are read from the bytes; anything else goes through the same cell readers
 * as the general path, so both paths accept and refuse exactly the same values.
 */
import { HeaderIndex, matchHeader } from '../headers.js';
import { type Reason, type RowProblem, problem, reason } from '../problems.js';
import { type CsvScanner, ESCAPED, RecordSplitter } from '../csv.js';
import { conversations as spec, parseExternalId } from '../kinds/conversations.js';
import { parseSource } from '../kinds/spec.js';
import { headerColumns } from '../table.js';
import type { ConversationColumns } from '../types.js';
import {
  CHINA_OFFSET_MINUTES,
  MAX_NUMBER,
  MAX_NUMBERED_ID_DIGITS,
  type Parsed,
  daysFromCivil,
  parseBoolean,
  parseInstant,
  parseRating,
  parseSeconds,
  parseText,
} from '../values.js';

export interface FastBatch {
  columns: ConversationColumns;
  problems: RowProblem[];
  headers: Record<string, string>;
  /** Data rows read so far (valid or not). */
  rowsRead: number;
}

// Column ids (plain constants: they are compared in the hottest loop).
const SOURCE = 0;
const EXTERNAL_ID = 1;
const AGENT = 2;
const STARTED_AT = 3;
const FIRST_RESPONSE = 4;
const HANDLE = 5;
const VALID = 6;
const RATING = 7;
const IGNORED = -1;
type Col = number;

const FIELD_ORDER = ['source', 'externalId', 'agent', 'startedAt', 'firstResponseSeconds', 'handleSeconds', 'valid', 'rating'] as const;
const HEADER_SEARCH_ROWS = 20;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const DIGIT0 = 0x30;
const PARSE_CACHE_LIMIT = 100_000;

const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const digits2 = (b: Uint8Array, i: number) => ((b[i] as number) - DIGIT0) * 10 + ((b[i + 1] as number) - DIGIT0);

function allDigits(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isDigit(b[i])) return false;
  return true;
}

/** Buffer's own latin1Slice (one byte, one character): the cheapest way from ASCII bytes to a string. */
type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };
const latin1 = (b: Buffer, start: number, end: number): string => (b as Latin1Buffer).latin1Slice(start, end);

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads "YYYY-MM-DD HH:MM:SS" or "YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]" from bytes to epoch ms
 * (whole seconds); NaN when the text has another shape (the caller falls back), or -1 for a
 * date that has the shape but does not exist (the fallback gives the reason). Rows of one day
 * share their date: the last date's bytes and day number are kept and reused.
 */
export class InstantReader {
  private readonly lastDate = new Uint8Array(10);
  private lastDays = NaN;

  read(b: Uint8Array, s: number, e: number): number {
    if (e - s < 19 || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a) return NaN;
    const sep = b[s + 10];
    if (sep !== SPACE && sep !== 0x54) return NaN;
    let days = this.lastDays;
    const ld = this.lastDate;
    if (
      days !== days ||
      b[s + 9] !== ld[9] ||
      b[s + 8] !== ld[8] ||
      b[s + 6] !== ld[6] ||
      b[s + 5] !== ld[5] ||
      b[s + 3] !== ld[3] ||
      b[s + 2] !== ld[2] ||
      b[s + 1] !== ld[1] ||
      b[s] !== ld[0] ||
      b[s + 4] !== ld[4] ||
      b[s + 7] !== ld[7]
    ) {
      days = readDays(b, s);
      if (!(days >= -1e9)) return days; // NaN (shape) or -Infinity (no such day)
      for (let i = 0; i < 10; i++) ld[i] = b[s + i] as number;
      this.lastDays = days;
    }
    const h1 = ((b[s + 11] as number) - DIGIT0) >>> 0;
    const h2 = ((b[s + 12] as number) - DIGIT0) >>> 0;
    const i1 = ((b[s + 14] as number) - DIGIT0) >>> 0;
    const i2 = ((b[s + 15] as number) - DIGIT0) >>> 0;
    const s1 = ((b[s + 17] as number) - DIGIT0) >>> 0;
    const s2 = ((b[s + 18] as number) - DIGIT0) >>> 0;
    if (h1 > 9 || h2 > 9 || i1 > 9 || i2 > 9 || s1 > 9 || s2 > 9) return NaN;
    let i = s + 19;
    if (i < e && b[i] === 0x2e) {
      i++;
      const start = i;
      while (i < e && isDigit(b[i])) i++;
      if (i === start) return NaN;
    }
    let offset = CHINA_OFFSET_MINUTES;
    if (i < e) {
      const c = b[i];
      if (c === 0x5a && i + 1 === e) offset = 0;
      else if ((c === 0x2b || c === 0x2d) && e - i === 6 && b[i + 3] === 0x3a && allDigits(b, i + 1, i + 3) && allDigits(b, i + 4, i + 6)) {
        offset = (c === 0x2d ? -1 : 1) * (digits2(b, i + 1) * 60 + digits2(b, i + 4));
      } else return NaN;
    }
    const hour = h1 * 10 + h2;
    const minute = i1 * 10 + i2;
    const second = s1 * 10 + s2;
    if (hour > 23 || minute > 59 || second > 59) return -1;
    return (((days * 24 + hour) * 60 + minute - offset) * 60 + second) * 1000;
  }
}

/** Days since 1970 of "YYYY-MM-DD" at b[s]; NaN for another shape, -Infinity for a day that does not exist. */
function readDays(b: Uint8Array, s: number): number {
  if (b[s + 4] !== 0x2d || b[s + 7] !== 0x2d) return NaN;
  const y1 = ((b[s] as number) - DIGIT0) >>> 0;
  const y2 = ((b[s + 1] as number) - DIGIT0) >>> 0;
  const y3 = ((b[s + 2] as number) - DIGIT0) >>> 0;
  const y4 = ((b[s + 3] as number) - DIGIT0) >>> 0;
  const m1 = ((b[s + 5] as number) - DIGIT0) >>> 0;
  const m2 = ((b[s + 6] as number) - DIGIT0) >>> 0;
  const d1 = ((b[s + 8] as number) - DIGIT0) >>> 0;
  const d2 = ((b[s + 9] as number) - DIGIT0) >>> 0;
  if (y1 > 9 || y2 > 9 || y3 > 9 || y4 > 9 || m1 > 9 || m2 > 9 || d1 > 9 || d2 > 9) return NaN;
  const year = y1 * 1000 + y2 * 100 + y3 * 10 + y4;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return -Infinity;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (DAYS_IN_MONTH[month - 1] as number) + (leap ? 1 : 0)) return -Infinity;
  return daysFromCivil(year, month, day);
}

/** One-off form of InstantReader.read (tests). */
export function instantFromBytes(b: Uint8Array, s: number, e: number): number {
  return new InstantReader().read(b, s, e);
}

/** Reads digits with an optional fraction ("35", "11.2") as seconds; NaN for any other shape. */
export function secondsFromBytes(b: Uint8Array, text: Buffer, s: number, e: number): number {
  if (s >= e) return NaN;
  let value = 0;
  let i = s;
  for (; i < e; i++) {
    const c = b[i] as number;
    if (c === 0x2e) break;
    if (c < 0x30 || c > 0x39) return NaN;
    value = value * 10 + (c - DIGIT0);
  }
  if (i === s) return NaN;
  if (i < e) {
    if (i + 1 === e || !allDigits(b, i + 1, e)) return NaN;
    // A fraction: let the runtime round the decimal text, exactly as Number() does on the slow path.
    value = Number(latin1(text, s, e));
  }
  return value > MAX_NUMBER ? NaN : value;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * A column of repeated strings (source, agent): a hash table from the cell's bytes to its parsed
 * value, and each value's code in the current batch's dictionary. Cells are compared as bytes, so
 * no string is made for a value seen before. `lookup` answers the code (≥ 0) or, for a refused
 * value, a negative number whose reason `why` gives.
 */
class Dictionary {
  private slots = new Int32Array(1024).fill(-1);
  private hashes = new Uint32Array(256);
  private offsets = new Uint32Array(256);
  private lengths = new Uint32Array(256);
  private batchOf = new Int32Array(256);
  private codeOf = new Int32Array(256);
  private values: (string | null)[] = [];
  private whys: (Reason | null)[] = [];
  private pool = Buffer.allocUnsafe(1 << 14);
  /** The pool as a plain Uint8Array, for the comparisons (see CsvScanner.bytes). */
  private poolBytes = new Uint8Array(this.pool.buffer, this.pool.byteOffset, this.pool.length);
  private poolLength = 0;
  private last = -1;
  dict: string[] = [];

  constructor(
    private readonly parse: (text: string) => Parsed<string>,
    /** Values usually repeat row after row (source): compare with the last one before hashing. */
    private readonly repeats: boolean,
  ) {}

  lookup(buf: Uint8Array, text: Buffer, s: number, e: number, batch: number): number {
    const len = e - s;
    const pool = this.poolBytes;
    const last = this.last;
    if (this.repeats && last >= 0 && this.lengths[last] === len) {
      const off = this.offsets[last] as number;
      let i = 0;
      while (i < len && buf[s + i] === pool[off + i]) i++;
      if (i === len) return this.code(last, batch);
    }
    let h = FNV_OFFSET;
    for (let i = s; i < e; i++) h = Math.imul(h ^ (buf[i] as number), FNV_PRIME);
    return this.lookupHashed(buf, text, s, e, h >>> 0, batch);
  }

  /**
   * When the bytes at `s` are the last value looked up and a delimiter (or `end`) follows them: the
   * cell's end; else -1. A column whose value repeats row after row (source) is then read without
   * looking for its end first.
   */
  repeatEnd(buf: Uint8Array, s: number, end: number, delimiter: number): number {
    const last = this.last;
    if (last < 0) return -1;
    const len = this.lengths[last] as number;
    const e = s + len;
    if (e > end || (e < end && buf[e] !== delimiter)) return -1;
    const pool = this.poolBytes;
    const off = this.offsets[last] as number;
    for (let i = 0; i < len; i++) if (buf[s + i] !== pool[off + i]) return -1;
    return e;
  }

  /** The code of the last value looked up (after `repeatEnd` found it again). */
  lastCode(batch: number): number {
    return this.code(this.last, batch);
  }

  /** `lookup` for a cell whose FNV-1a hash the caller computed while reading it. */
  lookupHashed(buf: Uint8Array, text: Buffer, s: number, e: number, h: number, batch: number): number {
    const len = e - s;
    const pool = this.poolBytes;
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const at = slots[slot] as number;
      if (at < 0) break;
      if (this.hashes[at] === h && this.lengths[at] === len) {
        const off = this.offsets[at] as number;
        let i = 0;
        while (i < len && buf[s + i] === pool[off + i]) i++;
        if (i === len) {
          this.last = at;
          return this.code(at, batch);
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.code(this.add(buf, s, e, h, text.toString('utf8', s, e)), batch);
  }

  /** The same for a cell already decoded (escaped quotes, or non-ASCII at its ends that only the string path trims). */
  lookupText(text: string, batch: number): number {
    const bytes = Buffer.from(text, 'utf8');
    return this.lookup(bytes, bytes, 0, bytes.length, batch);
  }

  /** Why the value behind a negative lookup result is refused. */
  why(result: number): Reason {
    return this.whys[-1 - result] as Reason;
  }

  private add(buf: Uint8Array, s: number, e: number, hash: number, text: string): number {
    if (this.values.length >= PARSE_CACHE_LIMIT) this.clear();
    const parsed = this.parse(text);
    const at = this.values.length;
    if (at === this.hashes.length) {
      const grow = <T extends Uint32Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.hashes = grow(this.hashes);
      this.offsets = grow(this.offsets);
      this.lengths = grow(this.lengths);
      this.batchOf = grow(this.batchOf);
      this.codeOf = grow(this.codeOf);
    }
    const len = e - s;
    if (this.poolLength + len > this.pool.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.pool.length * 2, this.poolLength + len));
      this.pool.copy(bigger, 0, 0, this.poolLength);
      this.pool = bigger;
      this.poolBytes = new Uint8Array(bigger.buffer, bigger.byteOffset, bigger.length);
    }
    this.poolBytes.set(buf.subarray(s, e), this.poolLength);
    this.values.push(parsed.ok ? parsed.value : null);
    this.whys.push(parsed.ok ? null : parsed.reason);
    this.hashes[at] = hash;
    this.offsets[at] = this.poolLength;
    this.lengths[at] = len;
    this.batchOf[at] = -1;
    this.poolLength += len;
    if (this.values.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(at);
    this.last = at;
    return at;
  }

  private place(at: number): void {
    const mask = this.slots.length - 1;
    let slot = (this.hashes[at] as number) & mask;
    while ((this.slots[slot] as number) >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = at;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(-1);
    for (let at = 0; at < this.values.length; at++) this.place(at);
  }

  private clear(): void {
    this.values = [];
    this.whys = [];
    this.slots.fill(-1);
    this.poolLength = 0;
    this.last = -1;
  }

  private code(at: number, batch: number): number {
    if (this.batchOf[at] === batch) return this.codeOf[at] as number;
    const value = this.values[at] as string | null;
    if (value === null) return -1 - at;
    this.batchOf[at] = batch;
    const code = this.dict.length;
    this.codeOf[at] = code;
    this.dict.push(value);
    return code;
  }

  /** A new batch: codes start again from 0. */
  reset(): void {
    this.dict = [];
  }
}

class ColumnBuilder {
  length = 0;
  rows: Uint32Array;
  sourceCodes: Uint32Array;
  agentCodes: Uint32Array;
  externalIdEnds: Uint32Array;
  startedAt: Float64Array;
  firstResponseSeconds: Float64Array;
  handleSeconds: Float64Array;
  valid: Uint8Array;
  rating: Uint8Array;
  idBytes: Buffer;
  idView: Uint8Array;
  idLength = 0;
  /** External ids that are not plain ASCII (escaped quotes, non-ASCII): stored as strings. */
  idStrings: (string | undefined)[] | null = null;
  /** The ids as numbers while every one so far is a decimal integer of `numberedWidth` digits without a leading zero. */
  idNumbers: Float64Array;
  /** -1: no id yet; 0: not all numbered; else their common width. */
  numberedWidth = -1;

  constructor(readonly capacity: number) {
    this.rows = new Uint32Array(capacity);
    this.sourceCodes = new Uint32Array(capacity);
    this.agentCodes = new Uint32Array(capacity);
    this.externalIdEnds = new Uint32Array(capacity);
    this.startedAt = new Float64Array(capacity);
    this.firstResponseSeconds = new Float64Array(capacity);
    this.handleSeconds = new Float64Array(capacity);
    this.valid = new Uint8Array(capacity);
    this.rating = new Uint8Array(capacity);
    this.idNumbers = new Float64Array(capacity);
    this.idBytes = Buffer.allocUnsafe(capacity * 16);
    this.idView = new Uint8Array(this.idBytes.buffer, this.idBytes.byteOffset, this.idBytes.length);
  }

  /** Ends row `length` (its id added first with `addId`). */
  add(row: number, source: number, agent: number, started: number, frt: number, handle: number, valid: number, rating: number): void {
    const i = this.length;
    this.rows[i] = row;
    this.sourceCodes[i] = source;
    this.agentCodes[i] = agent;
    this.startedAt[i] = started;
    this.firstResponseSeconds[i] = frt;
    this.handleSeconds[i] = handle;
    this.valid[i] = valid;
    this.rating[i] = rating;
    this.length = i + 1;
  }

  /** The id of row `length`; `number`: its value when it is a numbered id (see idNumbers), else NaN. */
  addId(bytes: Uint8Array, buf: Buffer, s: number, e: number, text: string | null, number = NaN): void {
    if (this.numberedWidth !== 0) {
      const width = e - s;
      if (text === null && number === number && (this.numberedWidth === -1 || this.numberedWidth === width)) {
        this.numberedWidth = width;
        this.idNumbers[this.length] = number;
      } else this.numberedWidth = 0;
    }
    if (text !== null) {
      if (!this.idStrings) this.idStrings = [];
      this.idStrings[this.length] = text;
      this.externalIdEnds[this.length] = this.idLength;
      return;
    }
    const need = this.idLength + (e - s);
    if (need > this.idBytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.idBytes.length * 2));
      this.idBytes.copy(bigger, 0, 0, this.idLength);
      this.idBytes = bigger;
      this.idView = new Uint8Array(bigger.buffer, bigger.byteOffset, bigger.length);
    }
    const ids = this.idView;
    if (e - s <= 32) for (let i = s, j = this.idLength; i < e; i++, j++) ids[j] = bytes[i] as number;
    else ids.set(bytes.subarray(s, e), this.idLength);
    this.idLength = need;
    this.externalIdEnds[this.length] = need;
  }

  finish(sourceDict: string[], agentDict: string[]): ConversationColumns {
    const n = this.length;
    let externalIds: string;
    let ends: Uint32Array;
    if (this.idStrings) {
      // Rare: some ids were not plain ASCII. Build the joined string with character offsets.
      const parts: string[] = [];
      ends = new Uint32Array(n);
      let at = 0;
      let prev = 0;
      for (let i = 0; i < n; i++) {
        const own = this.idStrings[i];
        let id: string;
        if (own !== undefined) id = own;
        else {
          const end = this.externalIdEnds[i] as number;
          id = latin1(this.idBytes, prev, end);
          prev = end;
        }
        parts.push(id);
        at += id.length;
        ends[i] = at;
      }
      externalIds = parts.join('');
    } else {
      externalIds = latin1(this.idBytes, 0, this.idLength);
      ends = this.externalIdEnds;
    }
    // A full batch hands its arrays over as they are; a short one copies what it used.
    const cut = <T extends Uint32Array | Float64Array | Uint8Array>(a: T): T => (n === a.length ? a : (a.slice(0, n) as T));
    const columns: ConversationColumns = {
      length: n,
      rows: cut(this.rows),
      sourceDict,
      sourceCodes: cut(this.sourceCodes),
      agentDict,
      agentCodes: cut(this.agentCodes),
      externalIds,
      externalIdEnds: cut(ends),
      startedAt: cut(this.startedAt),
      firstResponseSeconds: cut(this.firstResponseSeconds),
      handleSeconds: cut(this.handleSeconds),
      valid: cut(this.valid),
      rating: cut(this.rating),
    };
    if (this.numberedWidth > 0) columns.externalIdNumbers = cut(this.idNumbers);
    return columns;
  }
}

export class ConversationsCsvParser {
  private readonly splitter: RecordSplitter;
  private readonly index = new HeaderIndex(headerColumns(spec));
  private cols: Col[] | null = null;
  private blankHeader: boolean[] = [];
  private headerCells = 0;
  private headers: Record<string, string> = {};
  private fieldRank = new Map<string, number>();
  private headerTexts: string[] = [];
  private headerBroken = false;
  private present = new Uint8Array(8);
  /** The header's columns when lines may be read by `plainLine` (a sound header with every required column), else null. */
  private fastCols: Int8Array | null = null;
  private early: { row: number; cells: string[] }[] = [];
  private readonly sources = new Dictionary(parseSource, true);
  private readonly agents = new Dictionary(parseText, false);
  private readonly instants = new InstantReader();
  private builder: ColumnBuilder;
  private batchNo = 0;
  private problems: RowProblem[] = [];
  private sinceFlush = 0;
  rowsRead = 0;

  constructor(
    private readonly file: string,
    private readonly batchSize: number,
    private readonly emit: (batch: FastBatch) => void,
  ) {
    this.builder = new ColumnBuilder(batchSize);
    this.splitter = new RecordSplitter(
      (buf, row, scanner) => this.record(buf, row, scanner),
      (buf, bytes, start, limit, row) => this.plainLine(buf, bytes, start, limit, row),
    );
  }

  push(chunk: Buffer): void {
    this.splitter.push(chunk);
  }

  end(): void {
    this.splitter.end();
    if (!this.cols) {
      const first = this.early[0];
      if (first) {
        this.startHeader(first.cells, first.row);
        for (const r of this.early.slice(1)) this.stringRow(r.row, r.cells);
      } else {
        this.problems.push(
          problem(
            this.file,
            0,
            '',
            null,
            reason('the file is empty: no header row and no data', '文件是空的:没有表头也没有数据'),
            'no_header',
          ),
        );
      }
    }
    this.flush();
  }

  /** Adds a problem found outside the rows (an encoding error) to the next batch. */
  addProblem(p: RowProblem): void {
    this.problems.push(p);
  }

  flush(): void {
    const columns = this.builder.finish(this.sources.dict, this.agents.dict);
    const batch: FastBatch = { columns, problems: this.problems, headers: this.headers, rowsRead: this.rowsRead };
    this.batchNo++;
    this.builder = new ColumnBuilder(this.batchSize);
    this.sources.reset();
    this.agents.reset();
    this.problems = [];
    this.sinceFlush = 0;
    this.emit(batch);
  }

  private startHeader(cells: string[], row: number): void {
    const match = matchHeader(cells, this.index, this.file, row);
    this.problems.push(...match.problems);
    this.headerBroken = match.problems.length > 0;
    this.headers = match.headers;
    this.fieldRank = new Map(
      Object.entries(match.headers).map(([key, header]) => [header, FIELD_ORDER.indexOf(key as (typeof FIELD_ORDER)[number])]),
    );
    this.blankHeader = match.blank;
    this.headerCells = cells.length;
    this.headerTexts = cells.map((c) => c.trim());
    this.cols = match.keys.map((key) => (key === null ? IGNORED : FIELD_ORDER.indexOf(key as (typeof FIELD_ORDER)[number])));
    this.present.fill(0);
    for (const c of this.cols) if (c !== IGNORED) this.present[c] = 1;
    const required = [SOURCE, EXTERNAL_ID, AGENT, STARTED_AT].every((c) => this.present[c] === 1);
    this.fastCols = required && !this.headerBroken ? Int8Array.from(this.cols) : null;
  }

  /**
   * A plain line (no quotes) read in one go when every cell has the shape exports write: required
   * cells filled, no spaces or non-ASCII at a cell's ends, whole-second durations, 是/否/1/0, ratings
   * 1–5, as many cells as the header, ending in LF or CRLF before `limit`. Returns the position after
   * the line. Anything else — and every problem — returns -1 with nothing recorded, and the line is
   * read by the tokenizer and `dataRow`, which accept the same values. Cells end at the delimiter or
   * at any byte up to CR (LF, CR, a tab in a comma file …): what that byte is is looked at after.
   */
  private plainLine(buf: Buffer, b: Uint8Array, start: number, limit: number, row: number): number {
    const cols = this.fastCols;
    if (cols === null) return -1;
    const delimiter = this.splitter.scanner.delimiter;
    const batch = this.batchNo;
    let source = -1;
    let agent = -1;
    let idStart = 0;
    let idEnd = 0;
    let idNumber = NaN;
    let started = NaN;
    let frt = NaN;
    let handle = NaN;
    let valid = 1;
    let rating = 0;
    const last = cols.length - 1;
    let p = start;
    for (let f = 0; f <= last; f++) {
      const col = cols[f] as number;
      const s = p;
      let hash = FNV_OFFSET;
      let number = 0;
      let digits = true;
      let known = -1;
      if (col === AGENT) {
        // The agent column varies row to row: hash it while finding its end.
        for (let c = b[p] as number; p < limit && c !== delimiter && c > CR; c = b[++p] as number) hash = Math.imul(hash ^ c, FNV_PRIME);
      } else if (col === EXTERNAL_ID || col === FIRST_RESPONSE || col === HANDLE) {
        // Read as a number while finding the end; `digits` says whether it was one.
        for (let c = b[p] as number; p < limit && c !== delimiter && c > CR; c = b[++p] as number) {
          const d = c - DIGIT0;
          if (d >= 0 && d <= 9) number = number * 10 + d;
          else digits = false;
        }
      } else if (col === SOURCE && (known = this.sources.repeatEnd(b, p, limit, delimiter)) >= 0) {
        p = known; // the source of the row before
      } else if (col === STARTED_AT && p + 19 < limit && b[p + 19] === delimiter && (started = this.instants.read(b, p, p + 19)) >= 0) {
        p += 19; // "YYYY-MM-DD HH:MM:SS", read already
      } else {
        for (let c = b[p] as number; p < limit && c !== delimiter && c > CR; c = b[++p] as number);
      }
      const e = p;
      if (p === limit) return -1; // a quote ahead, or the line goes on in the next chunk
      const stop = b[p] as number;
      if (f < last) {
        if (stop !== delimiter) return -1; // fewer cells than the header, or a control byte
        p++;
      } else if (stop === LF) p++;
      else if (stop === CR && p + 1 < limit && b[p + 1] === LF) p += 2;
      else return -1; // more cells than the header, or a control byte
      if (s === e) {
        if (col >= SOURCE && col <= STARTED_AT) return -1; // a required cell is empty
        continue;
      }
      if (col === IGNORED) {
        if (this.blankHeader[f]) return -1;
        continue;
      }
      const first = b[s] as number;
      const final = b[e - 1] as number;
      if (col === VALID) {
        const len = e - s;
        if (len === 1 && (first === 0x31 || first === 0x30)) valid = first === 0x31 ? 1 : 0;
        else if (len === 3 && first === 0xe6 && b[s + 1] === 0x98 && final === 0xaf)
          valid = 1; // 是
        else if (len === 3 && first === 0xe5 && b[s + 1] === 0x90 && final === 0xa6)
          valid = 0; // 否
        else return -1;
        continue;
      }
      if (first <= SPACE || final <= SPACE || first >= 0x80 || final >= 0x80) return -1;
      switch (col) {
        case SOURCE:
          source = known >= 0 ? this.sources.lastCode(batch) : this.sources.lookup(b, buf, s, e, batch);
          if (source < 0) return -1;
          break;
        case AGENT:
          agent = this.agents.lookupHashed(b, buf, s, e, hash >>> 0, batch);
          if (agent < 0) return -1;
          break;
        case EXTERNAL_ID: {
          if (e - s > 200) return -1;
          if (!digits) {
            for (let i = s; i < e; i++) {
              const c = b[i] as number;
              if (c < 0x20 || c >= 0x7f) return -1;
            }
          }
          idStart = s;
          idEnd = e;
          idNumber = digits && e - s <= MAX_NUMBERED_ID_DIGITS && (e - s === 1 || first !== DIGIT0) ? number : NaN;
          break;
        }
        case STARTED_AT:
          if (!(started >= 0)) started = this.instants.read(b, s, e);
          if (!(started >= 0)) return -1;
          break;
        case FIRST_RESPONSE:
        case HANDLE:
          if (!digits || number > MAX_NUMBER) return -1;
          if (col === FIRST_RESPONSE) frt = number;
          else handle = number;
          break;
        case RATING:
          if (e - s === 1 && first >= 0x31 && first <= 0x35) rating = first - DIGIT0;
          else return -1;
          break;
      }
    }
    this.rowsRead++;
    this.sinceFlush++;
    this.builder.addId(b, buf, idStart, idEnd, null, idNumber);
    this.builder.add(row, source, agent, started, frt, handle, valid, rating);
    this.flushWhenFull();
    return p;
  }

  private record(buf: Buffer, row: number, sc: CsvScanner): void {
    if (this.cols !== null) {
      this.dataRow(buf, row, sc);
      return;
    }
    // Before the header: rows as text, until one looks like the header (titles may come first).
    const cells: string[] = [];
    for (let f = 0; f < sc.count; f++) cells.push(sc.text(buf, f));
    if (cells.every((c) => c.trim() === '')) return;
    this.early.push({ row, cells });
    if (this.index.looksLikeHeader(cells)) {
      this.startHeader(cells, row);
      this.early = [];
    } else if (this.early.length >= HEADER_SEARCH_ROWS) {
      const [first, ...rest] = this.early;
      this.early = [];
      this.startHeader((first as { cells: string[] }).cells, (first as { row: number }).row);
      for (const r of rest) this.stringRow(r.row, r.cells);
    }
  }

  /** A data row met before the header was known (titles above the header): encode it and read it as bytes. */
  private stringRow(row: number, cells: string[]): void {
    const line = cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
    const buf = Buffer.from(line, 'utf8');
    const splitter = new RecordSplitter((b, _r, sc) => this.dataRow(b, row, sc));
    splitter.push(buf);
    splitter.end();
  }

  private bad(row: number, column: number | string, value: string | null, why: Reason, code: RowProblem['code'] = 'invalid'): void {
    const name = typeof column === 'string' ? column : (this.headerTexts[column] ?? '');
    this.problems.push(problem(this.file, row, name, value, why, code));
  }

  /** The text of a cell for the string path; null when it is only white space (an empty cell). */
  private cellText(buf: Buffer, sc: CsvScanner, f: number): string | null {
    const text = sc.text(buf, f);
    return text.trim() === '' ? null : text;
  }

  private dataRow(buf: Buffer, row: number, sc: CsvScanner): void {
    const bytes = sc.bytes;
    const cols = this.cols as Col[];
    const n = sc.count;
    const starts = sc.starts;
    const ends = sc.ends;
    const quoted = sc.quoted;
    const kinds = sc.kinds;
    // A line of empty cells (",,,,") is skipped like a blank line.
    let f0 = 0;
    while (f0 < n && (ends[f0] as number) === (starts[f0] as number)) f0++;
    if (f0 === n) return;
    this.rowsRead++;
    this.sinceFlush++;
    const before = this.problems.length;
    if (sc.malformed) this.bad(row, '', null, reason('malformed quotes in this row', '此行的引号格式不正确'), 'bad_row');

    let source = -1;
    let agent = -1;
    let idStart = 0;
    let idEnd = 0;
    let idText: string | null = null;
    let hasId = false;
    let started = NaN;
    let frt = NaN;
    let handle = NaN;
    let valid = 1;
    let rating = 0;
    const batch = this.batchNo;

    const limit = n < cols.length ? n : cols.length;
    for (let f = 0; f < limit; f++) {
      const col = cols[f] as Col;
      let s = starts[f] as number;
      let e = ends[f] as number;
      if (col === IGNORED) {
        if (e > s && this.blankHeader[f] && sc.text(buf, f).trim() !== '') {
          this.bad(row, `#${f + 1}`, sc.text(buf, f), reason('a value in a column without a header', '没有表头的列中有值'), 'bad_row');
        }
        continue;
      }
      if (s === e) continue; // empty: the defaults below
      let first = bytes[s] as number;
      let final = bytes[e - 1] as number;
      if (first <= SPACE || final <= SPACE) {
        while (s < e && (bytes[s] === SPACE || bytes[s] === TAB)) s++;
        while (e > s && (bytes[e - 1] === SPACE || bytes[e - 1] === TAB)) e--;
        if (s === e) continue;
        first = bytes[s] as number;
        final = bytes[e - 1] as number;
      }
      // Bytes the fast readers do not take (escaped quotes, non-ASCII at an end) go the string way.
      const plain = first < 0x80 && final < 0x80 && (!quoted || kinds[f] !== ESCAPED);
      switch (col) {
        case SOURCE:
        case AGENT: {
          const dictionary = col === SOURCE ? this.sources : this.agents;
          let code: number;
          if (plain) code = dictionary.lookup(bytes, buf, s, e, batch);
          else {
            const text = this.cellText(buf, sc, f);
            if (text === null) break;
            code = dictionary.lookupText(text, batch);
          }
          if (code < 0) this.bad(row, f, sc.text(buf, f), dictionary.why(code));
          else if (col === SOURCE) source = code;
          else agent = code;
          break;
        }
        case EXTERNAL_ID: {
          let simple = plain && e - s <= 200;
          for (let i = s; simple && i < e; i++) {
            const c = bytes[i] as number;
            if (c < 0x20 || c >= 0x7f) simple = false;
          }
          if (simple) {
            idStart = s;
            idEnd = e;
            hasId = true;
            break;
          }
          const text = this.cellText(buf, sc, f);
          if (text === null) break;
          const parsed = parseExternalId(text);
          if (parsed.ok) {
            idText = parsed.value;
            hasId = true;
          } else this.bad(row, f, text, parsed.reason);
          break;
        }
        case STARTED_AT: {
          const ms = plain ? this.instants.read(bytes, s, e) : NaN;
          if (ms >= 0) {
            started = ms;
            break;
          }
          const text = this.cellText(buf, sc, f);
          if (text === null) break;
          const parsed = parseInstant(text);
          if (parsed.ok) started = Math.floor(parsed.value / 1000) * 1000;
          else this.bad(row, f, text, parsed.reason);
          break;
        }
        case FIRST_RESPONSE:
        case HANDLE: {
          let value = plain ? secondsFromBytes(bytes, buf, s, e) : NaN;
          if (value !== value) {
            const text = this.cellText(buf, sc, f);
            if (text === null) break;
            const parsed = parseSeconds(text);
            if (!parsed.ok) {
              this.bad(row, f, text, parsed.reason);
              break;
            }
            value = parsed.value;
          }
          if (col === FIRST_RESPONSE) frt = value;
          else handle = value;
          break;
        }
        case VALID: {
          const len = e - s;
          const c = bytes[s];
          if (len === 1 && (c === 0x31 || c === 0x30)) valid = c === 0x31 ? 1 : 0;
          else if (len === 3 && c === 0xe6 && bytes[s + 1] === 0x98 && bytes[s + 2] === 0xaf)
            valid = 1; // 是
          else if (len === 3 && c === 0xe5 && bytes[s + 1] === 0x90 && bytes[s + 2] === 0xa6)
            valid = 0; // 否
          else {
            const text = this.cellText(buf, sc, f);
            if (text === null) break;
            const parsed = parseBoolean(text);
            if (parsed.ok) valid = parsed.value ? 1 : 0;
            else this.bad(row, f, text, parsed.reason);
          }
          break;
        }
        case RATING: {
          const c = bytes[s] as number;
          if (e - s === 1 && c >= 0x31 && c <= 0x35) {
            rating = c - DIGIT0;
            break;
          }
          const text = this.cellText(buf, sc, f);
          if (text === null) break;
          const parsed = parseRating(text);
          if (parsed.ok) rating = parsed.value;
          else this.bad(row, f, text, parsed.reason);
          break;
        }
      }
    }
    if (n > this.headerCells) {
      for (let f = this.headerCells; f < n; f++) {
        if ((ends[f] as number) > (starts[f] as number) && sc.text(buf, f).trim() !== '') {
          this.bad(
            row,
            '',
            sc.text(buf, f),
            reason(`the row has ${n} cells but the header has ${this.headerCells}`, `此行有 ${n} 个单元格,表头只有 ${this.headerCells} 列`),
            'bad_row',
          );
          break;
        }
      }
    }
    // Required fields whose column is there but whose cell is empty (a bad value was reported already).
    const present = this.present;
    if (source < 0 && present[SOURCE]) this.requiredIfEmpty(row, SOURCE, buf, sc);
    if (!hasId && present[EXTERNAL_ID]) this.requiredIfEmpty(row, EXTERNAL_ID, buf, sc);
    if (agent < 0 && present[AGENT]) this.requiredIfEmpty(row, AGENT, buf, sc);
    if (started !== started && present[STARTED_AT]) this.requiredIfEmpty(row, STARTED_AT, buf, sc);

    if (this.problems.length > before) this.orderRowProblems(before);
    if (this.problems.length > before || this.headerBroken) {
      if (this.sinceFlush >= this.batchSize) this.flush();
      return;
    }
    this.builder.addId(bytes, buf, idStart, idEnd, idText);
    this.builder.add(row, source, agent, started, frt, handle, valid, rating);
    this.flushWhenFull();
  }

  private flushWhenFull(): void {
    if (this.builder.length >= this.batchSize || this.sinceFlush >= this.batchSize) this.flush();
  }

  /** Puts a row's problems in the general path's order: shape problems, then fields in the kind's order. */
  private orderRowProblems(from: number): void {
    const rank = (p: RowProblem) => {
      if (p.code === 'bad_row') return p.reason.startsWith('malformed') ? 0 : p.reason.startsWith('the row has') ? 1 : 2;
      return 3 + (this.fieldRank.get(p.column) ?? 99);
    };
    const mine = this.problems.splice(from).map((p, i) => ({ p, i, r: rank(p) }));
    mine.sort((a, b) => a.r - b.r || a.i - b.i);
    for (const { p } of mine) this.problems.push(p);
  }

  /** Reports an empty cell of a required column (a cell that had a bad value was reported already). */
  private requiredIfEmpty(row: number, col: Col, buf: Buffer, sc: CsvScanner): void {
    const at = (this.cols as Col[]).indexOf(col);
    const raw = at >= 0 && at < sc.count ? sc.text(buf, at) : '';
    if (raw.trim() !== '') return;
    this.bad(row, at, raw, reason('is required', '不能为空'), 'required');
  }
}
