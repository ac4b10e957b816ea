import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Month, parsePolicy, type Policy, policyInForce } from '@ladder/core';
import { audit } from './audit.js';
import { AppError, type Db, type ServiceContext } from './context.js';

export interface StoredPolicy {
  id: number;
  policy: Policy;
}

const require = createRequire(import.meta.url);
const parsedBySha = new Map<string, Policy>();

export function defaultPolicyText(): string {
  return readFileSync(require.resolve('@ladder/core/policies/default.yaml'), 'utf8');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Stores a validated policy version; the same text again changes nothing. */
export async function addPolicyVersion(db: Db, ctx: ServiceContext, text: string, reason = 'policy version added'): Promise<StoredPolicy> {
  const { policy } = parsePolicy(text);
  const digest = sha256(text);
  const existing = await db
    .selectFrom('policy_versions')
    .select(['id', 'sha256'])
    .where('policy', '=', policy.policy)
    .where('effective_from', '=', policy.effectiveFrom)
    .executeTakeFirst();
  if (existing) {
    if (existing.sha256 === digest) return { id: existing.id, policy };
    throw new AppError('policy_conflict', `policy ${policy.policy} already has a version taking effect on ${policy.effectiveFrom}`);
  }
  const row = await db
    .insertInto('policy_versions')
    .values({
      policy: policy.policy,
      version: policy.version,
      effective_from: policy.effectiveFrom,
      source_text: text,
      sha256: digest,
      created_at: ctx.now(),
      created_by: ctx.actor,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(db, ctx, {
    action: 'policy.added',
    entity: 'policy_versions',
    key: `${policy.policy}@${policy.effectiveFrom}`,
    reason,
    details: { version: policy.version, sha256: digest },
  });
  return { id: row.id, policy };
}

/** Every stored version, parsed once per process; the default policy is stored on first use. */
export async function storedPolicies(db: Db, ctx: ServiceContext): Promise<StoredPolicy[]> {
  let rows = await db.selectFrom('policy_versions').select(['id', 'source_text', 'sha256']).execute();
  if (rows.length === 0) {
    await addPolicyVersion(db, ctx, defaultPolicyText(), 'default policy installed on first use');
    rows = await db.selectFrom('policy_versions').select(['id', 'source_text', 'sha256']).execute();
  }
  return rows.map((row) => {
    let policy = parsedBySha.get(row.sha256);
    if (!policy) {
      policy = parsePolicy(row.source_text).policy;
      parsedBySha.set(row.sha256, policy);
    }
    return { id: row.id, policy };
  });
}

/** R-RUN-5: the stored version in force on the first day of the month. */
export async function policyForMonth(db: Db, ctx: ServiceContext, month: Month): Promise<StoredPolicy> {
  const versions = await storedPolicies(db, ctx);
  const chosen = policyInForce(
    versions.map((v) => v.policy),
    month,
  );
  const stored = versions.find((v) => v.policy === chosen);
  if (!stored) throw new Error('unreachable: chosen policy not among stored versions');
  return stored;
}
