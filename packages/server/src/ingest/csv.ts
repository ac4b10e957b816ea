/**
 * A hand-written CSV tokenizer over UTF-8 bytes (RFC 4180 plus what Excel writes): comma or tab
 * delimited, fields optionally quoted with "" as an escaped quote, quoted fields may hold line
 * breaks, records end with LF or CRLF (or a lone CR). It works on bytes so the fast path can read
 * numbers and dates without making strings; `readCsvRecords` decodes every field for the rest.
 */
import { basename } from 'node:path';
import { DEFAULT_CHUNK_SIZE, FileProblem, Utf8ChunkReader } from './encoding.js';
import { reason } from './problems.js';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
export const COMMA = 0x2c;
export const TAB = 0x09;

/** A record longer than this (one field with a runaway quote, usually) is refused rather than buffered forever. */
export const MAX_RECORD_BYTES = 16 << 20;

/** How a field was written (plain constants, not an enum: they are read in the hottest loops). */
export const PLAIN = 0;
export const QUOTED = 1;
/** Quoted with "" inside: the bytes between start and end still hold the doubled quotes. */
export const ESCAPED = 2;
export type FieldKind = typeof PLAIN | typeof QUOTED | typeof ESCAPED;

/** Finds one record's fields in a byte buffer. Reuses its arrays: read them before the next scan. */
export class CsvScanner {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  kinds = new Uint8Array(64);
  /** The kind of field f of the last record. */
  kind(f: number): FieldKind {
    return this.quoted ? (this.kinds[f] as FieldKind) : PLAIN;
  }

  count = 0;
  /** False when the last record had no quotes: `kinds` is then stale and every field is Plain. */
  quoted = false;
  /** Set when a quoted field is followed by something other than a delimiter or line end. */
  malformed = false;

