/**
 * Overlapping conversation exports: each conversation is stored once, and the daily and monthly
 * statistics count exactly the stored ones — on both databases. Files in id order and shuffled,
 * read in small batches, so batches meet stored blocks (of earlier imports and of their own) whose
 * id ranges overlap theirs half-way.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { storedConversations } from '../../packages/server/src/services/conversations/blocks.js';
import { importFile } from '../../packages/server/src/services/imports/import-file.js';
import { testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';
import { testDirectory } from '../support/temp-dir.js';

const work = testDirectory('ladder-dedup-');
const HEADER = '来源,会话ID,客服账号,开始时间,首次响应时长(秒),处理时长(秒),有效会话,满意度评分';

/** Conversation `id` of agent E200(id % 3), spread over two days, with a rating on every fourth. */
function row(id: number): string {
  const day = id % 2 === 0 ? '2026-10-08' : '2026-10-09';
  return `chatwoot,${id},E200${id % 3},${day} 10:${String(id % 60).padStart(2, '0')}:00,${id % 90},${300 + id},${id % 10 === 0 ? '否' : '是'},${id % 4 === 0 ? 1 + (id % 5) : ''}`;
}

function csv(name: string, ids: number[]): string {
  const file = path.join(work, name);
  writeFileSync(file, `${[HEADER, ...ids.map(row)].join('\n')}\n`);
  return file;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The same ids in a fixed shuffled order (a multiplicative step through the list). */
function shuffled(ids: number[]): number[] {
  return ids.map((_, i) => ids[(i * 37) % ids.length] as number);
}

describeStores('overlapping conversation exports', (context) => {
  it('stores each conversation once and keeps the statistics equal to what is stored', async () => {
    const ctx = testContext(context.store);
    const employees = path.join(work, `${context.dialect}-employees.csv`);
    writeFileSync(
      employees,
      '工号,姓名,客服组,等级,团队,入职日期\nE2000,甲,基础客服,初级,一组,2025-01-02\nE2001,乙,基础客服,初级,一组,2025-01-02\nE2002,丙,基础客服,初级,一组,2025-01-02\n',
    );
    expect((await importFile(ctx, 'employees', employees)).status).toBe('imported');

    const batches = { batchSize: 16 };
    expect(await importFile(ctx, 'conversations', csv(`${context.dialect}-first.csv`, range(1, 200)), batches)).toMatchObject({
      status: 'imported',
      rows: 200,
    });
    // 150…350, shuffled, overlaps the first file by 51 and repeats 300 and 151 inside itself.
    const second = [...shuffled(range(150, 350)), 300, 151];
    expect(await importFile(ctx, 'conversations', csv(`${context.dialect}-second.csv`, second), batches)).toMatchObject({
      status: 'imported',
      rows: 203,
    });
    // Ids of other lengths ("1000" sorts before "200" as text): new ones and repeats mixed, and
    // repeats inside one batch of four.
    const third = [1000, 99, 1001, 1000, 350, 1002, 5, 1002];
    expect(await importFile(ctx, 'conversations', csv(`${context.dialect}-third.csv`, third), { batchSize: 4 })).toMatchObject({
      status: 'imported',
      rows: 8,
    });

    // Ids all of one length (kept as numbers, not text): out of order, repeated inside a batch and
    // against the store.
    const fourth = [2001, 2000, 2001, 2002, 2000, 175];
    expect(await importFile(ctx, 'conversations', csv(`${context.dialect}-fourth.csv`, fourth), { batchSize: 4 })).toMatchObject({
      status: 'imported',
      rows: 6,
    });

    const db = context.store.db;
    const stored = await storedConversations(db, '2026-10-01', '2026-10-31');
    expect(stored).toHaveLength(356);
    expect(new Set(stored.map((c) => c.externalId)).size).toBe(356);
    // The overlap stayed with the first import; the third kept only its new ids.
    const firstImport = stored.find((c) => c.externalId === '175')?.importId;
    expect(stored.filter((c) => c.importId === firstImport)).toHaveLength(200);
    const thirdImport = stored.find((c) => c.externalId === '1000')?.importId;
    expect(
      stored
        .filter((c) => c.importId === thirdImport)
        .map((c) => c.externalId)
        .sort(),
    ).toEqual(['1000', '1001', '1002']);
    const fourthImport = stored.find((c) => c.externalId === '2000')?.importId;
    expect(
      stored
        .filter((c) => c.importId === fourthImport)
        .map((c) => c.externalId)
        .sort(),
    ).toEqual(['2000', '2001', '2002']);
    // What was stored is what the file said.
    const c77 = stored.find((c) => c.externalId === '77');
    expect(c77).toMatchObject({ day: '2026-10-09', firstResponseSeconds: 77, handleSeconds: 377, valid: true, rating: null });
    expect(stored.find((c) => c.externalId === '80')).toMatchObject({ day: '2026-10-08', valid: false, rating: 1 });

    const groups = new Map<
      string,
      { employee_id: number; day: string; n: number; valid: number; frt: number; rating: number; rated: number }
    >();
    for (const c of stored) {
      const key = `${c.employeeId}|${c.day}`;
      const g = groups.get(key) ?? { employee_id: c.employeeId, day: c.day, n: 0, valid: 0, frt: 0, rating: 0, rated: 0 };
      g.n += 1;
      g.valid += c.valid ? 1 : 0;
      g.frt += c.firstResponseSeconds ?? 0;
      g.rating += c.rating ?? 0;
      g.rated += c.rating === null ? 0 : 1;
      groups.set(key, g);
    }
    const fromConversations = {
      rows: [...groups.values()].sort((a, b) => a.employee_id - b.employee_id || (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)),
    };
    const days = await db
      .selectFrom('agent_day_stats')
      .select(['employee_id', 'day', 'conversations', 'valid_conversations', 'first_response_sum_s', 'rating_sum', 'rating_count'])
      .orderBy('employee_id')
      .orderBy('day')
      .execute();
    expect(
      days.map((d) => [
        Number(d.employee_id),
        d.day,
        d.conversations,
        d.valid_conversations,
        Number(d.first_response_sum_s),
        d.rating_sum,
        d.rating_count,
      ]),
    ).toEqual(
      fromConversations.rows.map((r) => [
        Number(r.employee_id),
        r.day,
        Number(r.n),
        Number(r.valid),
        Number(r.frt),
        Number(r.rating),
        Number(r.rated),
      ]),
    );
    expect(days.reduce((sum, d) => sum + d.conversations, 0)).toBe(356);
    const month = await db
      .selectFrom('agent_month_stats')
      .select((eb) => eb.fn.sum<number>('conversations').as('n'))
      .where('month', '=', '2026-10')
      .executeTakeFirstOrThrow();
    expect(Number(month.n)).toBe(356);
  });
});
