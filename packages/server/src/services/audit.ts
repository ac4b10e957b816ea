import type { ServiceContext, Db } from './context.js';

export interface AuditEntry {
  action: string;
  entity: string;
  key: string;
  reason?: string | null;
  details?: unknown;
}

/** Appends to the audit log inside the caller's transaction: the change and its record commit together. */
export async function audit(db: Db, ctx: ServiceContext, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: ctx.now(),
      actor: ctx.actor,
      action: entry.action,
      entity: entry.entity,
      entity_key: entry.key,
      reason: entry.reason ?? null,
      details: entry.details === undefined ? null : JSON.stringify(entry.details),
    })
    .execute();
}
