import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversationRank, drawSample, rankConversations, redrawChanges } from './sampling.js';

const SALT = 'dept-cs-01:4f1c9a7e2b8d6035';
const OTHER_SALT = 'dept-cs-01:0a93bd71e6c2f458';

function days(count: number, from = Date.UTC(2024, 0, 1)): string[] {
  return Array.from({ length: count }, (_, i) => new Date(from + i * 86_400_000).toISOString().slice(0, 10));
}

const ids = (k: number) => Array.from({ length: k }, (_, i) => `conv-${String(i + 1).padStart(3, '0')}`);

function drawn(request: Parameters<typeof drawSample>[0]): string[] {
  return drawSample(request).drawn.map((c) => c.conversationId);
}

/** Chi-square critical values at p = 0.001. */
const CHI2_001: Record<number, number> = { 11: 31.264, 19: 43.82 };

describe('R-QA-1 sampling: a keyed hash, the n lowest', () => {
  it('ranks with HMAC-SHA256 of the salt over [agent, day, conversation]', () => {
    const expected = createHmac('sha256', SALT)
      .update(JSON.stringify(['agent-7', '2026-03-02', 'conv-001']))
      .digest('hex');
    expect(conversationRank(SALT, 'agent-7', '2026-03-02', 'conv-001')).toBe(expected);
    const bytes = new Uint8Array(32).map((_, i) => i);
    const fromBytes = createHmac('sha256', bytes)
      .update(JSON.stringify(['a', '2026-03-02', 'c']))
      .digest('hex');
    expect(conversationRank(bytes, 'a', '2026-03-02', 'c')).toBe(fromBytes);
  });

  it('draws n conversations, all of them when there are fewer, each once', () => {
    const base = { salt: SALT, agentId: 'agent-7', day: '2026-03-02' };
    expect(drawSample({ ...base, conversationIds: ids(12), size: 5 }).drawn).toHaveLength(5);
    expect(drawn({ ...base, conversationIds: ids(3), size: 5 }).sort()).toEqual(ids(3));
    expect(drawn({ ...base, conversationIds: [], size: 5 })).toEqual([]);
    expect(drawn({ ...base, conversationIds: ['x', 'x', 'y'], size: 5 }).sort()).toEqual(['x', 'y']);
    expect(drawSample({ ...base, conversationIds: ['x', 'x', 'y'], size: 5 }).available).toBe(2);
    expect(drawn({ ...base, conversationIds: ids(12), size: 0 })).toEqual([]);
  });

  it('is reproducible and independent of input order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 8 }),
        (list, size) => {
          const request = { salt: SALT, agentId: 'agent-7', day: '2026-03-02', size };
          const forward = drawn({ ...request, conversationIds: list });
          const backward = drawn({ ...request, conversationIds: [...list].reverse() });
          expect(backward).toEqual(forward);
          expect(forward).toHaveLength(Math.min(size, list.length));
        },
      ),
    );
  });

  it('depends on the salt, the agent and the day', () => {
    const conversationIds = ids(12);
    let sameOtherSalt = 0;
    let sameOtherAgent = 0;
    for (const day of days(200)) {
      const mine = drawn({ salt: SALT, agentId: 'agent-7', day, conversationIds, size: 5 }).sort().join();
      if (drawn({ salt: OTHER_SALT, agentId: 'agent-7', day, conversationIds, size: 5 }).sort().join() === mine) sameOtherSalt += 1;
      if (drawn({ salt: SALT, agentId: 'agent-8', day, conversationIds, size: 5 }).sort().join() === mine) sameOtherAgent += 1;
    }
    // two independent draws of 5 of 12 coincide with probability 1/792
    expect(sameOtherSalt).toBeLessThanOrEqual(3);
    expect(sameOtherAgent).toBeLessThanOrEqual(3);
  });

  it('refuses a short salt, an empty id and a bad day or size', () => {
    const base = { salt: SALT, agentId: 'agent-7', day: '2026-03-02', conversationIds: ids(3), size: 5 };
    expect(() => drawSample({ ...base, salt: 'short' })).toThrow(/at least 16 bytes/);
    expect(() => drawSample({ ...base, conversationIds: [''] })).toThrow(/conversation id/);
    expect(() => drawSample({ ...base, agentId: '' })).toThrow(/agent id/);
    expect(() => drawSample({ ...base, day: '2026-02-30' })).toThrow(/YYYY-MM-DD/);
    expect(() => drawSample({ ...base, size: -1 })).toThrow(/sample size/);
    expect(() => drawSample({ ...base, size: 2.5 })).toThrow(/sample size/);
  });
});