  constructor(public delimiter = COMMA) {}

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    this.starts = starts;
    this.ends = ends;
    this.kinds = kinds;
  }

  /** Where the next quote and CR are in `seenBuf` (-1: none left, -2: not looked yet), so plain lines are split on the delimiter alone. */
  private seenBuf: Uint8Array | null = null;
  private nextQuote = -1;
  private nextCr = -1;
  /**
   * The buffer being scanned as a plain Uint8Array: indexing a Buffer (a subclass) is measurably
   * slower in V8's optimized loops than indexing its base class, so the hot loops read this view.
   */
  bytes: Uint8Array = new Uint8Array(0);

  /**
   * Scans the record starting at `pos`. Returns the position after its line end, or -1 when the
   * record is not complete before `end` and more bytes may come (`final` false).
   */
  scan(buf: Buffer, pos: number, end: number, final: boolean): number {
    let lf = buf.indexOf(LF, pos);
    if (lf >= end) lf = -1;
    const quote = this.quoteLimit(buf, pos, end);
    if (this.nextCr === -2 || (this.nextCr >= 0 && this.nextCr < pos)) {
      const r = buf.indexOf(CR, pos);
      this.nextCr = r >= end ? -1 : r;
    }
    const quoteBefore = quote < end && (lf < 0 || quote < lf);
    if (quoteBefore) return this.scanQuoted(buf, pos, end, final);
    if (lf < 0 && !final) return -1;
    // No quote in this line: split it on the delimiter alone.
    let lineEnd = lf < 0 ? end : lf;
    const next = lf < 0 ? end : lf + 1;
    // A lone CR inside the line ends the record there (old Mac line ends); CRLF drops the CR.
    const cr = this.nextCr;
    if (cr >= 0 && cr < lineEnd) {
      if (cr + 1 === lineEnd) lineEnd = cr;
      else return this.scanQuoted(buf, pos, end, final);
    }
    const delimiter = this.delimiter;
    const starts = this.starts;
    const ends = this.ends;
    const last = starts.length - 1;
    const bytes = this.bytes;
    let f = 0;
    let start = pos;
    for (let i = pos; i < lineEnd; i++) {
      if (bytes[i] === delimiter) {
        if (f === last) return this.scanQuoted(buf, pos, end, final); // many fields: the general path grows the arrays
        starts[f] = start;
        ends[f] = i;
        f++;
        start = i + 1;
      }
    }
    starts[f] = start;
    ends[f] = lineEnd;
    this.count = f + 1;
    this.quoted = false;
    this.malformed = false;
    return next;
  }

  /**
   * Where the next quote at or after `pos` is (or `end` when none is before it): a reader of plain
   * lines must not pass it. Sets `bytes` to the buffer's view.
   */
  quoteLimit(buf: Buffer, pos: number, end: number): number {
    if (this.seenBuf !== buf) {
      this.seenBuf = buf;
      this.bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
      this.nextQuote = -2; // unknown
      this.nextCr = -2;
    }
    if (this.nextQuote === -2 || (this.nextQuote >= 0 && this.nextQuote < pos)) {
      const q = buf.indexOf(QUOTE, pos);
      this.nextQuote = q >= end ? -1 : q;
    }
    return this.nextQuote >= 0 ? this.nextQuote : end;
  }

  /** The general scanner: quoted fields, "" escapes, line breaks inside quotes, lone CRs. */
  private scanQuoted(buf: Buffer, pos: number, end: number, final: boolean): number {
    const delimiter = this.delimiter;
    let i = pos;
    let f = 0;
    this.malformed = false;
    this.quoted = true;
    for (;;) {
      if (f === this.starts.length) this.grow();
      if (i < end && buf[i] === QUOTE) {
        let j = i + 1;
        let kind: FieldKind = QUOTED;
        let close = -1;
        while (j < end) {
          if (buf[j] === QUOTE) {
            if (j + 1 < end && buf[j + 1] === QUOTE) {
              kind = ESCAPED;
              j += 2;
              continue;
            }
            if (j + 1 >= end && !final) return -1;
            close = j;
            break;
          }
          j++;
        }
        if (close < 0) {
          if (!final) return -1;
          // An unterminated quote at the end of the file: take the rest as the field.
          this.malformed = true;
          close = end;
        }
        this.starts[f] = i + 1;
        this.ends[f] = close;
        this.kinds[f] = kind;
        i = close + 1;
        // Anything between the closing quote and the delimiter is malformed; skip it.
        if (i < end) {
          const c = buf[i];
          if (c !== delimiter && c !== LF && c !== CR) {
            this.malformed = true;
            while (i < end && buf[i] !== delimiter && buf[i] !== LF && buf[i] !== CR) i++;
          }
        }
      } else {
        let j = i;
        while (j < end) {
          const c = buf[j];
          if (c === delimiter || c === LF || c === CR) break;
          j++;
        }
        this.starts[f] = i;
        this.ends[f] = j;
        this.kinds[f] = PLAIN;
        i = j;
      }
      f++;
      if (i >= end) {
        if (!final) return -1;
        this.count = f;
        return end;
      }
      const c = buf[i];
      if (c === delimiter) {
        i++;
        continue;
      }
      this.count = f;
      if (c === LF) return i + 1;
      // CR: a CRLF pair or a lone CR; at the end of a chunk the LF may be in the next one.
      if (i + 1 < end) return buf[i + 1] === LF ? i + 2 : i + 1;
      return final ? i + 1 : -1;
    }
  }

  /** The text of field `f` of the last scanned record. */
  text(buf: Buffer, f: number): string {
    const start = this.starts[f] as number;
    const end = this.ends[f] as number;
    const text = buf.toString('utf8', start, end);
    return this.quoted && this.kinds[f] === ESCAPED ? text.replace(/""/g, '"') : text;
  }

  /** True when the last record is one empty field: a blank line. */
  blank(): boolean {
    return this.count === 1 && this.starts[0] === this.ends[0] && !this.quoted;
  }
}

/** Picks comma or tab from the first line: tab only when the line has tabs and no commas. */
export function sniffDelimiter(buf: Uint8Array, end: number): number {
  let tabs = 0;
  let commas = 0;
  for (let i = 0; i < end; i++) {
    const c = buf[i];
    if (c === LF) break;
    if (c === TAB) tabs++;
    else if (c === COMMA) commas++;
  }
  return tabs > 0 && commas === 0 ? TAB : COMMA;
}

/**
 * Accumulates UTF-8 chunks and scans whole records out of them, carrying an incomplete record's
 * bytes to the next chunk. `onRecord` is called with the scanner positioned on each record.
 */
