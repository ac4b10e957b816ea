/**
 * QA refers to conversations by id (samples, inspections, calibration). Only the conversations it
 * works on get a row in `conversations`: copied from their block on first use, found by
 * (source, external id) afterwards.
 */
import { formatChinaTime } from '../../ingest/values.js';
import type { Db } from '../context.js';
import type { StoredConversation } from './blocks.js';

export const conversationKey = (source: string, externalId: string) => `${source}:${externalId}`;

/** The ids of these stored conversations in `conversations`, adding the rows not there yet; keyed SOURCE:EXTERNAL_ID. */
export async function conversationRowIds(db: Db, conversations: readonly StoredConversation[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const c of conversations) {
    const key = conversationKey(c.source, c.externalId);
    if (ids.has(key)) continue;
    const found = await db
      .selectFrom('conversations')
      .select('id')
      .where('source', '=', c.source)
      .where('external_id', '=', c.externalId)
      .executeTakeFirst();
    if (found) {
      ids.set(key, found.id);
      continue;
    }
    const added = await db
      .insertInto('conversations')
      .values({
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
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(key, added.id);
  }
  return ids;
}
