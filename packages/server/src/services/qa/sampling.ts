/**
 * R-QA-1: each day, the policy's sample size of each agent's conversations of that day are drawn
 * (all when fewer) with core's `drawSample`, keyed by the department's secret salt, and assigned
 * to inspectors (R-QA-3). The salt is generated once, on first use, and kept in `settings`; it is
 * never printed or written to the audit log.
 *
 * Where the spec is silent:
 * - A conversation is identified for the draw as `source:external_id` (stable across stores and
 *   re-imports); the agent by their employee number.
 * - A day already sampled is never drawn again: conversations that arrive later are counted
 *   (`late`) but change nothing until a QA manager asks for a re-draw, with a reason, audited.
 * - A re-draw keeps conversations whose inspection has started; conversations it takes out are
 *   marked removed (never deleted) and their not-yet-started inspections are withdrawn.
 * - The store holds one department: one salt.
 */
import { randomBytes } from 'node:crypto';
import { conversationRank, drawSample, type IsoDate, monthOf, type QaRules, redrawChanges, sampleSizeFor } from '@ladder/core';
import { audit } from '../audit.js';
import { type StoredConversation, storedConversations } from '../conversations/blocks.js';
import { conversationKey, conversationRowIds } from '../conversations/qa-rows.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { type AgentOnDay, agentByNo, agentsOnDay } from './agents.js';
import { type Assignment, assignSampleItems, openWorkload } from './assignment.js';
import { qaDb, requireDay } from './db.js';
import { qaPolicy } from './policy.js';
import { actingAs } from './users.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

export const SALT_SETTING = 'qa.sampling_salt';

/** The department's sampling salt, created on first use (32 random bytes, hex); never shown. */
export async function samplingSalt(db: Db, ctx: ServiceContext): Promise<string> {
  const existing = await db.selectFrom('settings').select('value').where('key', '=', SALT_SETTING).executeTakeFirst();
  if (existing) return existing.value;
  const result = await db
    .insertInto('settings')
    .values({ key: SALT_SETTING, value: randomBytes(32).toString('hex') })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) {
    await audit(db, ctx, { action: 'qa.salt_created', entity: 'settings', key: SALT_SETTING, reason: 'R-QA-1: first sample drawn' });
  }
  const stored = await db.selectFrom('settings').select('value').where('key', '=', SALT_SETTING).executeTakeFirstOrThrow();
  return stored.value;
}

interface DayConversation {
  key: string;
  stored: StoredConversation;
}

async function conversationsOfDay(db: Db, day: string, employeeId?: number): Promise<Map<number, DayConversation[]>> {
  const byAgent = new Map<number, DayConversation[]>();
  for (const stored of await storedConversations(db, day, day, employeeId)) {
    const list = byAgent.get(stored.employeeId) ?? [];
    list.push({ key: conversationKey(stored.source, stored.externalId), stored });
    byAgent.set(stored.employeeId, list);
  }
  return byAgent;
}

/** The `conversations` ids of the keys drawn (their rows added on first use). */
async function idsOfDrawn(db: Db, conversations: readonly DayConversation[], keys: readonly string[]): Promise<Map<string, number>> {
  const wanted = new Set(keys);
  return conversationRowIds(
    db,
    conversations.filter((c) => wanted.has(c.key)).map((c) => c.stored),
  );
}

export interface DrawnSample {
  employeeNo: string;
  size: number;
  available: number;
  conversations: string[];
  assigned: Assignment[];
  unassigned: string[];
}

export interface DayDraw {
  day: IsoDate;
  drawn: DrawnSample[];
  /** Agents sampled before: nothing redrawn; `late` conversations arrived since. */
  unchanged: { employeeNo: string; late: number; assigned: Assignment[]; unassigned: string[] }[];
  skipped: { employeeNo: string; reason: string }[];
}

const SAMPLERS = ['qa_manager', 'qa_inspector', 'cs_manager', 'admin'] as const;

function sampleSize(qa: QaRules, group: string): number | undefined {
  return qa.groups[group] ? sampleSizeFor(qa, group) : undefined;
}

