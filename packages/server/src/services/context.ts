import type { Kysely, Transaction } from 'kysely';
import type { Store } from '../db/connect.js';
import type { Database } from '../db/schema.js';

/** Who is acting and what time it is: passed in, never read from globals, so tests control both. */
export interface ServiceContext {
  store: Store;
  actor: string;
  now: () => string;
}

export type Db = Kysely<Database> | Transaction<Database>;

export function systemClock(): string {
  return new Date().toISOString();
}

/** A refusal a person can act on: a stable code, a message, optional details. */
export class AppError extends Error {
  readonly code: string;
  readonly details: readonly string[];

  constructor(code: string, message: string, details: readonly string[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}
