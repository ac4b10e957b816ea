import { type IsoDate, parseDate, type Refusal, type Step } from '@ladder/core';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { QaStepEntity, QaTables } from '../../db/schema-qa.js';
import type { Database } from '../../db/schema.js';
import { AppError, type Db } from '../context.js';

/** The store's tables with those of migration 20261127T2000-qa (until schema.ts merges them). */
export type QaDatabase = Database & QaTables;
export type QaDb = Kysely<QaDatabase> | Transaction<QaDatabase>;

/** The same connection or transaction, typed with the QA tables. */
export function qaDb(db: Db): QaDb {
  return db as unknown as QaDb;
}

/** Whether migration 20261127T2000-qa has run on this store. */
export async function hasQaTables(db: Db): Promise<boolean> {
  try {
    await sql`SELECT 1 FROM qa_steps WHERE 1 = 0`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** The China calendar day (UTC+8) of an ISO timestamp: the day a step happens on. */
export function chinaDay(iso: string): IsoDate {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10) as IsoDate;
}

export function requireDay(value: string | undefined, what = 'the date'): IsoDate {
  const day = value === undefined ? undefined : parseDate(value);
  if (!day) throw new AppError('invalid_input', `${what} must be a date YYYY-MM-DD, got ${JSON.stringify(value ?? null)}`);
  return day;
}

/** A refusal of a core state machine as a service error: its code, the English reason, the Chinese one as detail. */
export function refusalError(refusal: Refusal): AppError {
  return new AppError(refusal.code, refusal.reason.en, [refusal.reason.zh]);
}

/** The stored history of a case, oldest first, as the core machines read it. */
export async function loadSteps(db: Db, entity: QaStepEntity, id: number): Promise<Step[]> {
  const rows = await qaDb(db)
    .selectFrom('qa_steps')
    .selectAll()
    .where('entity', '=', entity)
    .where('entity_id', '=', id)
    .orderBy('seq')
    .execute();
  return rows.map((r) => {
    const step: Step = {
      event: r.event,
      from: r.from_state,
      to: r.to_state,
      by: r.by_user,
      as: r.as_role as Step['as'],
      on: r.on_day as IsoDate,
    };
    if (r.at) step.at = r.at;
    if (r.opinion !== null) step.opinion = r.opinion;
    return step;
  });
}

/** Appends the step a transition produced; the step's `at` is the service clock. */
export async function saveStep(db: Db, entity: QaStepEntity, id: number, seq: number, step: Step, at: string): Promise<void> {
  await qaDb(db)
    .insertInto('qa_steps')
    .values({
      entity,
      entity_id: id,
      seq,
      event: step.event,
      from_state: step.from,
      to_state: step.to,
      by_user: step.by,
      as_role: step.as,
      on_day: step.on,
      at,
      opinion: step.opinion ?? null,
    })
    .execute();
}
