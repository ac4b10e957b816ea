import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { readCsvRecords } from './csv.js';
import { conversations as spec } from './kinds/conversations.js';
import { ConversationsCsvParser, instantFromBytes } from './fast/conversations-parser.js';
import { rowsFromColumns } from './fast/batch.js';
import { readImport } from './read.js';
import { readTable } from './table.js';
import type { ConversationBatch, ConversationRow } from './types.js';
import { fixture, lines, readAll, tempFile } from './test-support.js';

const HEADER = '来源,会话ID,客服账号,开始时间,首次响应时长(秒),处理时长(秒),有效会话,满意度评分';

/** The fast parser on a text, in chunks of `size` bytes. */
function fast(text: string, size = 1 << 20, batchSize = 4) {
  const batches: ReturnType<typeof rowsFromColumns>[] = [];
  const problems: string[] = [];
  const parser = new ConversationsCsvParser('t.csv', batchSize, (b) => {
    batches.push(rowsFromColumns(b.columns));
    problems.push(...lines(b.problems));
  });
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) parser.push(Buffer.from(bytes.subarray(i, i + size)));
  parser.end();
  return { rows: batches.flat(), problems };
}

/** The general (string) path on the same text. */
async function general(text: string) {
  const rows: ConversationRow[] = [];
  const problems: string[] = [];
  for await (const batch of readTable(readCsvRecords(tempFile('t.csv', text)), spec, { file: 't.csv' })) {
    rows.push(...(batch.rows as ConversationRow[]));
    problems.push(...lines(batch.problems));
  }
  return { rows, problems };
}

