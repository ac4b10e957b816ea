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

  // One pass: each row as the 10 values of its INSERT (source … import_id), or a problem.
  const WIDTH = 10;
  const values: unknown[] = [];
  for (let i = 0; i < columns.length; i += 1) {
    const source = columns.sourceDict[columns.sourceCodes[i] as number] as string;
    const employeeId = employeeOf(i);
    if (employeeId === undefined) {
      problems.push(problem(columns.rows[i] as number, columns.agentDict[columns.agentCodes[i] as number] as string, source));
      continue;
    }
    if (problems.length > 0) continue;
    const at = columns.startedAt[i] as number;
    const frt = columns.firstResponseSeconds[i] as number;
    const handle = columns.handleSeconds[i] as number;
    values.push(
      source,
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
  }
  if (problems.length > 0) return problems;
  const rows = values.length / WIDTH;
  const columnsList = '(source, external_id, employee_id, day, started_at, first_response_s, handle_s, valid, rating, import_id)';

  if (store.dialect === 'sqlite' && store.sqlite) {
    // 64 rows per statement call instead of one call per row.
    const GROUP = 64;
    const sqlite = store.sqlite;
    const statement = (n: number) =>
      sqlite.prepare(
        `INSERT INTO conversations ${columnsList} VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (source, external_id) DO NOTHING`,
      );
    const many = statement(GROUP);
    const one = statement(1);
    let row = 0;
    for (; row + GROUP <= rows; row += GROUP) many.run(values.slice(row * WIDTH, (row + GROUP) * WIDTH));
    for (; row < rows; row += 1) one.run(values.slice(row * WIDTH, (row + 1) * WIDTH));
    return problems;
  }

  // PostgreSQL: 10,000 rows per statement as arrays, one per column.
  const column = (k: number, from: number, to: number) => {
    const out: unknown[] = [];
    for (let row = from; row < to; row += 1) out.push(values[row * WIDTH + k]);
    return out;
  };
  for (let from = 0; from < rows; from += 10_000) {
    const to = Math.min(rows, from + 10_000);
    await sql`
      INSERT INTO conversations ${sql.raw(columnsList)}
      SELECT s, e, emp, d, st, f, h, v, r, ${importId} FROM unnest(
        ${column(0, from, to)}::text[], ${column(1, from, to)}::text[], ${column(2, from, to)}::bigint[],
        ${column(3, from, to)}::text[], ${column(4, from, to)}::text[], ${column(5, from, to)}::float8[],
        ${column(6, from, to)}::float8[], ${column(7, from, to)}::int[], ${column(8, from, to)}::int[]
      ) AS t(s, e, emp, d, st, f, h, v, r)
      ON CONFLICT (source, external_id) DO NOTHING`.execute(db);
  }
  return problems;
}