export class RecordSplitter {
  private work: Buffer = Buffer.alloc(0);
  private length = 0;
  readonly scanner = new CsvScanner();
  private sniffed = false;
  /** The 1-based number of the last record scanned, blank lines included. */
  row = 0;

  /**
   * `fastLine`, when given, is offered every record first (the buffer and its byte view, the start,
   * a limit it must not read past — the next quote or the end of the bytes so far — and the row
   * number); it returns the position after the line it read, or -1, and the record then goes
   * through the scanner and `onRecord` as usual.
   */
  constructor(
    private readonly onRecord: (buf: Buffer, row: number, scanner: CsvScanner) => void,
    private readonly fastLine?: (buf: Buffer, bytes: Uint8Array, start: number, limit: number, row: number) => number,
  ) {}

  push(chunk: Buffer): void {
    if (this.length === 0) {
      this.work = chunk;
      this.length = chunk.length;
    } else {
      const needed = this.length + chunk.length;
      if (needed > MAX_RECORD_BYTES + chunk.length) {
        throw new FileProblem(
          reason(
            `row ${this.row + 1} is longer than ${MAX_RECORD_BYTES >> 20} MiB (an unclosed quote?)`,
            `第 ${this.row + 1} 行超过 ${MAX_RECORD_BYTES >> 20} MiB(引号未闭合?)`,
          ),
          'bad_row',
        );
      }
      const work = Buffer.allocUnsafe(needed);
      this.work.copy(work, 0, 0, this.length);
      chunk.copy(work, this.length);
      this.work = work;
      this.length = needed;
    }
    this.drain(false);
  }

  end(): void {
    this.drain(true);
  }

  private drain(final: boolean): void {
    const buf = this.work;
    const end = this.length;
    if (!this.sniffed) {
      const lineEnd = buf.subarray(0, end).indexOf(LF);
      if (lineEnd < 0 && !final) return;
      this.scanner.delimiter = sniffDelimiter(buf, lineEnd < 0 ? end : lineEnd);
      this.sniffed = true;
    }
    let pos = 0;
    const fastLine = this.fastLine;
    while (pos < end) {
      if (fastLine) {
        const limit = this.scanner.quoteLimit(buf, pos, end);
        const next = fastLine(buf, this.scanner.bytes, pos, limit, this.row + 1);
        if (next >= 0) {
          this.row++;
          pos = next;
          continue;
        }
      }
      const next = this.scanner.scan(buf, pos, end, final);
      if (next < 0) break;
      this.row++;
      this.onRecord(buf, this.row, this.scanner);
      pos = next;
    }
    if (pos >= end) {
      this.length = 0;
      this.work = Buffer.alloc(0);
    } else if (pos > 0) {
      // Keep the unfinished record: copy it out so the chunk it came from can be collected.
      this.work = Buffer.from(buf.subarray(pos, end));
      this.length = this.work.length;
    }
  }
}

/** One row of a sheet: its spreadsheet row number and its cells' text. */
export interface SheetRecord {
  row: number;
  cells: string[];
  /** A shape problem of the row (malformed quotes), found while reading it. */
  malformed?: boolean;
}

export interface ReadProgress {
  bytes: number;
  totalBytes: number;
}

/** Streams a CSV file's records as text; blank lines are skipped but counted. */
export async function* readCsvRecords(
  file: string,
  options: { chunkSize?: number; progress?: (p: ReadProgress) => void } = {},
): AsyncGenerator<SheetRecord> {
  const reader = new Utf8ChunkReader(file, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  let pending: SheetRecord[] = [];
  const splitter = new RecordSplitter((buf, row, scanner) => {
    if (scanner.blank()) return;
    const cells: string[] = new Array<string>(scanner.count);
    for (let f = 0; f < scanner.count; f++) cells[f] = scanner.text(buf, f);
    pending.push(scanner.malformed ? { row, cells, malformed: true } : { row, cells });
  });
  for await (const chunk of reader.chunks()) {
    splitter.push(chunk);
    options.progress?.({ bytes: reader.bytesRead, totalBytes: reader.totalBytes });
    if (pending.length > 0) {
      const ready = pending;
      pending = [];
      yield* ready;
    }
  }
  splitter.end();
  yield* pending;
}

export function fileLabel(file: string): string {
  return basename(file);
}