/** Draws (once) and assigns the samples of every agent who had conversations on `day`, optionally of one team. */
export async function drawDay(ctx: ServiceContext, dayText: string, options: { team?: string } = {}): Promise<DayDraw> {
  const day = requireDay(dayText);
  return writeTransaction(ctx.store.db).execute(async (trx) => {
    await actingAs(trx, ctx, SAMPLERS);
    const q = qaDb(trx);
    const { qa } = await qaPolicy(trx, ctx, monthOf(day));
    const salt = await samplingSalt(trx, ctx);
    const byAgent = await conversationsOfDay(trx, day);
    const agents = await agentsOnDay(trx, day, [...byAgent.keys()]);
    if (options.team !== undefined) {
      const team = await trx.selectFrom('teams').select('id').where('code', '=', options.team).executeTakeFirst();
      if (!team) throw new AppError('unknown_team', `unknown team ${options.team}`);
    }
    const load = await openWorkload(trx);
    const result: DayDraw = { day, drawn: [], unchanged: [], skipped: [] };
    const ordered = [...agents.values()].sort((a, b) => (a.employeeNo < b.employeeNo ? -1 : a.employeeNo > b.employeeNo ? 1 : 0));
    const missing = [...byAgent.keys()].filter((id) => !agents.has(id));
    for (const id of missing) result.skipped.push({ employeeNo: `#${id}`, reason: `no employment record on ${day}` });
    for (const agent of ordered) {
      if (options.team !== undefined && agent.teamCode !== options.team) continue;
      const conversations = byAgent.get(agent.id) ?? [];
      if (agent.status !== 'active') {
        result.skipped.push({ employeeNo: agent.employeeNo, reason: `${agent.status} on ${day}` });
        continue;
      }
      const size = sampleSize(qa, agent.group);
      if (size === undefined) {
        result.skipped.push({ employeeNo: agent.employeeNo, reason: `group ${agent.group} has no QA rules` });
        continue;
      }
      const existing = await q
        .selectFrom('qa_samples')
        .select(['id', 'available'])
        .where('employee_id', '=', agent.id)
        .where('day', '=', day)
        .executeTakeFirst();
      if (existing) {
        // Conversations are never deleted: those beyond the count seen at the last draw arrived since.
        const late = Math.max(0, conversations.length - existing.available);
        const { assigned, unassigned } = await assignSampleItems(trx, ctx, qa, agent, day, load);
        result.unchanged.push({ employeeNo: agent.employeeNo, late, assigned, unassigned });
        continue;
      }
      result.drawn.push(await storeSample(trx, ctx, qa, salt, agent, day, conversations, size, load));
    }
    return result;
  });
}

