/**
 * R-QA-1: each day, n of each agent's conversations of that day are drawn for inspection (all of
 * them when there are fewer). Every conversation gets a rank, HMAC-SHA256 keyed by the
 * department's secret salt over (agent, day, conversation id); the n lowest ranks are drawn.
 *
 * - reproducible: the same salt, agent, day and ids give the same sample, so an audit can redo it;
 * - unpredictable: without the salt nobody can tell which conversations will be drawn;
 * - independent of input order, and each conversation's rank does not depend on the others, so a
 *   conversation that arrives late can only displace drawn ones when a re-draw is asked for.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { parseDate, type IsoDate } from '../period/period.js';

/** A salt shorter than this could be guessed by trying salts against one's own past samples. */
export const MIN_SALT_BYTES = 16;

export interface SampleRequest {
  /** The department's secret salt: text (UTF-8) or bytes, at least MIN_SALT_BYTES long. */
  salt: string | Uint8Array;
  agentId: string;
  /** The service day the conversations belong to (China time). */
  day: string;
  /** The day's conversation ids; order does not matter, duplicates count once. */
  conversationIds: readonly string[];
  /** How many to draw (the group's sample size, R-QA-1 sample 5). */
  size: number;
}

export interface RankedConversation {
  conversationId: string;
  /** The HMAC-SHA256 as hex; lower ranks are drawn first. */
  rank: string;
}

export interface Sample {
  agentId: string;
  day: IsoDate;
  size: number;
  /** How many distinct conversations the agent had that day. */
  available: number;
  /** The drawn conversations, lowest rank first. */
  drawn: RankedConversation[];
}

function saltBytes(salt: string | Uint8Array): Uint8Array {
  const bytes = typeof salt === 'string' ? utf8ToBytes(salt) : salt;
  if (bytes.length < MIN_SALT_BYTES) {
    throw new RangeError(`the sampling salt must be at least ${MIN_SALT_BYTES} bytes long, got ${bytes.length}`);
  }
  return bytes;
}

function requireDay(day: string): IsoDate {
  const parsed = parseDate(day);
  if (parsed === undefined) throw new RangeError(`the sampling day must be a date YYYY-MM-DD, got ${JSON.stringify(day)}`);
  return parsed;
}

function requireText(value: string, what: string): string {
  if (typeof value !== 'string' || value === '') throw new RangeError(`${what} must be non-empty text`);
  return value;
}

function rankOf(key: Uint8Array, agentId: string, day: IsoDate, conversationId: string): string {
  const message = JSON.stringify([agentId, day, requireText(conversationId, 'a conversation id')]);
  return bytesToHex(hmac(sha256, key, utf8ToBytes(message)));
}

/**
 * The rank of one conversation: HMAC-SHA256 keyed by the salt over the JSON array
 * [agent, day, conversation], which keeps the three parts apart whatever characters they contain.
 */
export function conversationRank(salt: string | Uint8Array, agentId: string, day: string, conversationId: string): string {
  return rankOf(saltBytes(salt), requireText(agentId, 'the agent id'), requireDay(day), conversationId);
}

function compareRanked(a: RankedConversation, b: RankedConversation): number {
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  return a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0;
}

/** Every distinct conversation of the day with its rank, lowest first. */
export function rankConversations(request: Omit<SampleRequest, 'size'>): RankedConversation[] {
  const key = saltBytes(request.salt);
  const day = requireDay(request.day);
  const agentId = requireText(request.agentId, 'the agent id');
  const ids = [...new Set(request.conversationIds)];
  return ids.map((conversationId) => ({ conversationId, rank: rankOf(key, agentId, day, conversationId) })).sort(compareRanked);
}

function requireSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`the sample size must be a whole number ≥ 0, got ${String(size)}`);
  return size;
}

/** R-QA-1: the `size` lowest-ranked conversations of the agent's day (all of them when fewer). */
export function drawSample(request: SampleRequest): Sample {
  const size = requireSize(request.size);
  const ranked = rankConversations(request);
  return { agentId: request.agentId, day: requireDay(request.day), size, available: ranked.length, drawn: ranked.slice(0, size) };
}

export interface RedrawRequest extends SampleRequest {
  /** The sample stored for this agent and day. */
  current: readonly string[];
  /**
   * Conversations of the current sample that must stay (their inspection has started); they
   * count towards the size, and the draw fills the rest from the lowest ranks.
   */
  keep?: readonly string[];
}

export interface Redraw {
  /** The sample after the re-draw, lowest rank first. */
  sample: string[];
  /** Conversations the re-draw adds to the stored sample. */
  added: string[];
  /** Conversations the re-draw takes out of the stored sample. */
  removed: string[];
  /** Conversations that stay only because they are kept, though a fresh draw would not pick them. */
  keptOutsideDraw: string[];
}

/**
 * What a re-draw asked for after late conversations arrived would change: the service applies
 * `added` and `removed` to the stored sample. Without a re-draw the stored sample never changes.
 */
export function redrawChanges(request: RedrawRequest): Redraw {
  const size = requireSize(request.size);
  const ranked = rankConversations({ ...request, conversationIds: [...request.conversationIds, ...(request.keep ?? [])] });
  const keep = new Set(request.keep ?? []);
  for (const id of keep) {
    if (!request.current.includes(id)) throw new RangeError(`kept conversation ${JSON.stringify(id)} is not in the current sample`);
  }
  const sample: RankedConversation[] = ranked.filter((c) => keep.has(c.conversationId));
  for (const candidate of ranked) {
    if (sample.length >= Math.max(size, keep.size)) break;
    if (!keep.has(candidate.conversationId)) sample.push(candidate);
  }
  sample.sort(compareRanked);
  const fresh = new Set(ranked.slice(0, size).map((c) => c.conversationId));
  const ids = sample.map((c) => c.conversationId);
  const current = new Set(request.current);
  return {
    sample: ids,
    added: ids.filter((id) => !current.has(id)),
    removed: request.current.filter((id) => !ids.includes(id)),
    keptOutsideDraw: ids.filter((id) => keep.has(id) && !fresh.has(id)),
  };
}
