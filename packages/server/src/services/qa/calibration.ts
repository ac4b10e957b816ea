/**
 * Calibration (校准): several inspectors score the same conversations with the same scorecard
 * version; the report gives each inspector's deviation from the consensus, per item, so QA
 * managers can align them. Calibration scores never become deductions.
 *
 * Where the spec is silent:
 * - An inspector's points on an item of a conversation are points × count when hit, else 0; an
 *   item they did not record counts as not hit, once they have scored that conversation at all.
 * - The consensus of an item on a conversation is the median of the points of the inspectors who
 *   scored the conversation (the mean of the two middle values for an even number), robust to one
 *   outlier. Deviation = the inspector's points − the consensus: positive is stricter.
 * - Per inspector and item the report gives the signed sum of deviations, the sum of their absolute
 *   values and the number of conversations where they differ; agreement is the share of
 *   (conversation, item) pairs without deviation.
 * - The QA manager opens a session (at least two inspectors, each a QA inspector, QA manager or
 *   team lead) and closes it; only its inspectors score, only while it is open.
 */
import { Decimal, formatDecimal, type IsoDate, monthOf, scorecardFor, type ScorecardVersion } from '@ladder/core';
import { audit } from '../audit.js';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { findConversation } from '../conversations/blocks.js';
import { conversationRowIds } from '../conversations/qa-rows.js';
import { qaDb, requireDay } from './db.js';
import type { ItemEntry } from './inspections.js';
import { qaPolicy } from './policy.js';
import { actingAs, resolveActor } from './users.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

export interface CalibrationRequest {
  title: string;
  group: string;
  /** The day whose scorecard version is used (default: the first conversation's day). */
  day?: string;
  /** Conversations as SOURCE:EXTERNAL_ID. */
  conversations: string[];
  inspectors: string[];
}

async function conversationIds(db: Db, refs: readonly string[]): Promise<{ id: number; key: string; day: string }[]> {
  const result: { id: number; key: string; day: string }[] = [];
  const unknown: string[] = [];
  for (const ref of refs) {
    const split = ref.indexOf(':');
    const stored = split > 0 ? await findConversation(db, ref.slice(0, split), ref.slice(split + 1)) : undefined;
    if (!stored) {
      unknown.push(ref);
      continue;
    }
    const ids = await conversationRowIds(db, [stored]);
    result.push({ id: ids.get(ref) as number, key: ref, day: stored.day });
  }
  if (unknown.length > 0)
    throw new AppError('unknown_conversation', `unknown conversation(s): ${unknown.join(', ')} (expected SOURCE:EXTERNAL_ID)`, unknown);
  return result;
}

async function sessionVersion(
  db: Db,
  ctx: ServiceContext,
  group: string,
  day: IsoDate,
): Promise<{ code: string; version: ScorecardVersion }> {
  const { qa } = await qaPolicy(db, ctx, monthOf(day));
  if (!qa.groups[group]) throw new AppError('invalid_input', `group ${group} has no QA rules`);
  const card = scorecardFor(qa, group, day);
  return { code: card.code, version: card.version };
}

