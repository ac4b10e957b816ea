import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import { q3Months, type RawPerson, rawPerson, rawQuarter } from './fixtures.js';
import { readQuarterInput } from './input.js';
import { parseLevelRules } from './policy.js';
import { type LadderStanding, ladderView } from './view.js';

const policy = parsePolicy(defaultPolicyText()).policy;
const rules = parseLevelRules(readFileSync(new URL('./default-levels.yaml', import.meta.url), 'utf8'), policy);

function view(...employees: RawPerson[]): LadderStanding[] {
  return ladderView(rules, policy, readQuarterInput(rawQuarter(employees), rules, policy));
}

describe('the ladder view', () => {
  it('shows where an intermediate stands on each indicator of senior and what is missing', () => {
    const agent = rawPerson({
      level: 'intermediate',
      hiredOn: '2025-01-01',
      levelSince: '2026-01-01',
      juniorSince: '2026-01-01',
      knowledgeTest: 86,
      months: q3Months([1977, 2100, 2000], [24, 24, 24], [0.96, 0.95, 0.97]),
    });
    const peer = rawPerson({ id: 'P1', level: 'senior', months: q3Months([2023, 2000, 2000], [10, 10, 10], [0.96, 0.96, 0.96]) });
    const [standing] = view(agent, peer);
    expect(standing).toMatchObject({
      employeeId: 'E001',
      level: 'intermediate',
      next: 'senior',
      nextName: { zh: '高级客服', en: 'senior' },
      ready: false,
    });
    const missing = standing?.items.filter((i) => i.missing !== null).map((i) => i.missing?.en);
    expect(missing).toEqual([
      '23 more conversations in 2026-07 (group average 2000)',
      '12 months since 2026-01-01 are complete only on 2027-01-01 (needed by 2026-10-01)',
      'average deductions 24 → needs ≤ 20',
    ]);
    expect(standing?.items.map((i) => [i.indicator, i.month ?? '', i.pass])).toEqual([
      ['conversations', '2026-07', false],
      ['conversations', '2026-08', true],
      ['conversations', '2026-09', true],
      ['tenure', '', false],
      ['deductions', '', false],
      ['csat', '', true],
      ['knowledgeTest', '', true],
    ]);
    expect(standing?.summary.zh).toBe(
      '距高级客服还差:2026-07 还需多接待 23 个会话(同组平均 2000);任职年限要到 2027-01-01 才满 12 个月(需不晚于 2026-10-01);平均扣分 24 → 需 ≤ 20',
    );
  });

  it('is ready when every indicator of the next level is met', () => {
    const [standing] = view(rawPerson());
    expect(standing).toMatchObject({
      next: 'intermediate',
      ready: true,
      summary: { en: 'Meets every indicator of intermediate this quarter' },
    });
  });

  it('has nothing above the top of a track', () => {
    const [standing] = view(rawPerson({ level: 'senior' }));
    expect(standing).toMatchObject({ next: null, ready: false, items: [], summary: { en: 'senior is the top of the track' } });
  });

  it('shows a trainee the probation and the junior indicators', () => {
    const [standing] = view(
      rawPerson({
        level: 'trainee',
        hiredOn: '2026-08-01',
        levelSince: '2026-08-01',
        knowledgeTest: undefined,
        months: q3Months([1, 1, 1], [35, 1, 1], [1, 1, 1]).slice(1),
      }),
    );
    expect(standing?.items.map((i) => i.indicator)).toEqual(['probation', 'conversations', 'conversations', 'conversations', 'deductions']);
    expect(standing?.items[0]?.missing?.en).toBe('probation ends only on 2026-11-01');
    expect(standing?.items[1]?.missing?.en).toBe('no record for 2026-07');
  });
});
