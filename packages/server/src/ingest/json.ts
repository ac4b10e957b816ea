/**
 * Streams the records of help-desk API exports without holding the file: a JSON document, or
 * several (JSON Lines, or pages saved one after another), each either
 *  - a page object (`{ "payload": [ … ], "meta": { … } }`, `{ "tickets": [ … ], "metric_sets": [ … ] }`):
 *    the elements of each of its arrays are yielded one by one, keyed by the array's name, and its
 *    other members are yielded whole; or
 *  - an array: of page objects (each parsed whole, then treated as above) or of records (yielded with key null).
 * Memory is bounded by the largest single record (or page, inside an array of pages).
 */
import { DEFAULT_CHUNK_SIZE, FileProblem, Utf8ChunkReader } from './encoding.js';
import type { ReadProgress } from './csv.js';
import { reason } from './problems.js';

export interface JsonItem {
  /** The array (or member) name in the page; null for an element of a bare array of records. */
  key: string | null;
  value: unknown;
  /** True for a page's non-array member (`meta`, `end_of_stream`), false for an array element. */
  member: boolean;
  /** The 1-based number of this item in the file, counting array elements only (members get the last number). */
  record: number;
  /** Where it is, e.g. `payload[3]` or `[2].tickets[0]`. */
  path: string;
}