export async function createCalibration(
  ctx: ServiceContext,
  request: CalibrationRequest,
): Promise<{ id: number; scorecard: string; version: string }> {
  const inspectors = [...new Set(request.inspectors.map((i) => i.trim()).filter((i) => i !== ''))];
  if (request.title.trim() === '') throw new AppError('invalid_input', 'a calibration session needs a title');
  if (inspectors.length < 2) throw new AppError('invalid_input', 'a calibration session needs at least two inspectors');
  if (request.conversations.length === 0) throw new AppError('invalid_input', 'a calibration session needs at least one conversation');
  return writeTransaction(ctx.store.db).execute(async (trx) => {
    await actingAs(trx, ctx, ['qa_manager']);
    for (const login of inspectors) {
      const who = await resolveActor(trx, login);
      if (!who.roles.some((r) => r === 'qa_inspector' || r === 'qa_manager' || r === 'team_lead')) {
        throw new AppError('not_inspector', `${login} is not a QA inspector, QA manager or team lead`);
      }
    }
    const conversations = await conversationIds(trx, request.conversations);
    const day = request.day === undefined ? ((conversations[0] as { day: string }).day as IsoDate) : requireDay(request.day);
    const { code, version } = await sessionVersion(trx, ctx, request.group, day);
    const q = qaDb(trx);
    const row = await q
      .insertInto('qa_calibrations')
      .values({
        title: request.title.trim(),
        group_code: request.group,
        day,
        scorecard: code,
        scorecard_version: version.version,
        inspectors: JSON.stringify(inspectors),
        status: 'open',
        created_at: ctx.now(),
        created_by: ctx.actor,
        closed_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q
      .insertInto('qa_calibration_conversations')
      .values([...new Map(conversations.map((c) => [c.id, c])).values()].map((c) => ({ calibration_id: row.id, conversation_id: c.id })))
      .execute();
    await audit(trx, ctx, {
      action: 'qa.calibration_created',
      entity: 'qa_calibrations',
      key: String(row.id),
      reason: request.title.trim(),
      details: { inspectors, conversations: conversations.map((c) => c.key), scorecard: `${code} ${version.version}` },
    });
    return { id: row.id, scorecard: code, version: version.version };
  });
}

async function loadSession(db: Db, id: number) {
  const row = await qaDb(db).selectFrom('qa_calibrations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', `no calibration session #${id}`);
  return { ...row, inspectorList: JSON.parse(row.inspectors) as string[] };
}

/** An inspector's item results on one conversation of an open session; again replaces them. */
export async function scoreCalibration(
  ctx: ServiceContext,
  id: number,
  conversation: string,
  entries: readonly ItemEntry[],
): Promise<void> {
  await writeTransaction(ctx.store.db).execute(async (trx) => {
    const actor = await actingAs(trx, ctx);
    const session = await loadSession(trx, id);
    if (session.status !== 'open') throw new AppError('case_closed', `calibration session #${id} is closed`);
    if (!session.inspectorList.includes(actor.id))
      throw new AppError('not_party', `${actor.id} is not an inspector of calibration session #${id}`);
    const [c] = await conversationIds(trx, [conversation]);
    const q = qaDb(trx);
    const inSession = await q
      .selectFrom('qa_calibration_conversations')
      .select('conversation_id')
      .where('calibration_id', '=', id)
      .where('conversation_id', '=', (c as { id: number }).id)
      .executeTakeFirst();
    if (!inSession) throw new AppError('not_in_session', `conversation ${conversation} is not part of calibration session #${id}`);
    const { version } = await sessionVersion(trx, ctx, session.group_code, session.day as IsoDate);
    const problems: string[] = [];
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      if (!version.items.some((item) => item.code === e.item)) {
        problems.push(
          `items[${i}].item: "${e.item}" is not an item of scorecard ${session.scorecard} version ${session.scorecard_version}`,
        );
      }
      if (seen.has(e.item)) problems.push(`items[${i}].item: "${e.item}" is given twice`);
      seen.add(e.item);
      const count = e.count ?? (e.hit ? 1 : 0);
      if (e.hit && (!Number.isSafeInteger(count) || count < 1 || count > 1000))
        problems.push(`items[${i}].count: must be a whole number from 1 to 1000`);
    });
    if (entries.length === 0) problems.push('items: no item given');
    if (problems.length > 0)
      throw new AppError(
        problems.some((p) => p.includes('is not an item')) ? 'unknown_item' : 'invalid_input',
        'the item results are invalid',
        problems,
      );
    const conversationId = (c as { id: number }).id;
    await q
      .deleteFrom('qa_calibration_scores')
      .where('calibration_id', '=', id)
      .where('conversation_id', '=', conversationId)
      .where('inspector', '=', actor.id)
      .execute();
    await q
      .insertInto('qa_calibration_scores')
      .values(
        entries.map((e) => ({
          calibration_id: id,
          conversation_id: conversationId,
          inspector: actor.id,
          item: e.item,
          hit: e.hit ? 1 : 0,
          count: e.hit ? (e.count ?? 1) : 0,
          note: e.note ?? null,
          recorded_at: ctx.now(),
        })),
      )
      .execute();
    await audit(trx, ctx, {
      action: 'qa.calibration_scored',
      entity: 'qa_calibrations',
      key: `${id}/${conversation}`,
      details: entries.map((e) => ({ item: e.item, hit: e.hit, count: e.count ?? (e.hit ? 1 : 0) })),
    });
  });
}

export async function closeCalibration(ctx: ServiceContext, id: number): Promise<void> {
  await writeTransaction(ctx.store.db).execute(async (trx) => {
    await actingAs(trx, ctx, ['qa_manager']);
    const session = await loadSession(trx, id);
    if (session.status !== 'open') throw new AppError('case_closed', `calibration session #${id} is already closed`);
    await qaDb(trx).updateTable('qa_calibrations').set({ status: 'closed', closed_at: ctx.now() }).where('id', '=', id).execute();
    await audit(trx, ctx, { action: 'qa.calibration_closed', entity: 'qa_calibrations', key: String(id) });
  });
}

export interface CalibrationItemRow {
  item: string;
  /** Per conversation: the consensus points and each inspector's points. */
  conversations: { conversation: string; consensus: string; points: Record<string, string> }[];
  /** Per inspector: signed sum of deviations, sum of absolute deviations, conversations where they differ. */
  deviation: Record<string, { sum: string; absolute: string; differs: number }>;
}

