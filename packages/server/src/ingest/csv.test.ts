import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvScanner, RecordSplitter, readCsvRecords } from './csv.js';
import { tempFile } from './test-support.js';

/** Splits text fed in chunks of the given sizes; returns the records' cells. */
function split(text: string, sizes: number[] = [1 << 20]): string[][] {
  const out: string[][] = [];
  const splitter = new RecordSplitter((buf, _row, sc) => {
    if (sc.blank()) return;
    out.push(Array.from({ length: sc.count }, (_, f) => sc.text(buf, f)));
  });
  const bytes = Buffer.from(text);
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes[i++ % sizes.length] as number);
    splitter.push(Buffer.from(bytes.subarray(at, at + size)));
    at += size;
  }
  splitter.end();
  return out;
}

const quote = (cell: string) => (/[",\r\n]/.test(cell) || cell === '' ? `"${cell.replace(/"/g, '""')}"` : cell);

describe('CSV tokenizer', () => {
  it('reads quotes, escaped quotes, line breaks in quotes, CRLF and a missing last line end', () => {
    expect(split('a,"b,c","d""e"\r\n"x\ny",,z')).toEqual([
      ['a', 'b,c', 'd"e'],
      ['x\ny', '', 'z'],
    ]);
  });

  it('reads a lone CR as a line end (old Mac files) and skips blank lines', () => {
    expect(split('a,b\rc,d\r\n\r\ne,f\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]);
  });

  it('sniffs tab-separated text', () => {
    expect(split('工号\t姓名\nE1\t张三\n')).toEqual([
      ['工号', '姓名'],
      ['E1', '张三'],
    ]);
  });

  it('marks malformed quotes and keeps going', () => {
    const sc = new CsvScanner();
    const buf = Buffer.from('"ab"x,c\n');
    expect(sc.scan(buf, 0, buf.length, true)).toBe(buf.length);
    expect(sc.malformed).toBe(true);
    expect(sc.text(buf, 1)).toBe('c');
  });

  it('reads any table back whatever the chunk boundaries (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', '张', '😀', '1'), maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (table, sizes, crlf) => {
          // Every cell quoted when it needs it; a row of one empty cell is written "" so it is not a blank line.
          const text = table.map((row) => row.map(quote).join(',')).join(crlf ? '\r\n' : '\n');
          expect(split(text, sizes)).toEqual(table);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('streams a file with row numbers that count blank lines', async () => {
    const file = tempFile('t.csv', 'h1,h2\n\n1,2\n"3\n4",5\n6,7');
    const records = [];
    for await (const r of readCsvRecords(file, { chunkSize: 3 })) records.push(r);
    expect(records).toEqual([
      { row: 1, cells: ['h1', 'h2'] },
      { row: 3, cells: ['1', '2'] },
      { row: 4, cells: ['3\n4', '5'] },
      { row: 5, cells: ['6', '7'] },
    ]);
  });
});
