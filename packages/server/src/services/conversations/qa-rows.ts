/**
 * QA refers to conversations by id (samples, inspections, calibration). Only the conversations it
 * works on get a row in `conversations`: copied from their block on first use, found by
 * (source, external id) afterwards.
 */
import { formatChinaTime } from '../../ingest/values.js';
import type { Db } from '../context.js';
import type { StoredConversation } from './blocks.js';

export const conversationKey = (source: string, externalId: string) => `${source}:${externalId}`;

/**
 * The ids of these stored conversations in `conversations`, adding the rows not there yet; keyed
 * SOURCE:EXTERNAL_ID. Set-wise — one lookup per source, one insert of those missing — since a day's
 * QA draw asks this for every agent (one statement per conversation made PostgreSQL's round trips
 * most of the draw).
 */
export async function conversationRowIds(db: Db, conversations: readonly StoredConversation[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const bySource = new Map<string, Map<string, StoredConversation>>();
  for (const c of conversations) {
    const ofSource = bySource.get(c.source) ?? new Map<string, StoredConversation>();
    bySource.set(c.source, ofSource);
    ofSource.set(c.externalId, c);
  }
  const missing: StoredConversation[] = [];
  for (const [source, ofSource] of bySource) {
    const found = await db
      .selectFrom('conversations')
      .select(['id', 'external_id'])
      .where('source', '=', source)
      .where('external_id', 'in', [...ofSource.keys()])
      .execute();
    for (const row of found) ids.set(conversationKey(source, row.external_id), row.id);
    for (const c of ofSource.values()) if (!ids.has(conversationKey(source, c.externalId))) missing.push(c);
  }
  if (missing.length === 0) return ids;
  const added = await db
    .insertInto('conversations')
    .values(
      missing.map((c) => ({
        source: c.source,
        external_id: c.externalId,
        employee_id: c.employeeId,
        day: c.day,
        started_at: formatChinaTime(c.startedAt),
        first_response_s: c.firstResponseSeconds,
        handle_s: c.handleSeconds,
        valid: c.valid ? 1 : 0,
        rating: c.rating,
        import_id: c.importId,
      })),
    )
    .returning(['id', 'source', 'external_id'])
    .execute();
  for (const row of added) ids.set(conversationKey(row.source, row.external_id), row.id);
  return ids;
}