describe('conversations fast path', () => {
  it('reads the fixture like the general path', async () => {
    const { rows, problems } = await readAll(fixture('conversations.csv'), 'conversations', { worker: false });
    expect(problems).toEqual([]);
    expect(rows[2]).toEqual({
      row: 4,
      source: 'chatwoot',
      externalId: '55,23',
      agent: '13',
      startedAt: '2026-10-08T10:00:00+08:00',
      firstResponseSeconds: null,
      handleSeconds: null,
      valid: false,
      rating: null,
    });
    expect(rows[3]).toMatchObject({
      externalId: 'tb-"9001"',
      agent: 'acme旗舰店:小美',
      startedAt: '2026-10-09T08:05:00+08:00',
      firstResponseSeconds: 12.5,
      rating: 4,
    });
  });

  it('reports bad rows with their row, column and value', async () => {
    const { rows, problems } = await readAll(fixture('bad/conversations-bad.csv'), 'conversations', { worker: false });
    expect(rows.map((r) => r.row)).toEqual([2, 6]);
    expect(lines(problems)).toEqual([
      '3|开始时间|2026-10-32 09:00:00|must be a date and time like 2026-10-08 09:12:33 (China time) or ISO 8601',
      '4|客服账号||is required',
      '5|首次响应时长(秒)|-5|must be a number of seconds ≥ 0 (or h:mm:ss)',
      '5|有效会话|maybe|must be 是/否, 1/0 or true/false',
      '5|满意度评分|6|must be a whole number from 1 to 5',
    ]);
  });

  it('runs in a worker thread with the same results, and reports progress', async () => {
    const seen: number[] = [];
    const inThread = await readAll(fixture('conversations.csv'), 'conversations', { worker: false });
    const worker = await readAll(fixture('conversations.csv'), 'conversations', { worker: true, onProgress: (p) => seen.push(p.bytes) });
    expect(worker.rows).toEqual(inThread.rows);
    expect(seen.length).toBeGreaterThan(0);
    const bad = await readAll(fixture('bad/conversations-bad.csv'), 'conversations', { worker: true });
    expect(bad.problems).toHaveLength(5);
  });

  it('hands over columns: dictionaries per batch, ids in one string', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `chatwoot,id-${i},agent${i % 3},2026-10-08 09:00:0${i},${i},,${i % 2},`);
    const file = tempFile('c.csv', `${HEADER}\n${rows.join('\n')}\n`);
    const batches: ConversationBatch[] = [];
    for await (const b of readImport(file, 'conversations', { batchSize: 4, worker: true }))
      if (b.kind === 'conversations') batches.push(b);
    expect(batches.map((b) => b.columns.length)).toEqual([4, 4, 2]);
    const c = (batches[1] as ConversationBatch).columns;
    expect(c.sourceDict).toEqual(['chatwoot']);
    expect(c.agentDict).toEqual(['agent1', 'agent2', 'agent0']);
    expect(c.externalIds).toBe('id-4id-5id-6id-7');
    expect([...c.externalIdEnds]).toEqual([4, 8, 12, 16]);
    expect([...c.valid]).toEqual([0, 1, 0, 1]);
    expect(Number.isNaN(c.handleSeconds[0])).toBe(true);
    expect((batches[1] as ConversationBatch).rows[0]).toMatchObject({
      row: 6,
      externalId: 'id-4',
      agent: 'agent1',
      startedAt: '2026-10-08T09:00:04+08:00',
    });
  });

  it('reads GBK conversations and a title row above the header', async () => {
    const text = `2026年10月会话明细\n${HEADER}\nfeige,1,小美,2026-10-08 09:00:00,3,4,是,5\n`;
    const { rows, problems } = await readAll(tempFile('g.csv', iconv.encode(text, 'gbk')), 'conversations', { worker: true });
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        row: 3,
        source: 'feige',
        externalId: '1',
        agent: '小美',
        startedAt: '2026-10-08T09:00:00+08:00',
        firstResponseSeconds: 3,
        handleSeconds: 4,
        valid: true,
        rating: 5,
      },
    ]);
  });

  it('a missing column is one problem; breaking out ends the worker', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `chatwoot,${i},a,2026-10-08 09:00:00`);
    const threeCells = rows.map((r) => r.replace(',a,', ','));
    const missing = await readAll(tempFile('m.csv', `来源,会话ID,开始时间\n${threeCells.join('\n')}\n`), 'conversations');
    expect(lines(missing.problems)).toEqual(['1|客服账号||missing required column 客服账号 (agent)']);
    const file = tempFile('b.csv', `来源,会话ID,客服账号,开始时间\n${rows.join('\n')}\n`);
    let n = 0;
    for await (const batch of readImport(file, 'conversations', { batchSize: 10, worker: true })) {
      n += batch.rows.length;
      if (n >= 20) break;
    }
    expect(n).toBe(20);
  });

  it('reads timestamps from bytes exactly as the string path does', () => {
    const at = (text: string) => instantFromBytes(Buffer.from(text), 0, Buffer.byteLength(text));
    expect(at('2026-10-08 09:12:33')).toBe(Date.UTC(2026, 9, 8, 1, 12, 33));
    expect(at('2026-10-08T01:12:33Z')).toBe(Date.UTC(2026, 9, 8, 1, 12, 33));
    expect(at('2026-10-08T09:12:33.5+08:00')).toBe(Date.UTC(2026, 9, 8, 1, 12, 33));
    expect(at('2024-02-29 00:00:00')).toBe(Date.UTC(2024, 1, 28, 16));
    expect(at('2026-02-29 00:00:00')).toBe(-Infinity);
    expect(at('2026/10/08 09:12:33')).toBeNaN();
  });

  it('reads well-formed plain lines in one pass and still refuses their wrong shapes like the general path', async () => {
    const good = 'chatwoot,10000007,alice@acme.io,2026-10-08 09:12:33,35,420,是,5';
    const text = [
      HEADER,
      good,
      'chatwoot,10000008,12,2026-10-08T01:12:33Z,,,否,',
      `${good},extra`,
      'chatwoot,10000009,alice@acme.io,2026-10-08 09:12:33,35,420',
      'chatwoot,10000010,alice@acme.io,2026-10-08 09:12:33,1000000001,420,1,3',
      'chatwoot,10000011,alice@acme.io,2026-10-08 09:12:33,35,420,0,0',
      'chatwoot,,alice@acme.io,2026-10-08 09:12:33,35,420,1,3',
      'chatwoot,10000012,alice@acme.io,2026-10-08 09:12:33,3 5,420,1,3',
    ].join('\r\n');
    const expected = await general(`${text}\r\n`);
    const actual = fast(`${text}\r\n`, 1 << 20, 100);
    expect(actual.problems).toEqual(expected.problems);
    expect(actual.problems).toHaveLength(5);
    expect(actual.rows).toEqual(expected.rows);
    expect(actual.rows.map((r) => r.externalId)).toEqual(['10000007', '10000008', '10000009']);
  });

  it('hands over numbered ids as numbers when every id of the batch is one', () => {
    const batches: { numbers?: Float64Array; ids: string }[] = [];
    const parser = new ConversationsCsvParser('t.csv', 2, (b) =>
      batches.push({ numbers: b.columns.externalIdNumbers, ids: b.columns.externalIds }),
    );
    const line = (id: string) => `chatwoot,${id},alice@acme.io,2026-10-08 09:12:33,35,420,是,5`;
    parser.push(Buffer.from(`${HEADER}\n${['20000001', '20000002', '3', '20000004', '007', '8'].map(line).join('\n')}\n`));
    parser.end();
    expect(batches.map((b) => (b.numbers ? [...b.numbers] : null))).toEqual([[20000001, 20000002], null, null, null]);
    expect(batches.map((b) => b.ids)).toEqual(['2000000120000002', '320000004', '0078', '']);
  });

  it('accepts and refuses exactly what the general path does (property)', async () => {
    const cell = (...choices: string[]) => fc.constantFrom(...choices);
    const row = fc.tuple(
      cell('chatwoot', 'Zendesk', '千牛', '', ' feige ', 'bad source', '"q,uote"'),
      cell('1', 'id-2', '"a""b"', '', ' x ', '会话9', '\u3000', '10000000', '10000001', '0123', '123456789012345678', 'a\tb'),
      cell('alice@acme.io', '12', '小美', '', '"Lee, Jordan"', '\u3000bob\u3000'),
      cell(
        '2026-10-08 09:12:33',
        '2026-10-08T01:12:33Z',
        '2026/10/8 9:12',
        '2026-13-01 00:00:00',
        '',
        'soon',
        '1969-12-31 23:00:00',
        '2026-10-08T09:12:33+05:30',
      ),
      cell('35', '11.20', '', '-1', '1:23', '1,234', 'x', '007', '1000000000', '1000000001', ' 8'),
      cell('420', '', '0.5', '1e3', '99999999999999999999'),
      cell('是', '否', '1', '0', 'true', '', 'maybe', ' 是 '),
      cell('5', '', '0', '4.0', '6', '３'),
    );
    // Rows may also lose their last cells or gain one, and lines may end in CRLF.
    const shaped = fc
      .tuple(row, fc.constantFrom(0, 0, 0, -2, 1))
      .map(([cells, change]) => (change < 0 ? cells.slice(0, change) : change > 0 ? [...cells, 'extra'] : cells));
    await fc.assert(
      fc.asyncProperty(
        fc.array(shaped, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        async (table, size, crlf) => {
          const newline = crlf ? '\r\n' : '\n';
          const text = `${HEADER}${newline}${table.map((r) => r.join(',')).join(newline)}${newline}`;
          const expected = await general(text);
          const actual = fast(text, size, 3);
          expect(actual.problems).toEqual(expected.problems);
          expect(actual.rows).toEqual(expected.rows);
        },
      ),
      { numRuns: 300 },
    );
  });
});
