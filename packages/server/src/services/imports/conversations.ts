import { sql } from 'kysely';
import type { Store } from '../../db/connect.js';
import type { ConversationColumns, RowProblem } from '../../ingest/index.js';
import type { Db } from '../context.js';
import type { AgentResolver } from './agents.js';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * Adds the conversations this import stored (ids above `afterId` carrying its import id: the ones
 * not skipped as already known) onto the daily statistics, in one statement.
 */
export async function addDailyTotals(db: Db, importId: number, afterId: number): Promise<void> {
  await sql`
    INSERT INTO agent_day_stats (employee_id, day, source, conversations, valid_conversations, first_response_sum_s, first_response_count, rating_sum, rating_count)
    SELECT employee_id, day, source, count(*), sum(valid), coalesce(sum(first_response_s), 0), count(first_response_s), coalesce(sum(rating), 0), count(rating)
    FROM conversations WHERE id > ${afterId} AND import_id = ${importId}
    GROUP BY employee_id, day, source
    ON CONFLICT (employee_id, day, source) DO UPDATE SET
      conversations = agent_day_stats.conversations + excluded.conversations,
      valid_conversations = agent_day_stats.valid_conversations + excluded.valid_conversations,
      first_response_sum_s = agent_day_stats.first_response_sum_s + excluded.first_response_sum_s,
      first_response_count = agent_day_stats.first_response_count + excluded.first_response_count,
      rating_sum = agent_day_stats.rating_sum + excluded.rating_sum,
      rating_count = agent_day_stats.rating_count + excluded.rating_count`.execute(db);
}

/** The highest conversation id so far: everything this import stores comes after it. */
export async function lastConversationId(db: Db): Promise<number> {
  const row = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

const dayNames = new Map<number, string>();
function chinaDay(epochMs: number): string {
  const dayNumber = Math.floor((epochMs + CHINA_OFFSET_MS) / DAY_MS);
  let name = dayNames.get(dayNumber);
  if (!name) {
    name = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    dayNames.set(dayNumber, name);
  }
  return name;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "2026-10-08T09:12:33+08:00" without a Date per row: the day's text is cached, the time computed. */
function chinaTime(epochMs: number): string {
  const local = epochMs + CHINA_OFFSET_MS;
  const seconds = Math.floor((local % DAY_MS) / 1000);
  return `${chinaDay(epochMs)}T${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}+08:00`;
}

/**
 * Writes one batch of conversations (columns), skipping ones already stored (same source and
 * external id), and counts what was added into `totals`. Unknown agents become problems.
 */
export async function writeConversations(
  db: Db,
  store: Store,
  columns: ConversationColumns,
  agents: AgentResolver,
  importId: number,
  problem: (row: number, agent: string, source: string) => RowProblem,
): Promise<RowProblem[]> {
  const problems: RowProblem[] = [];
  const agentIds = columns.agentDict.map(() => new Map<string, number | undefined>());
  const employeeOf = (i: number): number | undefined => {
    const source = columns.sourceDict[columns.sourceCodes[i] as number] as string;
    const code = columns.agentCodes[i] as number;
    const cache = agentIds[code] as Map<string, number | undefined>;
    if (!cache.has(source)) cache.set(source, agents.agent(source, columns.agentDict[code] as string));
    return cache.get(source);
  };
  const externalId = (i: number) => columns.externalIds.slice(i === 0 ? 0 : columns.externalIdEnds[i - 1], columns.externalIdEnds[i]);

  if (store.dialect === 'sqlite' && store.sqlite) {
    // Rows go in 64 at a time: one statement call per 64 rows instead of one per row.
    const GROUP = 64;
    const columnsList = '(source, external_id, employee_id, day, started_at, first_response_s, handle_s, valid, rating, import_id)';
    const sqlite = store.sqlite;
    const statement = (n: number) =>
      sqlite.prepare(
        `INSERT INTO conversations ${columnsList} VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (source, external_id) DO NOTHING`,
      );
    const many = statement(GROUP);
    const one = statement(1);
    const values: unknown[] = [];
    let pending = 0;
    for (let i = 0; i < columns.length; i += 1) {
      const employeeId = employeeOf(i);
      if (employeeId === undefined) {
        problems.push(
          problem(
            columns.rows[i] as number,
            columns.agentDict[columns.agentCodes[i] as number] as string,
            columns.sourceDict[columns.sourceCodes[i] as number] as string,
          ),
        );
        continue;
      }
      if (problems.length > 0) continue;
      const at = columns.startedAt[i] as number;
      const frt = columns.firstResponseSeconds[i] as number;
      const handle = columns.handleSeconds[i] as number;
      values.push(
        columns.sourceDict[columns.sourceCodes[i] as number],
        externalId(i),
        employeeId,
        chinaDay(at),
        chinaTime(at),
        frt === frt ? frt : null,
        handle === handle ? handle : null,
        columns.valid[i],
        (columns.rating[i] as number) || null,
        importId,
      );
      pending += 1;
      if (pending === GROUP) {
        many.run(values);
        values.length = 0;
        pending = 0;
      }
    }
    if (problems.length === 0) for (let k = 0; k < pending; k += 1) one.run(values.slice(k * 10, k * 10 + 10));
    return problems;
  }

  const rows: {
    source: string;
    externalId: string;
    employeeId: number;
    day: string;
    startedAt: string;
    frt: number | null;
    handle: number | null;
    valid: number;
    rating: number | null;
  }[] = [];
  for (let i = 0; i < columns.length; i += 1) {
    const employeeId = employeeOf(i);
    if (employeeId === undefined) {
      problems.push(
        problem(
          columns.rows[i] as number,
          columns.agentDict[columns.agentCodes[i] as number] as string,
          columns.sourceDict[columns.sourceCodes[i] as number] as string,
        ),
      );
      continue;
    }
    const at = columns.startedAt[i] as number;
    const frt = columns.firstResponseSeconds[i] as number;
    const handle = columns.handleSeconds[i] as number;
    rows.push({
      source: columns.sourceDict[columns.sourceCodes[i] as number] as string,
      externalId: externalId(i),
      employeeId,
      day: chinaDay(at),
      startedAt: chinaTime(at),
      frt: frt === frt ? frt : null,
      handle: handle === handle ? handle : null,
      valid: columns.valid[i] as number,
      rating: (columns.rating[i] as number) || null,
    });
  }
  if (problems.length > 0) return problems;
  for (let start = 0; start < rows.length; start += 10_000) {
    const chunk = rows.slice(start, start + 10_000);
    await sql`
      INSERT INTO conversations (source, external_id, employee_id, day, started_at, first_response_s, handle_s, valid, rating, import_id)
      SELECT s, e, emp, d, st, f, h, v, r, ${importId} FROM unnest(
        ${chunk.map((r) => r.source)}::text[], ${chunk.map((r) => r.externalId)}::text[], ${chunk.map((r) => r.employeeId)}::bigint[],
        ${chunk.map((r) => r.day)}::text[], ${chunk.map((r) => r.startedAt)}::text[], ${chunk.map((r) => r.frt)}::float8[],
        ${chunk.map((r) => r.handle)}::float8[], ${chunk.map((r) => r.valid)}::int[], ${chunk.map((r) => r.rating)}::int[]
      ) AS t(s, e, emp, d, st, f, h, v, r)
      ON CONFLICT (source, external_id) DO NOTHING`.execute(db);
  }
  return problems;
}