const enum C {
  Quote = 0x22,
  Backslash = 0x5c,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
  OpenBracket = 0x5b,
  CloseBracket = 0x5d,
  Comma = 0x2c,
  Colon = 0x3a,
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function broken(detail: string): FileProblem {
  return new FileProblem(reason(`not valid JSON: ${detail}`, `不是有效的 JSON:${detail}`));
}

type Target = { kind: 'element'; key: string | null; index: number } | { kind: 'member'; key: string };

export class JsonItemScanner {
  private readonly stack: number[] = [];
  private inString = false;
  private escape = false;
  private expectKey = false;
  private key = '';
  private keyParts: string[] | null = null;
  private keyStart = -1;
  private arrayKey: string | null = null;
  private elementIndex = 0;
  // capture state
  private capture: Target | null = null;
  private captureDepth = 0;
  private captureScalar = false;
  private captureStart = 0;
  private parts: string[] = [];
  record = 0;
  readonly out: JsonItem[] = [];

  constructor(private readonly pageKeys: ReadonlySet<string>) {}

  private startCapture(target: Target, at: number, c: number): void {
    this.capture = target;
    this.captureDepth = this.stack.length;
    this.captureStart = at;
    this.parts = [];
    this.captureScalar = c !== C.OpenBrace && c !== C.OpenBracket && c !== C.Quote;
  }

  private endCapture(text: string, endExclusive: number): void {
    const target = this.capture as Target;
    this.parts.push(text.slice(this.captureStart, endExclusive));
    const source = this.parts.join('');
    this.parts = [];
    this.capture = null;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      throw broken(`${(error as Error).message} in record ${this.record + 1}`);
    }
    this.emit(target, value);
  }

  private emit(target: Target, value: unknown): void {
    if (target.kind === 'member') {
      this.out.push({ key: target.key, value, member: true, record: this.record, path: target.key });
      return;
    }
    if (target.key === null && this.isPage(value)) {
      // An element of a root array that is itself a page: spread it.
      const page = `[${target.index}]`;
      for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
        if (Array.isArray(member)) {
          member.forEach((element, index) => {
            this.record++;
            this.out.push({ key, value: element, member: false, record: this.record, path: `${page}.${key}[${index}]` });
          });
        } else {
          this.out.push({ key, value: member, member: true, record: this.record, path: `${page}.${key}` });
        }
      }
      return;
    }
    this.record++;
    const path = target.key === null ? `[${target.index}]` : `${target.key}[${target.index}]`;
    this.out.push({ key: target.key, value, member: false, record: this.record, path });
  }

  private isPage(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    return Object.entries(value).some(([key, member]) => this.pageKeys.has(key) && Array.isArray(member));
  }

  /** Scans one chunk of text; complete items are appended to `out`. */
  push(text: string): void {
    const stack = this.stack;
    const n = text.length;
    if (this.capture) this.captureStart = 0;
    if (this.keyParts) this.keyStart = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === C.Backslash) this.escape = true;
        else if (c === C.Quote) {
          this.inString = false;
          if (this.keyParts) {
            this.keyParts.push(text.slice(this.keyStart, i + 1));
            this.key = JSON.parse(this.keyParts.join('')) as string;
            this.keyParts = null;
          }
          if (this.capture && !this.captureScalar && stack.length === this.captureDepth) this.endCapture(text, i + 1);
        }
        continue;
      }
      if (this.capture && this.captureScalar && stack.length === this.captureDepth) {
        if (isSpace(c) || c === C.Comma || c === C.CloseBracket || c === C.CloseBrace) this.endCapture(text, i);
        else continue;
      }
      if (isSpace(c)) continue;
      const depth = stack.length;
      if (c === C.Quote) {
        this.inString = true;
        if (!this.capture && depth === 1 && stack[0] === C.OpenBrace && this.expectKey) {
          this.keyParts = [];
          this.keyStart = i;
          continue;
        }
      }
      if (c === C.Colon) {
        if (depth === 1 && stack[0] === C.OpenBrace) this.expectKey = false;
        continue;
      }
      if (c === C.Comma) {
        if (depth === 1 && stack[0] === C.OpenBrace && !this.capture) this.expectKey = true;
        continue;
      }
      // A value starts here (or a container closes).
      if (!this.capture && c !== C.CloseBrace && c !== C.CloseBracket) {
        if (depth === 0) {
          if (c !== C.OpenBrace && c !== C.OpenBracket) throw broken('the file must hold JSON objects or arrays');
        } else if (depth === 1 && stack[0] === C.OpenBracket) {
          this.startCapture({ kind: 'element', key: null, index: this.elementIndex++ }, i, c);
        } else if (depth === 1 && stack[0] === C.OpenBrace) {
          if (c === C.OpenBracket) {
            this.arrayKey = this.key;
            this.elementIndex = 0;
          } else {
            this.startCapture({ kind: 'member', key: this.key }, i, c);
          }
        } else if (depth === 2 && stack[0] === C.OpenBrace && stack[1] === C.OpenBracket) {
          this.startCapture({ kind: 'element', key: this.arrayKey, index: this.elementIndex++ }, i, c);
        }
        if (this.capture && this.captureScalar) continue;
        if (c === C.Quote) {
          // a string value: inString is set; capture (if any) ends at its closing quote
          continue;
        }
      }
      if (c === C.OpenBrace || c === C.OpenBracket) {
        stack.push(c);
        if (stack.length === 1) {
          this.expectKey = c === C.OpenBrace;
          this.elementIndex = 0;
        }
      } else if (c === C.CloseBrace || c === C.CloseBracket) {
        const open = stack.pop();
        if (open === undefined || (open === C.OpenBrace) !== (c === C.CloseBrace)) throw broken(`unexpected ${String.fromCharCode(c)}`);
        if (this.capture && stack.length === this.captureDepth) this.endCapture(text, i + 1);
      } else if (!this.capture && depth <= 2) {
        throw broken(`unexpected ${JSON.stringify(String.fromCharCode(c))}`);
      }
    }
    if (this.capture) this.parts.push(text.slice(this.captureStart));
    if (this.keyParts) this.keyParts.push(text.slice(this.keyStart));
  }

  end(): void {
    if (this.capture && this.captureScalar && this.stack.length === this.captureDepth) this.endCapture('', 0);
    if (this.inString || this.stack.length > 0 || this.capture) throw broken('the file ends in the middle of a value (truncated?)');
  }
}

/** Streams a JSON export's records; see the module comment for the shapes read. */
export async function* readJsonItems(
  file: string,
  options: { pageKeys: ReadonlySet<string>; progress?: (p: ReadProgress) => void; chunkSize?: number },
): AsyncGenerator<JsonItem> {
  const reader = new Utf8ChunkReader(file, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const scanner = new JsonItemScanner(options.pageKeys);
  for await (const chunk of reader.chunks()) {
    scanner.push(chunk.toString('utf8'));
    options.progress?.({ bytes: reader.bytesRead, totalBytes: reader.totalBytes });
    if (scanner.out.length > 0) yield* scanner.out.splice(0);
  }
  scanner.end();
  yield* scanner.out.splice(0);
}
