import { describe, expect, it } from 'vitest';
import {
  type BlockColumns,
  conversationAt,
  decodeBlock,
  decodeExternalIds,
  emptyColumns,
  encodeBlock,
  encodeExternalIds,
  indexOfSorted,
  numberedIds,
} from './blocks.js';

function block(
  rows: { id: string; employee: number; at: number; frt: number; handle: number; valid: number; rating: number }[],
): BlockColumns {
  const c = emptyColumns(rows.length);
  rows.forEach((r, i) => {
    c.externalIds[i] = r.id;
    c.employeeIds[i] = r.employee;
    c.startedAt[i] = r.at;
    c.firstResponseSeconds[i] = r.frt;
    c.handleSeconds[i] = r.handle;
    c.valid[i] = r.valid;
    c.rating[i] = r.rating;
  });
  return c;
}

const roundTrip = (c: BlockColumns) => decodeBlock({ id: 7, ...encodeBlock({ importId: 3, source: 'desk', day: '2026-10-08' }, c) });
const at = Date.UTC(2026, 9, 8, 1, 2, 3);

describe('conversation blocks', () => {
  it('stores whole seconds, ids and exact durations in 4 bytes a value (2 for whole seconds below 65535), and reads them back', () => {
    const c = block([
      { id: 'a1', employee: 12, at, frt: 35, handle: 11.5, valid: 1, rating: 5 },
      { id: 'a2', employee: 4_000_000_000, at: at + 1000, frt: NaN, handle: NaN, valid: 0, rating: 0 },
    ]);
    const row = encodeBlock({ importId: 3, source: 'desk', day: '2026-10-08' }, c);
    expect([row.employee_ids.length, row.started_at.length, row.first_response_s.length, row.handle_s.length]).toEqual([8, 8, 4, 8]);
    expect(row).toMatchObject({ row_count: 2, first_id: 'a1', last_id: 'a2', external_ids: '["a1","a2"]' });
    const back = roundTrip(c);
    expect(conversationAt(back, 0)).toEqual({
      source: 'desk',
      externalId: 'a1',
      employeeId: 12,
      day: '2026-10-08',
      startedAt: at,
      firstResponseSeconds: 35,
      handleSeconds: 11.5,
      valid: true,
      rating: 5,
      importId: 3,
    });
    expect(conversationAt(back, 1)).toMatchObject({
      employeeId: 4_000_000_000,
      firstResponseSeconds: null,
      handleSeconds: null,
      valid: false,
      rating: null,
    });
  });

  it('keeps 8 bytes a value for a column where one value would not survive 4', () => {
    const c = block([
      { id: 'b', employee: 2 ** 33, at: at + 250, frt: 11.2, handle: 2 ** 25 + 1, valid: 1, rating: 1 },
      { id: 'c', employee: 1, at, frt: 3, handle: 4, valid: 1, rating: 2 },
    ]);
    const row = encodeBlock({ importId: null, source: 'desk', day: '2026-10-08' }, c);
    expect([row.employee_ids.length, row.started_at.length, row.first_response_s.length, row.handle_s.length]).toEqual([16, 16, 16, 16]);
    const back = roundTrip(c);
    expect(conversationAt(back, 0)).toMatchObject({
      employeeId: 2 ** 33,
      startedAt: at + 250,
      firstResponseSeconds: 11.2,
      handleSeconds: 2 ** 25 + 1,
    });
    expect(conversationAt(back, 1)).toMatchObject({ employeeId: 1, startedAt: at, firstResponseSeconds: 3, handleSeconds: 4, importId: 3 });
  });

  it('reads columns stored at an odd offset (a database may hand back any slice)', () => {
    const row = encodeBlock(
      { importId: 1, source: 'desk', day: '2026-10-08' },
      block([{ id: 'x', employee: 9, at, frt: 1, handle: 2, valid: 1, rating: 3 }]),
    );
    const shifted = (b: Buffer) => Buffer.concat([Buffer.from([0]), b]).subarray(1);
    const back = decodeBlock({ id: 1, ...row, employee_ids: shifted(row.employee_ids), started_at: shifted(row.started_at) });
    expect(conversationAt(back, 0)).toMatchObject({ employeeId: 9, startedAt: at });
  });

  it('keeps small employee ids and whole-second durations in 2 bytes, a missing duration included', () => {
    const c = block([
      { id: '1', employee: 65535, at, frt: 0, handle: 65534, valid: 1, rating: 4 },
      { id: '2', employee: 0, at, frt: NaN, handle: 7, valid: 0, rating: 0 },
    ]);
    const row = encodeBlock({ importId: 1, source: 'desk', day: '2026-10-08' }, c);
    expect([row.employee_ids.length, row.first_response_s.length, row.handle_s.length]).toEqual([4, 4, 4]);
    const back = roundTrip(c);
    expect([conversationAt(back, 0), conversationAt(back, 1)]).toMatchObject([
      { employeeId: 65535, firstResponseSeconds: 0, handleSeconds: 65534 },
      { employeeId: 0, firstResponseSeconds: null, handleSeconds: 7 },
    ]);
    // 65535 seconds itself does not fit the 2-byte form (it means "none" there).
    const wide = encodeBlock(
      { importId: 1, source: 'desk', day: '2026-10-08' },
      block([{ id: '1', employee: 65536, at, frt: 65535, handle: 1, valid: 1, rating: 0 }]),
    );
    expect([wide.employee_ids.length, wide.first_response_s.length]).toEqual([4, 4]);
    expect(conversationAt(decodeBlock({ id: 1, ...wide }), 0)).toMatchObject({ employeeId: 65536, firstResponseSeconds: 65535 });
  });

  it('stores ids that are numbers of one length as differences, anything else as a JSON array', () => {
    const numbered = ['10000000', '10000001', '10000001', '10000105', '99999999'];
    const text = encodeExternalIds(numbered);
    expect(text).toBe('#10000000,1,0,104,89999894');
    expect(decodeExternalIds(text)).toEqual(numbered);
    expect(encodeExternalIds(Float64Array.from(numbered, Number))).toBe(text);
    expect(decodeExternalIds(encodeExternalIds(['999999999999999']))).toEqual(['999999999999999']);
    for (const ids of [['9', '10'], ['01', '02'], ['1a'], ['1000000000000000'], ['', ''], ['a1', 'a2'], ['12', '-1']]) {
      expect(numberedIds(ids)).toBeNull();
      expect(encodeExternalIds(ids)).toBe(JSON.stringify(ids));
      expect(decodeExternalIds(encodeExternalIds(ids))).toEqual(ids);
    }
    // Out-of-order numbers still round-trip (a difference may be negative).
    expect(decodeExternalIds(encodeExternalIds(['30', '12', '99']))).toEqual(['30', '12', '99']);
  });

  it('finds an id in a sorted list by halves', () => {
    const ids = ['1000', '200', '300', 'a', 'b'];
    expect(ids.map((id) => indexOfSorted(ids, id))).toEqual([0, 1, 2, 3, 4]);
    expect(indexOfSorted(ids, '250')).toBe(-1);
    expect(indexOfSorted([], 'a')).toBe(-1);
  });
});
