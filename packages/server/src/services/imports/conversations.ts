import { sql } from 'kysely';
import type { Store } from '../../db/connect.js';
import type { ConversationColumns, RowProblem } from '../../ingest/index.js';
import type { Db } from '../context.js';
import type { AgentResolver } from './agents.js';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Daily totals of the conversations this import added, per (employee, day, source). */
export class DailyTotals {
  readonly totals = new Map<
    string,
    {
      employeeId: number;
      day: string;
      source: string;
      count: number;
      valid: number;
      frtSum: number;
      frtCount: number;
      ratingSum: number;
      ratingCount: number;
    }
  >();

  add(employeeId: number, day: string, source: string, valid: boolean, frt: number, rating: number): void {
    const key = `${employeeId}|${day}|${source}`;
    let t = this.totals.get(key);
    if (!t) {
      t = { employeeId, day, source, count: 0, valid: 0, frtSum: 0, frtCount: 0, ratingSum: 0, ratingCount: 0 };
      this.totals.set(key, t);
    }
    t.count += 1;
    if (valid) t.valid += 1;
    if (frt === frt) {
      t.frtSum += frt;
      t.frtCount += 1;
    }
    if (rating > 0) {
      t.ratingSum += rating;
      t.ratingCount += 1;
    }
  }

  /** Adds the totals onto the stored daily statistics. */
  async write(db: Db): Promise<void> {
    const rows = [...this.totals.values()];
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('agent_day_stats')
        .values(
          rows.slice(i, i + 500).map((t) => ({
            employee_id: t.employeeId,
            day: t.day,
            source: t.source,
            conversations: t.count,
            valid_conversations: t.valid,
            first_response_sum_s: t.frtSum,
            first_response_count: t.frtCount,
            rating_sum: t.ratingSum,
            rating_count: t.ratingCount,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['employee_id', 'day', 'source']).doUpdateSet((eb) => ({
            conversations: eb('agent_day_stats.conversations', '+', eb.ref('excluded.conversations')),
            valid_conversations: eb('agent_day_stats.valid_conversations', '+', eb.ref('excluded.valid_conversations')),
            first_response_sum_s: eb('agent_day_stats.first_response_sum_s', '+', eb.ref('excluded.first_response_sum_s')),
            first_response_count: eb('agent_day_stats.first_response_count', '+', eb.ref('excluded.first_response_count')),
            rating_sum: eb('agent_day_stats.rating_sum', '+', eb.ref('excluded.rating_sum')),
            rating_count: eb('agent_day_stats.rating_count', '+', eb.ref('excluded.rating_count')),
          })),
        )
        .execute();
    }
  }
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

function chinaTime(epochMs: number): string {
  return `${new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
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
  totals: DailyTotals,
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
    const insert = store.sqlite.prepare(
      'INSERT INTO conversations (source, external_id, employee_id, day, started_at, first_response_s, handle_s, valid, rating, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, external_id) DO NOTHING',
    );
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
      const rating = columns.rating[i] as number;
      const source = columns.sourceDict[columns.sourceCodes[i] as number] as string;
      const day = chinaDay(at);
      const valid = columns.valid[i] === 1;
      const { changes } = insert.run(
        source,
        externalId(i),
        employeeId,
        day,
        chinaTime(at),
        frt === frt ? frt : null,
        handle === handle ? handle : null,
        valid ? 1 : 0,
        rating || null,
        importId,
      );
      if (changes === 1) totals.add(employeeId, day, source, valid, frt, rating);
    }
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
    const inserted = await sql<{
      employee_id: number;
      day: string;
      source: string;
      valid: number;
      first_response_s: number | null;
      rating: number | null;
    }>`
      INSERT INTO conversations (source, external_id, employee_id, day, started_at, first_response_s, handle_s, valid, rating, import_id)
      SELECT s, e, emp, d, st, f, h, v, r, ${importId} FROM unnest(
        ${chunk.map((r) => r.source)}::text[], ${chunk.map((r) => r.externalId)}::text[], ${chunk.map((r) => r.employeeId)}::bigint[],
        ${chunk.map((r) => r.day)}::text[], ${chunk.map((r) => r.startedAt)}::text[], ${chunk.map((r) => r.frt)}::float8[],
        ${chunk.map((r) => r.handle)}::float8[], ${chunk.map((r) => r.valid)}::int[], ${chunk.map((r) => r.rating)}::int[]
      ) AS t(s, e, emp, d, st, f, h, v, r)
      ON CONFLICT (source, external_id) DO NOTHING
      RETURNING employee_id, day, source, valid, first_response_s, rating`.execute(db);
    for (const r of inserted.rows)
      totals.add(Number(r.employee_id), r.day, r.source, r.valid === 1, r.first_response_s ?? Number.NaN, r.rating ?? 0);
  }
  return problems;
}