export interface CalibrationReport {
  id: number;
  title: string;
  status: string;
  scorecard: string;
  version: string;
  inspectors: { login: string; scored: number; missing: string[]; absoluteDeviation: string; agreement: string }[];
  items: CalibrationItemRow[];
}

function median(values: readonly Decimal[]): Decimal {
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as Decimal;
  return (sorted[mid - 1] as Decimal).plus(sorted[mid] as Decimal).dividedBy(2);
}

/** Each inspector's deviation from the consensus, per item (the QA managers' view). */
export async function calibrationReport(ctx: ServiceContext, id: number): Promise<CalibrationReport> {
  const db = ctx.store.db;
  await actingAs(db, ctx, ['qa_manager', 'cs_manager', 'director']);
  const session = await loadSession(db, id);
  const { version } = await sessionVersion(db, ctx, session.group_code, session.day as IsoDate);
  const q = qaDb(db);
  const conversations = await q
    .selectFrom('qa_calibration_conversations as cc')
    .innerJoin('conversations as c', 'c.id', 'cc.conversation_id')
    .select(['c.id', 'c.source', 'c.external_id'])
    .where('cc.calibration_id', '=', id)
    .orderBy('c.id')
    .execute();
  const scores = await q.selectFrom('qa_calibration_scores').selectAll().where('calibration_id', '=', id).execute();
  const pointsOf = new Map(version.items.map((i) => [i.code, i.points]));
  const zero = new Decimal(0);
  const scoredBy = new Map<number, Set<string>>();
  for (const s of scores) scoredBy.set(s.conversation_id, (scoredBy.get(s.conversation_id) ?? new Set()).add(s.inspector));
  const itemsSeen = version.items.map((i) => i.code).filter((code) => scores.some((s) => s.item === code));
  const totals = new Map(session.inspectorList.map((login) => [login, { absolute: zero, pairs: 0, agree: 0 }]));
  const items: CalibrationItemRow[] = itemsSeen.map((item) => {
    const deviation: CalibrationItemRow['deviation'] = {};
    for (const login of session.inspectorList) deviation[login] = { sum: '0', absolute: '0', differs: 0 };
    const sums = new Map(session.inspectorList.map((login) => [login, { sum: zero, absolute: zero, differs: 0 }]));
    const rows = conversations.flatMap((c) => {
      const who = [...(scoredBy.get(c.id) ?? [])].filter((login) => session.inspectorList.includes(login)).sort();
      if (who.length === 0) return [];
      const points: Record<string, Decimal> = {};
      for (const login of who) {
        const s = scores.find((x) => x.conversation_id === c.id && x.inspector === login && x.item === item);
        points[login] = s && s.hit === 1 ? (pointsOf.get(item) ?? zero).times(s.count) : zero;
      }
      const consensus = median(Object.values(points));
      for (const login of who) {
        const d = (points[login] as Decimal).minus(consensus);
        const acc = sums.get(login) as { sum: Decimal; absolute: Decimal; differs: number };
        acc.sum = acc.sum.plus(d);
        acc.absolute = acc.absolute.plus(d.abs());
        if (!d.isZero()) acc.differs += 1;
        const total = totals.get(login) as { absolute: Decimal; pairs: number; agree: number };
        total.absolute = total.absolute.plus(d.abs());
        total.pairs += 1;
        if (d.isZero()) total.agree += 1;
      }
      return [
        {
          conversation: `${c.source}:${c.external_id}`,
          consensus: formatDecimal(consensus),
          points: Object.fromEntries(Object.entries(points).map(([k, v]) => [k, formatDecimal(v)])),
        },
      ];
    });
    for (const [login, acc] of sums)
      deviation[login] = { sum: formatDecimal(acc.sum), absolute: formatDecimal(acc.absolute), differs: acc.differs };
    return { item, conversations: rows, deviation };
  });
  return {
    id,
    title: session.title,
    status: session.status,
    scorecard: session.scorecard,
    version: session.scorecard_version,
    inspectors: session.inspectorList.map((login) => {
      const t = totals.get(login) as { absolute: Decimal; pairs: number; agree: number };
      const missing = conversations.filter((c) => !scoredBy.get(c.id)?.has(login)).map((c) => `${c.source}:${c.external_id}`);
      return {
        login,
        scored: conversations.length - missing.length,
        missing,
        absoluteDeviation: formatDecimal(t.absolute),
        agreement: t.pairs === 0 ? '—' : `${new Decimal(t.agree).times(100).dividedBy(t.pairs).toDecimalPlaces(1).toFixed()}%`,
      };
    }),
    items,
  };
}
