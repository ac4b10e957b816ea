/**
 * Conversation import benchmark: a help-desk CSV of M conversations for N agents (skewed: a few
 * agents take most of the volume), imported end to end (parse, validate, de-duplicate, store,
 * total per agent and day), and DuckDB's parse + group-by of the same file as the near-limit.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Store } from '../packages/server/dist/db/connect.js';
import { systemClock } from '../packages/server/dist/services/context.js';
import { importFile } from '../packages/server/dist/services/imports/import-file.js';
import { loadEmployees, random } from './department.js';

export function agentNumber(i: number): string {
  return `A${String(i + 1).padStart(6, '0')}`;
}

/** Writes M conversations of October 2026 as a help desk would export them (Chinese headers). */
export function writeConversationsCsv(file: string, rows: number, agents: number): number {
  const rnd = random(20261008);
  const fd = openSync(file, 'w');
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  let lines: string[] = ['来源,会话ID,客服账号,开始时间,首次响应时长(秒),处理时长(秒),有效会话,满意度评分'];
  const start = Date.UTC(2026, 9, 1, 0, 0, 0) / 1000;
  for (let i = 0; i < rows; i += 1) {
    const t = new Date((start + Math.floor((i / rows) * 31 * 86400)) * 1000);
    const at = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
    const skewed = Math.floor(rnd() * rnd() * agents); // the square of a uniform: heavy at the front
    const rating = rnd() < 0.25 ? String(1 + Math.floor(rnd() * 5)) : '';
    lines.push(
      `chatwoot,${10_000_000 + i},${agentNumber(skewed)},${at},${Math.floor(rnd() * 600)},${30 + Math.floor(rnd() * 3000)},${rnd() < 0.05 ? '否' : '是'},${rating}`,
    );
    if (lines.length >= 50_000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
  closeSync(fd);
  return statSync(file).size;
}

/** The agents the file names, as employees of an empty store. */
export async function loadAgents(store: Store, agents: number): Promise<void> {
  await loadEmployees(
    store,
    Array.from({ length: agents }, (_, i) => ({ id: i + 1, no: agentNumber(i), group: 'basic', level: 'junior' })),
  );
}

export async function benchImport(store: Store, file: string): Promise<{ rows: number; seconds: number }> {
  const started = performance.now();
  const result = await importFile({ store, actor: 'bench', now: systemClock }, 'conversations', file);
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 'imported')
    throw new Error(
      `benchmark import ${result.status}: ${result.problems
        .slice(0, 3)
        .map((p) => p.reason)
        .join('; ')}`,
    );
  return { rows: result.rows, seconds };
}

/** DuckDB reading the same CSV and grouping it per agent and day: the near-limit for parse + group-by. */
export async function duckdbReference(file: string): Promise<{ seconds: number; groups: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const started = performance.now();
  const reader = await connection.runAndReadAll(
    `SELECT "客服账号", substr("开始时间", 1, 10) AS day, count(*) AS n FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true) GROUP BY ALL`,
  );
  const seconds = (performance.now() - started) / 1000;
  const groups = reader.getRows().length;
  connection.closeSync();
  instance.closeSync();
  return { seconds, groups };
}
