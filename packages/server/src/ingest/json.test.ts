import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FileProblem } from './encoding.js';
import { JsonItemScanner, readJsonItems } from './json.js';
import { tempFile } from './test-support.js';

function scan(text: string, size = 1 << 20, pageKeys = ['payload', 'tickets']) {
  const scanner = new JsonItemScanner(new Set(pageKeys));
  for (let i = 0; i < text.length; i += size) scanner.push(text.slice(i, i + size));
  scanner.end();
  return scanner.out.map(({ key, value, member, path }) => ({ key, value, member, path }));
}

describe('streaming JSON records', () => {
  const page = { payload: [{ id: 1, s: 'a{b}"[' }, { id: 2 }], meta: { count: 2 }, end_of_stream: true, next: null };

  it('yields the elements of a page and its other members', () => {
    expect(scan(JSON.stringify(page))).toEqual([
      { key: 'payload', value: { id: 1, s: 'a{b}"[' }, member: false, path: 'payload[0]' },
      { key: 'payload', value: { id: 2 }, member: false, path: 'payload[1]' },
      { key: 'meta', value: { count: 2 }, member: true, path: 'meta' },
      { key: 'end_of_stream', value: true, member: true, path: 'end_of_stream' },
      { key: 'next', value: null, member: true, path: 'next' },
    ]);
  });

  it('reads pages as JSON Lines, as an array of pages, and a bare array of records', () => {
    const lines = `${JSON.stringify(page)}\n${JSON.stringify({ payload: [{ id: 3 }] })}\n`;
    expect(
      scan(lines)
        .filter((i) => !i.member)
        .map((i) => i.value),
    ).toEqual([{ id: 1, s: 'a{b}"[' }, { id: 2 }, { id: 3 }]);
    const array = JSON.stringify([page, { payload: [{ id: 3 }] }]);
    expect(
      scan(array)
        .filter((i) => !i.member)
        .map((i) => i.path),
    ).toEqual(['[0].payload[0]', '[0].payload[1]', '[1].payload[0]']);
    expect(scan('[{"id":1},{"id":2}]').map((i) => i.value)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('gives the same records whatever the chunk size (property)', () => {
    const record = fc.record({ id: fc.nat(), name: fc.string(), tags: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), fc.integer({ min: 1, max: 17 }), (records, size) => {
        const text = JSON.stringify({ payload: records, meta: { n: records.length } }, null, size % 2 === 0 ? 2 : undefined);
        expect(
          scan(text, size)
            .filter((i) => !i.member)
            .map((i) => i.value),
        ).toEqual(records);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses truncated and broken JSON', () => {
    expect(() => scan('{"payload":[{"id":1},{"id":')).toThrow(FileProblem);
    expect(() => scan('{"payload":[{"id":1,}]}')).toThrow(/not valid JSON/);
    expect(() => scan('42')).toThrow(/objects or arrays/);
  });

  it('streams a file with a BOM', async () => {
    const file = tempFile('t.json', `\uFEFF${JSON.stringify(page)}`);
    const items = [];
    for await (const item of readJsonItems(file, { pageKeys: new Set(['payload']), chunkSize: 5 })) items.push(item.record);
    expect(items).toEqual([1, 2, 2, 2, 2]);
  });
});
