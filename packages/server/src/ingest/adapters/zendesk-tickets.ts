/**
 * Zendesk's incremental ticket export with the metric_sets side-load (cursor-based
 * /api/v2/incremental/tickets/cursor.json?include=metric_sets or the time-based one; pages saved
 * one after another, as JSON Lines or as an array) → tickets, conversations and csat:
 *  - a ticket is credited to its current assignee_id; unassigned tickets are skipped;
 *  - tickets from messaging channels (chat, native_messaging, whatsapp, … or from_messaging_channel)
 *    are conversations: startedAt = created_at, firstResponseSeconds = reply_time_in_seconds or
 *    reply_time_in_minutes × 60, handleSeconds = full_resolution_time_in_minutes × 60, valid = the
 *    agent replied (replies > 0); all other tickets are tickets (day = created_at's China day, wrong = false);
 *  - a rated ticket (satisfaction_rating.score good/bad) is also a csat row: good → 5, bad → 1, on the
 *    China day it was solved (metric set solved_at), else of its last update;
 *  - duplicates across pages are dropped, keeping the newest (generated_timestamp, else updated_at).
 * Other side-loads (users, groups) and page members (after_cursor, end_of_stream) are ignored.
 * Memory: one small record per ticket, since a later page may update an earlier ticket.
 */
import { readJsonItems } from '../json.js';
import { type RowProblem, reason } from '../problems.js';
import type { ConversationRow, CsatRow, ImportBatch, TicketRow } from '../types.js';
import { chinaDay, formatChinaTime } from '../values.js';
import { ColumnBatch, columnsFromRows } from '../fast/batch.js';
import { type AdapterSpec, chunked } from './adapter.js';
import { JsonFields, notAnObject } from './json-fields.js';

/** Channels whose tickets are conversations; `from_messaging_channel` (documented) is the main signal. */
const MESSAGING = new Set(['chat', 'chat_transcript', 'native_messaging', 'whatsapp', 'wechat', 'line', 'telegram', 'instagram_dm', 'sms']);
const isMessaging = (channel: unknown) =>
  typeof channel === 'string' && (MESSAGING.has(channel) || channel.startsWith('sunshine_conversations'));

interface Ticket {
  record: number;
  id: number;
  version: number;
  assignee: number | null;
  created: number;
  updated: number;
  messaging: boolean;
  score: 'good' | 'bad' | null;
  comment: string | null;
}

interface Metrics {
  version: number;
  replySeconds: number | null;
  resolutionSeconds: number | null;
  replies: number | null;
  solvedAt: number | null;
}

/** `{calendar, business}` in minutes (or seconds) → the calendar figure, null when not reached. */
function calendar(value: unknown): number | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return undefined;
  const c = (value as Record<string, unknown>).calendar;
  if (c === null || c === undefined) return null;
  return typeof c === 'number' && Number.isFinite(c) && c >= 0 ? c : undefined;
}