describe('R-QA-1 sampling is uniform (fixed salt, many days)', () => {
  const k = 12;
  const n = 5;
  const dayList = days(3000);
  const conversationIds = ids(k);
  const inclusion = new Array<number>(k).fill(0);
  const first = new Array<number>(k).fill(0);
  dayList.forEach((day, i) => {
    const ranked = rankConversations({ salt: SALT, agentId: `agent-${i % 7}`, day, conversationIds });
    ranked.slice(0, n).forEach((c) => (inclusion[conversationIds.indexOf(c.conversationId)] += 1));
    first[conversationIds.indexOf(ranked[0]?.conversationId ?? '')] += 1;
  });

  it("each conversation's inclusion frequency is about n/k", () => {
    const expected = (dayList.length * n) / k;
    for (const count of inclusion) expect(Math.abs(count / dayList.length - n / k)).toBeLessThan(0.04);
    const chi2 = inclusion.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    // the inclusion counts are negatively correlated (n per day), so this statistic is at most chi-square(k−1)
    expect(chi2).toBeLessThan(CHI2_001[k - 1] ?? 0);
  });

  it('the lowest-ranked position is uniform over the positions (chi-square, k−1 dof)', () => {
    const expected = dayList.length / k;
    const chi2 = first.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(CHI2_001[k - 1] ?? 0);
  });

  it('every subset size pattern: with 20 conversations each is drawn about 1/4 of the days', () => {
    const twenty = ids(20);
    const counts = new Array<number>(20).fill(0);
    for (const day of dayList)
      drawn({ salt: SALT, agentId: 'agent-3', day, conversationIds: twenty, size: n }).forEach((id) => (counts[twenty.indexOf(id)] += 1));
    const expected = (dayList.length * n) / 20;
    const chi2 = counts.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(CHI2_001[19] ?? 0);
  });
});

describe('late conversations and re-draws', () => {
  const base = { salt: SALT, agentId: 'agent-7', day: '2026-03-02', size: 5 };

  it('a late conversation displaces at most one drawn conversation, and only through a re-draw', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 30 }), (list) => {
        const [late, ...earlier] = list as [string, ...string[]];
        const stored = drawn({ ...base, conversationIds: earlier });
        const change = redrawChanges({ ...base, conversationIds: list, current: stored });
        expect(change.sample).toEqual(drawn({ ...base, conversationIds: list }));
        expect(change.added.length).toBe(change.removed.length + (stored.length < 5 ? 1 : 0));
        expect(change.added.every((id) => id === late)).toBe(true);
        expect(change.removed.length).toBeLessThanOrEqual(1);
        // without a re-draw, nothing changes: the stored sample is data, not recomputed
        expect(redrawChanges({ ...base, conversationIds: earlier, current: stored })).toMatchObject({ added: [], removed: [] });
      }),
    );
  });

  it('says which ids a re-draw adds and removes', () => {
    const earlier = ids(8);
    const stored = drawn({ ...base, conversationIds: earlier });
    // find a late id that ranks first, so it must enter the sample
    let late = '';
    for (let i = 0; late === '' && i < 1000; i += 1) {
      const candidate = `late-${i}`;
      const rank = conversationRank(SALT, 'agent-7', '2026-03-02', candidate);
      const lowest = rankConversations({ ...base, conversationIds: earlier })[0]?.rank ?? '';
      if (rank < lowest) late = candidate;
    }
    const change = redrawChanges({ ...base, conversationIds: [...earlier, late], current: stored });
    expect(change.added).toEqual([late]);
    expect(change.removed).toEqual([stored[stored.length - 1]]);
    expect(change.sample[0]).toBe(late);
  });

  it('keeps conversations whose inspection has started', () => {
    const earlier = ids(8);
    const stored = drawn({ ...base, conversationIds: earlier });
    const lastDrawn = stored[stored.length - 1] as string;
    const ranked = rankConversations({ ...base, conversationIds: earlier });
    const lowest = ranked[0]?.rank ?? '';
    let late = '';
    for (let i = 0; late === '' && i < 1000; i += 1)
      if (conversationRank(SALT, 'agent-7', '2026-03-02', `late-${i}`) < lowest) late = `late-${i}`;
    const change = redrawChanges({ ...base, conversationIds: [...earlier, late], current: stored, keep: [lastDrawn] });
    expect(change.sample).toHaveLength(5);
    expect(change.sample).toContain(lastDrawn);
    expect(change.keptOutsideDraw).toEqual([lastDrawn]);
    expect(change.added).toEqual([late]);
    expect(change.removed).toEqual([stored[3]]);
    expect(() => redrawChanges({ ...base, conversationIds: earlier, current: stored, keep: ['not-drawn'] })).toThrow(
      /not in the current sample/,
    );
  });
});