async function storeSample(
  db: Db,
  ctx: ServiceContext,
  qa: QaRules,
  salt: string,
  agent: AgentOnDay,
  day: IsoDate,
  conversations: readonly DayConversation[],
  size: number,
  load: Map<string, number>,
): Promise<DrawnSample> {
  const q = qaDb(db);
  const sample = drawSample({ salt, agentId: agent.employeeNo, day, conversationIds: conversations.map((c) => c.key), size });
  const idOf = await idsOfDrawn(
    db,
    conversations,
    sample.drawn.map((d) => d.conversationId),
  );
  const row = await q
    .insertInto('qa_samples')
    .values({
      employee_id: agent.id,
      day,
      group_code: agent.group,
      sample_size: size,
      available: sample.available,
      revision: 1,
      drawn_at: ctx.now(),
      drawn_by: ctx.actor,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (sample.drawn.length > 0) {
    await q
      .insertInto('qa_sample_items')
      .values(
        sample.drawn.map((d) => ({
          sample_id: row.id,
          conversation_id: idOf.get(d.conversationId) as number,
          conversation_key: d.conversationId,
          rank: d.rank,
          added_revision: 1,
          removed_revision: null,
        })),
      )
      .execute();
  }
  const keys = sample.drawn.map((d) => d.conversationId);
  await audit(db, ctx, {
    action: 'qa.sample_drawn',
    entity: 'qa_samples',
    key: `${agent.employeeNo}@${day}`,
    reason: 'R-QA-1',
    details: { size, available: sample.available, drawn: keys },
  });
  const { assigned, unassigned } = await assignSampleItems(db, ctx, qa, agent, day, load);
  return { employeeNo: agent.employeeNo, size, available: sample.available, conversations: keys, assigned, unassigned };
}

export interface Redrawn {
  employeeNo: string;
  day: IsoDate;
  revision: number;
  sample: string[];
  added: string[];
  removed: string[];
  keptOutsideDraw: string[];
  withdrawnInspections: number[];
  assigned: Assignment[];
  unassigned: string[];
}

/** A re-draw asked for by a QA manager (late conversations arrived): audited with its reason and what it changed. */
export async function redrawSample(ctx: ServiceContext, employeeNo: string, dayText: string, reason: string): Promise<Redrawn> {
  const day = requireDay(dayText);
  if (reason.trim() === '') throw new AppError('opinion_required', 'a re-draw needs a reason');
  return writeTransaction(ctx.store.db).execute(async (trx) => {
    await actingAs(trx, ctx, ['qa_manager']);
    const q = qaDb(trx);
    const agent = await agentByNo(trx, employeeNo, day);
    const sample = await q
      .selectFrom('qa_samples')
      .selectAll()
      .where('employee_id', '=', agent.id)
      .where('day', '=', day)
      .executeTakeFirst();
    if (!sample)
      throw new AppError('not_sampled', `${employeeNo} has no sample on ${day} to re-draw (draw it first: ladder qa sample --date ${day})`);
    const { qa } = await qaPolicy(trx, ctx, monthOf(day));
    const size = sampleSize(qa, agent.group);
    if (size === undefined) throw new AppError('qa_not_configured', `group ${agent.group} has no QA rules`);
    const items = await q
      .selectFrom('qa_sample_items as i')
      .leftJoin('qa_inspections as n', (join) => join.onRef('n.sample_item_id', '=', 'i.id').on('n.withdrawn_at', 'is', null))
      .select(['i.id', 'i.conversation_id', 'i.conversation_key', 'i.removed_revision', 'n.id as inspection_id', 'n.status'])
      .where('i.sample_id', '=', sample.id)
      .orderBy('i.rank')
      .execute();
    const current = items.filter((i) => i.removed_revision === null);
    const keep = current.filter((i) => i.status !== null && i.status !== 'assigned').map((i) => i.conversation_key);
    const conversations = (await conversationsOfDay(trx, day, agent.id)).get(agent.id) ?? [];
    const salt = await samplingSalt(trx, ctx);
    const change = redrawChanges({
      salt,
      agentId: agent.employeeNo,
      day,
      conversationIds: conversations.map((c) => c.key),
      size,
      current: current.map((i) => i.conversation_key),
      keep,
    });
    const revision = sample.revision + 1;
    const withdrawn: number[] = [];
    for (const key of change.removed) {
      const item = current.find((i) => i.conversation_key === key);
      if (!item) continue;
      await q.updateTable('qa_sample_items').set({ removed_revision: revision }).where('id', '=', item.id).execute();
      if (item.inspection_id !== null) {
        await q
          .updateTable('qa_inspections')
          .set({ withdrawn_at: ctx.now(), withdrawn_reason: `re-draw ${revision}: ${reason}`, updated_at: ctx.now() })
          .where('id', '=', item.inspection_id)
          .execute();
        withdrawn.push(item.inspection_id);
      }
    }
    const idOf = await idsOfDrawn(trx, conversations, change.added);
    for (const key of change.added) {
      const before = items.find((i) => i.conversation_key === key);
      if (before) {
        await q
          .updateTable('qa_sample_items')
          .set({ removed_revision: null, added_revision: revision })
          .where('id', '=', before.id)
          .execute();
        continue;
      }
      await q
        .insertInto('qa_sample_items')
        .values({
          sample_id: sample.id,
          conversation_id: idOf.get(key) as number,
          conversation_key: key,
          rank: conversationRank(salt, agent.employeeNo, day, key),
          added_revision: revision,
          removed_revision: null,
        })
        .execute();
    }
    await q
      .updateTable('qa_samples')
      .set({ revision, sample_size: size, available: conversations.length, drawn_at: ctx.now(), drawn_by: ctx.actor })
      .where('id', '=', sample.id)
      .execute();
    await audit(trx, ctx, {
      action: 'qa.sample_redrawn',
      entity: 'qa_samples',
      key: `${agent.employeeNo}@${day}`,
      reason,
      details: {
        revision,
        added: change.added,
        removed: change.removed,
        keptOutsideDraw: change.keptOutsideDraw,
        withdrawnInspections: withdrawn,
      },
    });
    const { assigned, unassigned } = await assignSampleItems(trx, ctx, qa, agent, day, await openWorkload(trx));
    return {
      employeeNo: agent.employeeNo,
      day,
      revision,
      sample: change.sample,
      added: change.added,
      removed: change.removed,
      keptOutsideDraw: change.keptOutsideDraw,
      withdrawnInspections: withdrawn,
      assigned,
      unassigned,
    };
  });
}

export interface SampleCheck {
  employeeNo: string;
  day: IsoDate;
  revision: number;
  stored: string[];
  /** A fresh draw from the salt over the day's conversations now in the store. */
  redrawn: string[];
  identical: boolean;
  /** Conversations not in the stored sample that a fresh draw would pick (they arrived late). */
  wouldAdd: string[];
}

/** Audit of a stored sample: draws it again from the salt and compares (R-QA-1 reproducibility). The salt is not shown. */
export async function checkSample(ctx: ServiceContext, employeeNo: string, dayText: string): Promise<SampleCheck> {
  const day = requireDay(dayText);
  const db = ctx.store.db;
  await actingAs(db, ctx, ['qa_manager', 'director', 'admin']);
  const q = qaDb(db);
  const agent = await agentByNo(db, employeeNo, day);
  const sample = await q.selectFrom('qa_samples').selectAll().where('employee_id', '=', agent.id).where('day', '=', day).executeTakeFirst();
  if (!sample) throw new AppError('not_sampled', `${employeeNo} has no sample on ${day}`);
  const stored = (
    await q
      .selectFrom('qa_sample_items')
      .select(['conversation_key', 'rank'])
      .where('sample_id', '=', sample.id)
      .where('removed_revision', 'is', null)
      .orderBy('rank')
      .execute()
  ).map((i) => i.conversation_key);
  const conversations = (await conversationsOfDay(db, day, agent.id)).get(agent.id) ?? [];
  const salt = await samplingSalt(db, ctx);
  const fresh = drawSample({
    salt,
    agentId: agent.employeeNo,
    day,
    conversationIds: conversations.map((c) => c.key),
    size: sample.sample_size,
  });
  const redrawn = fresh.drawn.map((d) => d.conversationId);
  return {
    employeeNo,
    day,
    revision: sample.revision,
    stored,
    redrawn,
    identical: redrawn.length === stored.length && redrawn.every((key, i) => stored[i] === key),
    wouldAdd: redrawn.filter((key) => !stored.includes(key)),
  };
}