export const zendeskTickets: AdapterSpec = {
  title: reason('Zendesk incremental ticket export', 'Zendesk 增量工单导出'),
  reads: reason(
    'JSON pages of /api/v2/incremental/tickets(/cursor).json?include=metric_sets',
    '增量工单导出接口(include=metric_sets)的 JSON 分页',
  ),
  formats: ['json'],
  produces: ['tickets', 'conversations', 'csat'],
  async *read(ctx) {
    const source = ctx.source ?? 'zendesk';
    const label = ctx.label;
    const tickets = new Map<number, Ticket>();
    const metrics = new Map<number, Metrics>();
    let problems: RowProblem[] = [];
    let records = 0;
    for await (const item of readJsonItems(ctx.file, { pageKeys: new Set(['tickets', 'metric_sets']), progress: ctx.progress })) {
      if (item.member || (item.key !== 'tickets' && item.key !== 'metric_sets')) continue;
      records++;
      if (records % ctx.batchSize === 0) ctx.onRows(records);
      if (problems.length >= ctx.batchSize) {
        yield { kind: 'tickets', rows: [], problems, headers: {} };
        problems = [];
      }
      if (typeof item.value !== 'object' || item.value === null || Array.isArray(item.value)) {
        problems.push(notAnObject(label, item.record, item.path, item.value));
        continue;
      }
      const raw = item.value as Record<string, unknown>;
      const f = new JsonFields(label, item.record, item.path, raw);
      if (item.key === 'tickets') {
        const id = f.id('id', false);
        const assignee = f.id('assignee_id', true);
        const created = f.time('created_at');
        const updated = f.time('updated_at', true);
        const via = raw.via as { channel?: unknown } | undefined;
        const rating = raw.satisfaction_rating as { score?: unknown; comment?: unknown } | null | undefined;
        if (f.problems.length > 0) {
          problems.push(...f.problems);
          continue;
        }
        const generated = typeof raw.generated_timestamp === 'number' ? raw.generated_timestamp * 1000 : null;
        const version = generated ?? updated ?? (created as number);
        const previous = tickets.get(id as number);
        if (previous && previous.version > version) continue;
        const score = rating && (rating.score === 'good' || rating.score === 'bad') ? rating.score : null;
        tickets.set(id as number, {
          record: item.record,
          id: id as number,
          version,
          assignee: assignee ?? null,
          created: created as number,
          updated: updated ?? (created as number),
          messaging: raw.from_messaging_channel === true || isMessaging(via?.channel),
          score,
          comment: score && typeof rating?.comment === 'string' && rating.comment.trim() !== '' ? rating.comment.trim() : null,
        });
      } else {
        const ticketId = f.id('ticket_id', false);
        const updated = f.time('updated_at', true);
        const solvedAt = f.time('solved_at', true);
        const replySeconds = calendar(raw.reply_time_in_seconds);
        const replyMinutes = calendar(raw.reply_time_in_minutes);
        const resolution = calendar(raw.full_resolution_time_in_minutes);
        const replies = raw.replies;
        for (const [field, value] of [
          ['reply_time_in_seconds', replySeconds],
          ['reply_time_in_minutes', replyMinutes],
          ['full_resolution_time_in_minutes', resolution],
        ] as const) {
          if (value === undefined) {
            problems.push({
              file: label,
              row: item.record,
              column: `${item.path}.${field}`,
              value: JSON.stringify(raw[field]),
              reason: 'must be {"calendar": minutes, "business": minutes} with numbers ≥ 0 or null',
              reasonZh: '必须是 {"calendar": 分钟, "business": 分钟},数值 ≥ 0 或 null',
              code: 'invalid',
            });
          }
        }
        if (f.problems.length > 0 || replySeconds === undefined || replyMinutes === undefined || resolution === undefined) {
          problems.push(...f.problems);
          continue;
        }
        const version = updated ?? 0;
        const previous = metrics.get(ticketId as number);
        if (previous && previous.version > version) continue;
        metrics.set(ticketId as number, {
          version,
          replySeconds: replySeconds ?? (replyMinutes === null ? null : replyMinutes * 60),
          resolutionSeconds: resolution === null ? null : resolution * 60,
          replies: typeof replies === 'number' ? replies : null,
          solvedAt: solvedAt ?? null,
        });
      }
    }
    ctx.onRows(records);

    const ticketRows: TicketRow[] = [];
    const conversationRows: ConversationRow[] = [];
    const csatRows: CsatRow[] = [];
    for (const t of [...tickets.values()].sort((a, b) => a.record - b.record)) {
      if (t.assignee === null) continue;
      const m = metrics.get(t.id);
      const agent = String(t.assignee);
      const externalId = String(t.id);
      if (t.messaging) {
        conversationRows.push({
          row: t.record,
          source,
          externalId,
          agent,
          startedAt: formatChinaTime(t.created),
          firstResponseSeconds: m?.replySeconds ?? null,
          handleSeconds: m?.resolutionSeconds ?? null,
          valid: m?.replies === null || m?.replies === undefined ? true : m.replies > 0,
          rating: t.score === 'good' ? 5 : t.score === 'bad' ? 1 : null,
        });
      } else {
        ticketRows.push({ row: t.record, source, externalId, agent, day: chinaDay(t.created), wrong: false });
      }
      if (t.score) {
        csatRows.push({
          row: t.record,
          source,
          externalId,
          agent,
          day: chinaDay(m?.solvedAt ?? t.updated),
          rating: t.score === 'good' ? 5 : 1,
          comment: t.comment,
        });
      }
    }
    const out: ImportBatch[] = [];
    for (const part of chunked(ticketRows, ctx.batchSize)) out.push({ kind: 'tickets', rows: part, problems: [], headers: {} });
    for (const part of chunked(conversationRows, ctx.batchSize)) out.push(new ColumnBatch(columnsFromRows(part), [], {}, part));
    for (const part of chunked(csatRows, ctx.batchSize)) out.push({ kind: 'csat', rows: part, problems: [], headers: {} });
    const first = out[0];
    if (first) first.problems = problems;
    else out.push({ kind: 'tickets', rows: [], problems, headers: {} });
    yield* out;
  },
};
