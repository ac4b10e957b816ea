/**
 * Reads a text file in chunks and hands them on as UTF-8, whatever Excel in China wrote.
 *
 * Detection: a UTF-8 BOM means UTF-8. Otherwise the file is UTF-8 while its bytes are valid UTF-8;
 * the first chunk with a non-ASCII byte decides: valid UTF-8 → UTF-8 from then on (a later invalid
 * byte is an error), otherwise GB18030 (a superset of GBK and GB2312) from that chunk on — lossless,
 * since every byte before it was ASCII, which both encodings share. A multi-byte character split
 * across two chunks is carried over to the next one.
 */
import { open } from 'node:fs/promises';
import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { type ProblemCode, type Reason, reason } from './problems.js';

/** A problem with a whole file, thrown by the readers and reported as a RowProblem by their callers. */
export class FileProblem extends Error {
  constructor(
    readonly why: Reason,
    readonly code: ProblemCode = 'bad_file',
  ) {
    super(why.en);
    this.name = 'FileProblem';
  }
}

export type DetectedEncoding = 'ascii' | 'utf-8' | 'gb18030';

export const DEFAULT_CHUNK_SIZE = 1 << 21;

/** Where the end of the last complete UTF-8 sequence in `buf` is (a split character's bytes are left after it). */
export function completeUtf8End(buf: Uint8Array, end = buf.length): number {
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = buf[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    if (byte < 0x80) return end;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return back >= length ? end : end - back;
  }
  return end;
}

export class Utf8ChunkReader {
  bytesRead = 0;
  totalBytes = 0;
  encoding: DetectedEncoding = 'ascii';
  hadBom = false;

  constructor(
    readonly file: string,
    readonly chunkSize = DEFAULT_CHUNK_SIZE,
  ) {}

  async *chunks(): AsyncGenerator<Buffer> {
    const handle = await open(this.file, 'r');
    try {
      this.totalBytes = (await handle.stat()).size;
      let carry: Buffer | null = null;
      let gb: TextDecoder | null = null;
      let first = true;
      for (;;) {
        // The first read is large enough to see a BOM and to sniff for binary content.
        const size = first ? Math.max(this.chunkSize, 4096) : this.chunkSize;
        const buffer = Buffer.allocUnsafe(size);
        const { bytesRead } = await handle.read(buffer, 0, size, null);
        const final = bytesRead === 0;
        let chunk: Buffer = buffer.subarray(0, bytesRead);
        this.bytesRead += bytesRead;
        if (first && !final) {
          first = false;
          chunk = this.sniff(chunk);
        }
        if (gb) {
          const text = gb.decode(chunk, { stream: !final });
          if (text.length > 0) yield Buffer.from(text, 'utf8');
          if (final) return;
          continue;
        }
        if (carry) {
          chunk = Buffer.concat([carry, chunk]);
          carry = null;
        }
        if (final) {
          if (chunk.length > 0) throw this.invalidUtf8();
          return;
        }
        if (this.encoding === 'ascii' && isAscii(chunk)) {
          yield chunk;
          continue;
        }
        const end = completeUtf8End(chunk);
        const body = chunk.subarray(0, end);
        if (isUtf8(body)) {
          this.encoding = 'utf-8';
          if (end < chunk.length) carry = Buffer.from(chunk.subarray(end));
          yield body;
          continue;
        }
        if (this.encoding === 'utf-8') throw this.invalidUtf8();
        this.encoding = 'gb18030';
        gb = new TextDecoder('gb18030', { fatal: true });
        let text: string;
        try {
          text = gb.decode(chunk, { stream: true });
        } catch {
          throw new FileProblem(
            reason(
              'the file is neither UTF-8 nor GB18030/GBK text; save it as "CSV UTF-8" or "CSV (逗号分隔)"',
              '文件既不是 UTF-8 也不是 GB18030/GBK 编码;请另存为 "CSV UTF-8" 或 "CSV (逗号分隔)"',
            ),
            'encoding',
          );
        }
        yield Buffer.from(text, 'utf8');
      }
    } catch (error) {
      if (error instanceof TypeError && /decode|encoded/i.test(error.message)) {
        throw new FileProblem(reason('the file has bytes that are not valid GB18030 text', '文件含有无效的 GB18030 字节'), 'encoding');
      }
      throw error;
    } finally {
      await handle.close();
    }
  }

  private invalidUtf8(): FileProblem {
    return new FileProblem(
      reason(
        `the file is not valid UTF-8 near byte ${this.bytesRead} although it started as UTF-8`,
        `文件在第 ${this.bytesRead} 字节附近不是有效的 UTF-8(文件开头是 UTF-8)`,
      ),
      'encoding',
    );
  }

  private sniff(chunk: Buffer): Buffer {
    if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      this.encoding = 'utf-8';
      this.hadBom = true;
      return chunk.subarray(3);
    }
    if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff) || chunk.subarray(0, 4096).includes(0)) {
      throw new FileProblem(
        reason(
          'the file is UTF-16 text or binary, not CSV; in Excel save it as "CSV UTF-8 (逗号分隔)"',
          '文件是 UTF-16 文本或二进制文件,不是 CSV;请在 Excel 中另存为 "CSV UTF-8(逗号分隔)"',
        ),
      );
    }
    return chunk;
  }
}
