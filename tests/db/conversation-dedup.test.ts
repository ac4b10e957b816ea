/**
 * Overlapping conversation exports: each conversation is stored once, and the daily and monthly
 * statistics count exactly the stored ones — on both databases, through the bulk write paths
 * (files of hundreds of rows, so multi-row statements meet known conversations half-way).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { importFile } from '../../packages/server/src/services/imports/import-file.js';
import { testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

const work = mkdtempSync(path.join(tmpdir(), 'ladder-dedup-'));
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

describeStores('overlapping conversation exports', (context) => {
  it('stores each conversation once and keeps the statistics equal to what is stored', async () => {
    const ctx = testContext(context.store);
    const employees = path.join(work, `${context.dialect}-employees.csv`);
    writeFileSync(
      employees,
      '工号,姓名,客服组,等级,团队,入职日期\nE2000,甲,基础客服,初级,一组,2025-01-02\nE2001,乙,基础客服,初级,一组,2025-01-02\nE2002,丙,基础客服,初级,一组,2025-01-02\n',
    );
    expect((await importFile(ctx, 'employees', employees)).status).toBe('imported');

    expect(await importFile(ctx, 'conversations', csv(`${context.dialect}-first.csv`, range(1, 200)))).toMatchObject({
      status: 'imported',
      rows: 200,
    });
    // 150…350 overlaps the first file by 51, and repeats 300 inside itself.
    const second = [...range(150, 350), 300];
    expect(await importFile(ctx, 'conversations', csv(`${context.dialect}-second.csv`, second))).toMatchObject({
      status: 'imported',
      rows: 202,
    });

    const db = context.store.db;
    const stored = await db.selectFrom('conversations').select(['external_id', 'import_id']).execute();
    expect(stored).toHaveLength(350);
    expect(new Set(stored.map((c) => c.external_id)).size).toBe(350);
    // The overlap stayed with the first import.
    const firstImport = stored.find((c) => c.external_id === '175')?.import_id;
    expect(stored.filter((c) => c.import_id === firstImport)).toHaveLength(200);

    const fromConversations = await sql<{
      employee_id: number;
      day: string;
      n: number;
      valid: number;
      frt: number;
      rating: number;
      rated: number;
    }>`
      SELECT employee_id, day, count(*) AS n, sum(valid) AS valid, sum(first_response_s) AS frt, coalesce(sum(rating), 0) AS rating, count(rating) AS rated
      FROM conversations GROUP BY employee_id, day ORDER BY employee_id, day`.execute(db);
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
    expect(days.reduce((sum, d) => sum + d.conversations, 0)).toBe(350);
    const month = await db
      .selectFrom('agent_month_stats')
      .select((eb) => eb.fn.sum<number>('conversations').as('n'))
      .where('month', '=', '2026-10')
      .executeTakeFirstOrThrow();
    expect(Number(month.n)).toBe(350);
  });
});
