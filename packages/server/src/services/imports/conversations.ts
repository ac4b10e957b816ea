import { sql } from 'kysely';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RawConnection, Store } from '../../db/connect.js';
import type { ConversationColumns, RowProblem } from '../../ingest/index.js';
import type { Db } from '../context.js';
import type { AgentResolver } from './agents.js';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

const COLUMN_NAMES = 'source, external_id, employee_id, day, started_at, first_response_s, handle_s, valid, rating, import_id';
const COLUMNS = `(${COLUMN_NAMES})`;

const ADD_ONTO_DAY = `ON CONFLICT (employee_id, day, source) DO UPDATE SET
  conversations = agent_day_stats.conversations + excluded.conversations,
  valid_conversations = agent_day_stats.valid_conversations + excluded.valid_conversations,
  first_response_sum_s = agent_day_stats.first_response_sum_s + excluded.first_response_sum_s,
  first_response_count = agent_day_stats.first_response_count + excluded.first_response_count,
  rating_sum = agent_day_stats.rating_sum + excluded.rating_sum,
  rating_count = agent_day_stats.rating_count + excluded.rating_count`;

const DAY_TOTALS = `SELECT employee_id, day, source, count(*), sum(valid), coalesce(sum(first_response_s), 0), count(first_response_s), coalesce(sum(rating), 0), count(rating)`;

/**
 * Ends a conversations import: the conversations it brought that were not known yet are added
 * onto the daily statistics. SQLite has stored them already (ids above `afterId` carrying this
 * import's id); PostgreSQL moves them now from the COPY staging table, skipping known ones, and
 * totals exactly what it inserted — one statement.
 */
export async function finishConversations(db: Db, store: Store, importId: number, afterId: number): Promise<void> {
  if (store.dialect === 'postgres') {
    const staged = await sql<{ n: number }>`SELECT to_regclass('pg_temp.conversation_staging') IS NOT NULL AS n`.execute(db);
    if (!staged.rows[0]?.n) return;
    await sql
      .raw(
        `WITH inserted AS (
           INSERT INTO conversations ${COLUMNS} SELECT ${COLUMN_NAMES} FROM conversation_staging ORDER BY seq
           ON CONFLICT (source, external_id) DO NOTHING
           RETURNING employee_id, day, source, valid, first_response_s, rating)
         INSERT INTO agent_day_stats (employee_id, day, source, conversations, valid_conversations, first_response_sum_s, first_response_count, rating_sum, rating_count)
         ${DAY_TOTALS} FROM inserted GROUP BY employee_id, day, source
         ${ADD_ONTO_DAY}`,
      )
      .execute(db);
    await sql`DROP TABLE conversation_staging`.execute(db);
    return;
  }
  await sql`
    INSERT INTO agent_day_stats (employee_id, day, source, conversations, valid_conversations, first_response_sum_s, first_response_count, rating_sum, rating_count)
    ${sql.raw(DAY_TOTALS)} FROM conversations WHERE id > ${afterId} AND import_id = ${importId}
    GROUP BY employee_id, day, source
    ${sql.raw(ADD_ONTO_DAY)}`.execute(db);
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
  store: Store,
  raw: RawConnection,
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

  if (store.dialect === 'sqlite' && store.sqlite) {
    // 64 rows per statement call instead of one call per row.
    const GROUP = 64;
    const sqlite = store.sqlite;
    const statement = (n: number) =>
      sqlite.prepare(
        `INSERT INTO conversations ${COLUMNS} VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (source, external_id) DO NOTHING`,
      );
    const many = statement(GROUP);
    const one = statement(1);
    let row = 0;
    for (; row + GROUP <= rows; row += GROUP) many.run(values.slice(row * WIDTH, (row + GROUP) * WIDTH));
    for (; row < rows; row += 1) one.run(values.slice(row * WIDTH, (row + 1) * WIDTH));
    return problems;
  }

  if (!raw.postgres) throw new Error('PostgreSQL import without its connection');
  await copyIntoStaging(raw.postgres, values, WIDTH);
  return problems;
}

function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] as string) : value;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One batch into the import's staging table with COPY (created on first use, gone at commit). */
async function copyIntoStaging(client: pg.PoolClient, values: readonly unknown[], width: number): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS conversation_staging (
       source text, external_id text, employee_id bigint, day text, started_at text, first_response_s float8,
       handle_s float8, valid int, rating int, import_id bigint, seq bigserial) ON COMMIT DROP`,
  );
  const rows = values.length / width;
  const text = function* (): Generator<string> {
    let chunk = '';
    for (let row = 0; row < rows; row += 1) {
      let line = copyText(values[row * width]);
      for (let k = 1; k < width; k += 1) line += `\t${copyText(values[row * width + k])}`;
      chunk += `${line}\n`;
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  };
  await pipeline(Readable.from(text()), client.query(copyFrom(`COPY conversation_staging ${COLUMNS} FROM STDIN`)));
}
