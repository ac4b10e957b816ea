/**
 * Chatwoot's reporting events (GET /api/v1/accounts/{id}/reporting_events pages `{payload, meta}`
 * saved one after another or as an array, or the per-conversation endpoint's bare array) →
 * conversations, one per conversation_id:
 *  - agent: the user of the last conversation_resolved event (the assignee or resolver), else of
 *    first_response, else of any event; conversations no person touched (bot only) are skipped;
 *  - startedAt: the earliest event_start_time (the conversation's creation for first_response and
 *    conversation_resolved), or created_at − value where the version has no start times;
 *  - firstResponseSeconds: the first_response event's value (calendar seconds);
 *  - handleSeconds: the largest conversation_resolved value (creation → final resolution);
 *  - valid: a person replied (there is a first_response event); rating: none (CSAT comes from its own report).
 * Events of names Ladder does not use are read (and checked) and dropped. Memory: one small record per conversation.
 */
import { basename } from 'node:path';
import { readJsonItems } from '../json.js';
import { type RowProblem, reason } from '../problems.js';
import type { ConversationRow } from '../types.js';
import { formatChinaTime } from '../values.js';
import { columnsFromRows, ColumnBatch } from '../fast/batch.js';
import { type AdapterSpec, chunked } from './adapter.js';
import { JsonFields, notAnObject } from './json-fields.js';

interface Conversation {
  record: number;
  start: number;
  firstResponse: number | null;
  firstResponseAt: number;
  firstResponseUser: number | null;
  resolved: number | null;
  resolvedAt: number;
  resolvedUser: number | null;
  anyUser: number | null;
}

const USED = new Set(['first_response', 'conversation_resolved', 'conversation_bot_resolved', 'conversation_bot_handoff']);

export const chatwootEvents: AdapterSpec = {
  title: reason('Chatwoot reporting events', 'Chatwoot 报表事件'),
  reads: reason('JSON pages of GET /api/v1/accounts/{id}/reporting_events', 'reporting_events 接口的 JSON 分页'),
  formats: ['json'],
  produces: ['conversations'],
  async *read(ctx) {
    const source = ctx.source ?? 'chatwoot';
    const label = ctx.label || basename(ctx.file);
    const conversations = new Map<number, Conversation>();
    let problems: RowProblem[] = [];
    let records = 0;
    for await (const item of readJsonItems(ctx.file, { pageKeys: new Set(['payload']), progress: ctx.progress })) {
      if (item.member || (item.key !== null && item.key !== 'payload')) continue;
      records++;
      if (records % ctx.batchSize === 0) ctx.onRows(records);
      if (typeof item.value !== 'object' || item.value === null || Array.isArray(item.value)) {
        problems.push(notAnObject(label, item.record, item.path, item.value));
        continue;
      }
      const f = new JsonFields(label, item.record, item.path, item.value as Record<string, unknown>);
      const name = f.string('name');
      const value = f.seconds('value');
      const conversationId = f.id('conversation_id', true);
      const user = f.id('user_id', true);
      const createdAt = f.time('created_at');
      const startTime = f.time('event_start_time', true);
      f.time('event_end_time', true);
      if (f.problems.length > 0) {
        problems.push(...f.problems);
        if (problems.length >= ctx.batchSize) {
          yield new ColumnBatch(columnsFromRows([]), problems, {}, []);
          problems = [];
        }
        continue;
      }
      if (conversationId === null || conversationId === undefined || !USED.has(name as string)) continue;
      const v = value as number;
      const created = createdAt as number;
      const start = startTime ?? created - v * 1000;
      let c = conversations.get(conversationId);
      if (!c) {
        c = {
          record: item.record,
          start,
          firstResponse: null,
          firstResponseAt: Infinity,
          firstResponseUser: null,
          resolved: null,
          resolvedAt: -Infinity,
          resolvedUser: null,
          anyUser: null,
        };
        conversations.set(conversationId, c);
      }
      c.record = Math.min(c.record, item.record);
      c.start = Math.min(c.start, start);
      if (user !== null && user !== undefined) c.anyUser = c.anyUser ?? user;
      if (name === 'first_response' && created < c.firstResponseAt) {
        c.firstResponse = v;
        c.firstResponseAt = created;
        c.firstResponseUser = user ?? null;
      } else if (name === 'conversation_resolved' || name === 'conversation_bot_resolved') {
        if (c.resolved === null || v > c.resolved) c.resolved = v;
        if (created > c.resolvedAt && user !== null && user !== undefined) {
          c.resolvedAt = created;
          c.resolvedUser = user;
        }
      }
    }
    ctx.onRows(records);
    const rows: ConversationRow[] = [];
    for (const [id, c] of conversations) {
      const agent = c.resolvedUser ?? c.firstResponseUser ?? c.anyUser;
      if (agent === null) continue;
      rows.push({
        row: c.record,
        source,
        externalId: String(id),
        agent: String(agent),
        startedAt: formatChinaTime(c.start),
        firstResponseSeconds: c.firstResponse,
        handleSeconds: c.resolved,
        valid: c.firstResponse !== null,
        rating: null,
      });
    }
    rows.sort((a, b) => a.row - b.row);
    let first = true;
    for (const part of chunked(rows, ctx.batchSize)) {
      yield new ColumnBatch(columnsFromRows(part), first ? problems : [], {}, part);
      first = false;
    }
    if (first) yield new ColumnBatch(columnsFromRows([]), problems, {}, []);
  },
};
