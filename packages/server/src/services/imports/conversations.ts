import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
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
/** pg_advisory_xact_lock key serializing the final merge of conversation imports ("conv" in ASCII). */
const CONVERSATIONS_MERGE_LOCK = 0x636f6e76;
/** Values per row of an INSERT, in COLUMNS order. */
const WIDTH = 10;
/** Rows per multi-row INSERT on SQLite: one statement call instead of 64. */
const GROUP = 64;

const DAY_STATS_COLUMNS =
  '(employee_id, day, source, conversations, valid_conversations, first_response_sum_s, first_response_count, rating_sum, rating_count)';
const ADD_ONTO_DAY = `ON CONFLICT (employee_id, day, source) DO UPDATE SET
  conversations = agent_day_stats.conversations + excluded.conversations,
  valid_conversations = agent_day_stats.valid_conversations + excluded.valid_conversations,
  first_response_sum_s = agent_day_stats.first_response_sum_s + excluded.first_response_sum_s,
  first_response_count = agent_day_stats.first_response_count + excluded.first_response_count,
  rating_sum = agent_day_stats.rating_sum + excluded.rating_sum,
  rating_count = agent_day_stats.rating_count + excluded.rating_count`;

const dayNames = new Map<number, string>();
const dayNumbers = new Map<string, number>();
function chinaDay(epochMs: number): string {
  const dayNumber = Math.floor((epochMs + CHINA_OFFSET_MS) / DAY_MS);
  let name = dayNames.get(dayNumber);
  if (!name) {
    name = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
    dayNames.set(dayNumber, name);
    dayNumbers.set(name, dayNumber);
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

/** One agent-day-source's sums over the conversations an import added. */
interface DayTotal {
  employeeId: number;
  day: string;
  source: string;
  conversations: number;
  valid: number;
  firstResponseSum: number;
  firstResponseCount: number;
  ratingSum: number;
  ratingCount: number;
}

/**
 * Stores one import's conversations, skipping ones already known (same source and external id,
 * in the store or earlier in the file), and adds exactly the stored ones onto the daily statistics.
 * SQLite: multi-row INSERTs, the totals kept here as the rows go in. PostgreSQL: COPY into a
 * staging table, then one statement that inserts the new ones and totals what it inserted.
 */
export class ConversationWriter {
  private readonly totals = new Map<number, DayTotal>();
  private readonly sourceIndex = new Map<string, number>();
  private staged = false;

  constructor(
    private readonly store: Store,
    private readonly raw: RawConnection,
    private readonly agents: AgentResolver,
    private readonly importId: number,
  ) {}

  /** Writes one batch; unknown agents become problems and then nothing more is written. */
  async write(columns: ConversationColumns, problem: (row: number, agent: string, source: string) => RowProblem): Promise<RowProblem[]> {
    const problems: RowProblem[] = [];
    const agentIds = columns.agentDict.map(() => new Map<string, number | undefined>());
    const employeeOf = (i: number): number | undefined => {
      const source = columns.sourceDict[columns.sourceCodes[i] as number] as string;
      const code = columns.agentCodes[i] as number;
      const cache = agentIds[code] as Map<string, number | undefined>;
      if (!cache.has(source)) cache.set(source, this.agents.agent(source, columns.agentDict[code] as string));
      return cache.get(source);
    };
    const externalId = (i: number) => columns.externalIds.slice(i === 0 ? 0 : columns.externalIdEnds[i - 1], columns.externalIdEnds[i]);

    // One pass: each row as the values of its INSERT, or a problem.
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
        this.importId,
      );
    }
    if (problems.length > 0) return problems;
    if (this.store.dialect === 'postgres') {
      if (!this.raw.postgres) throw new Error('PostgreSQL import without its connection');
      await copyIntoStaging(this.raw.postgres, values);
      this.staged = true;
    } else {
      this.insertSqlite(values);
    }
    return problems;
  }

  /** Adds the day totals of what was stored; call once, after the last batch. */
  async finish(db: Db): Promise<void> {
    if (this.store.dialect === 'postgres') {
      if (!this.staged) return;
      // One conversations import merges at a time, so the unknown ones found below stay unknown
      // until they are inserted. An anti-join and a plain insert cost a third less than
      // ON CONFLICT's speculative insertion; DISTINCT ON keeps the file's first of a repeated id.
      await sql`SELECT pg_advisory_xact_lock(${CONVERSATIONS_MERGE_LOCK})`.execute(db);
      await sql`SET LOCAL work_mem = '256MB'`.execute(db);
      await sql
        .raw(
          `WITH fresh AS (
             SELECT DISTINCT ON (s.source, s.external_id) ${COLUMN_NAMES.split(', ')
               .map((c) => `s.${c}`)
               .join(', ')}
             FROM conversation_staging s
             WHERE NOT EXISTS (SELECT 1 FROM conversations c WHERE c.source = s.source AND c.external_id = s.external_id)
             ORDER BY s.source, s.external_id, s.seq),
           inserted AS (
             INSERT INTO conversations ${COLUMNS} SELECT ${COLUMN_NAMES} FROM fresh
             RETURNING employee_id, day, source, valid, first_response_s, rating)
           INSERT INTO agent_day_stats ${DAY_STATS_COLUMNS}
           SELECT employee_id, day, source, count(*), sum(valid), coalesce(sum(first_response_s), 0), count(first_response_s), coalesce(sum(rating), 0), count(rating)
           FROM inserted GROUP BY employee_id, day, source
           ${ADD_ONTO_DAY}`,
        )
        .execute(db);
      await sql`DROP TABLE conversation_staging`.execute(db);
      return;
    }
    const sqlite = this.store.sqlite;
    if (!sqlite || this.totals.size === 0) return;
    const upsert = sqlite.prepare(`INSERT INTO agent_day_stats ${DAY_STATS_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ${ADD_ONTO_DAY}`);
    for (const t of this.totals.values()) {
      upsert.run(
        t.employeeId,
        t.day,
        t.source,
        t.conversations,
        t.valid,
        t.firstResponseSum,
        t.firstResponseCount,
        t.ratingSum,
        t.ratingCount,
      );
    }
  }

  /**
   * Multi-row INSERT … ON CONFLICT DO NOTHING. A statement that stored all its rows (or none)
   * says so by its change count; only a mixed one is looked at row by row, by the ids it was given.
   */
  private insertSqlite(values: readonly unknown[]): void {
    const sqlite = this.store.sqlite;
    if (!sqlite) throw new Error('SQLite import without its connection');
    const statement = (n: number) =>
      sqlite.prepare(
        `INSERT INTO conversations ${COLUMNS} VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (source, external_id) DO NOTHING`,
      );
    const many = statement(GROUP);
    const one = statement(1);
    const storedSince = sqlite.prepare('SELECT source, external_id FROM conversations WHERE id > ? ORDER BY id');
    const lastId = sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM conversations').pluck();
    const rows = values.length / WIDTH;
    for (let row = 0; row < rows;) {
      const n = row + GROUP <= rows ? GROUP : 1;
      const chunk = values.slice(row * WIDTH, (row + n) * WIDTH);
      const before = Number(lastId.get());
      const { changes } = (n === GROUP ? many : one).run(chunk);
      if (changes === n) for (let k = 0; k < n; k += 1) this.count(chunk, k);
      else if (changes > 0) {
        // Some rows were known: count the ones this statement stored, each once.
        const stored = new Set(
          (storedSince.all(before) as { source: string; external_id: string }[]).map((r) => `${r.source}\u0000${r.external_id}`),
        );
        for (let k = 0; k < n; k += 1) {
          const key = `${chunk[k * WIDTH] as string}\u0000${chunk[k * WIDTH + 1] as string}`;
          if (stored.delete(key)) this.count(chunk, k);
        }
      }
      row += n;
    }
  }

  private count(chunk: readonly unknown[], k: number): void {
    const o = k * WIDTH;
    const source = chunk[o] as string;
    const employeeId = chunk[o + 2] as number;
    const day = chunk[o + 3] as string;
    let sourceNo = this.sourceIndex.get(source);
    if (sourceNo === undefined) {
      sourceNo = this.sourceIndex.size;
      this.sourceIndex.set(source, sourceNo);
    }
    // employee, day (days since 1970, < 2^16 for two centuries) and source in one exact number
    const key = (employeeId * 65_536 + (dayNumbers.get(day) as number)) * 1024 + sourceNo;
    let total = this.totals.get(key);
    if (!total) {
      total = {
        employeeId,
        day,
        source,
        conversations: 0,
        valid: 0,
        firstResponseSum: 0,
        firstResponseCount: 0,
        ratingSum: 0,
        ratingCount: 0,
      };
      this.totals.set(key, total);
    }
    total.conversations += 1;
    total.valid += chunk[o + 7] as number;
    const frt = chunk[o + 5] as number | null;
    if (frt !== null) {
      total.firstResponseSum += frt;
      total.firstResponseCount += 1;
    }
    const rating = chunk[o + 8] as number | null;
    if (rating !== null) {
      total.ratingSum += rating;
      total.ratingCount += 1;
    }
  }
}

function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value !== 'string') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] as string) : value;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One batch into the import's staging table with COPY (created on first use, gone at commit). */
async function copyIntoStaging(client: pg.PoolClient, values: readonly unknown[]): Promise<void> {
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS conversation_staging (
       source text, external_id text, employee_id bigint, day text, started_at text, first_response_s float8,
       handle_s float8, valid int, rating int, import_id bigint, seq bigserial) ON COMMIT DROP`,
  );
  const rows = values.length / WIDTH;
  const text = function* (): Generator<string> {
    let chunk = '';
    for (let row = 0; row < rows; row += 1) {
      let line = copyText(values[row * WIDTH]);
      for (let k = 1; k < WIDTH; k += 1) line += `\t${copyText(values[row * WIDTH + k])}`;
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
