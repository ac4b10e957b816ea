import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.js';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import { ValidationError } from '../validate/problems.js';
import { parseQaRules, scorecardFor, type ScorecardVersion } from './policy.js';
import { bandStanding, inspectionDeductions, monthDeductions, type QaDeduction } from './scoring.js';

const policy = parsePolicy(defaultPolicyText()).policy;
const qa = parseQaRules(readFileSync(new URL('./default-qa.yaml', import.meta.url), 'utf8'), policy);
const card = scorecardFor(qa, 'basic', '2026-03-02').version;
const d = (value: string | number) => new Decimal(value);

describe('an inspection’s deductions from its item hits (R-QA-2)', () => {
  it('adds points × occurrences, one line per item in the scorecard’s order', () => {
    const result = inspectionDeductions(card, [
      { item: 'typo_or_slang', count: 3 },
      { item: 'greeting_closing' },
      { item: 'typo_or_slang' },
    ]);
    expect(result.lines.map((l) => [l.item, l.count, l.subtotal.toFixed()])).toEqual([
      ['greeting_closing', 1, '1'],
      ['typo_or_slang', 4, '2'],
    ]);
    expect(result.total.toFixed()).toBe('3');
    expect(result.critical).toEqual([]);
    expect(result.scorecardVersion).toBe('2017.1');
    expect(result.explain.zh).toBe('扣分:未使用规范的开场问候语或结束语 1 + 错别字、语句不通顺或使用不当网络用语(每处) 0.5 × 4 = 3 分');
    expect(result.explain.en).toBe(
      'deducted: No standard greeting or closing 1 + Typos, broken sentences or unsuitable internet slang (each) 0.5 × 4 = 3 points',
    );
  });

  it('a clean conversation deducts nothing', () => {
    const result = inspectionDeductions(card, []);
    expect(result.total.toFixed()).toBe('0');
    expect(result.explain.en).toBe('no item found: 0 points deducted');
  });

  it('names critical items that were hit', () => {
    const critical: ScorecardVersion = {
      ...card,
      items: card.items.map((i) => (i.code === 'argued_with_customer' ? { ...i, critical: true } : i)),
    };
    const result = inspectionDeductions(critical, [{ item: 'argued_with_customer' }]);
    expect(result.critical).toEqual(['argued_with_customer']);
    expect(result.explain.zh).toContain('含致命项 argued_with_customer');
  });

  it('refuses unknown items and bad counts, all at once', () => {
    try {
      inspectionDeductions(card, [{ item: 'rude' }, { item: 'greeting_closing', count: 0 }, { item: 'slow_reply', count: 1.5 }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).problems.map((p) => p.path)).toEqual(['hits[0].item', 'hits[1].count', 'hits[2].count']);
    }
  });
});

describe('the month’s deduction points (R-QA-4)', () => {
  const qaDeductions: QaDeduction[] = [
    { day: '2026-03-02', inspectionId: 'i1', item: 'greeting_closing', points: d(1) },
    { day: '2026-03-03', inspectionId: 'i2', item: 'wrong_information', points: d(5), dispute: { status: 'upheld' } },
    { day: '2026-03-04', inspectionId: 'i3', item: 'impatient_tone', points: d(3), dispute: { status: 'overturned' } },
    { day: '2026-03-05', inspectionId: 'i4', item: 'ticket_missing', points: d(2), dispute: { status: 'changed', points: d(1) } },
    { day: '2026-03-06', inspectionId: 'i5', item: 'typo_or_slang', points: d('0.5'), dispute: { status: 'pending' } },
    { day: '2026-02-27', inspectionId: 'i0', item: 'greeting_closing', points: d(1) },
  ];
  const other = [
    { day: '2026-03-09', kind: 'efficiency' as const, points: d(4) },
    { day: '2026-03-10', kind: 'discipline' as const, points: d('2.5') },
    { day: '2026-04-01', kind: 'discipline' as const, points: d(10) },
  ];

  it('sums upheld QA deductions and efficiency/discipline deductions over the calendar month', () => {
    const month = monthDeductions({ month: '2026-03', qa: qaDeductions, other, criticalForfeitsMonth: true });
    expect(month.qa.toFixed()).toBe('7.5'); // 1 + 5 + 1 (changed) + 0.5 (pending)
    expect([month.efficiency.toFixed(), month.discipline.toFixed(), month.total.toFixed()]).toEqual(['4', '2.5', '14']);
    expect(month.overturned).toEqual({ count: 1, points: d(3) });
    expect(month.pending).toEqual({ count: 1, points: d('0.5') });
    expect(month.provisional).toBe(true);
    expect(month.outsideMonth).toBe(2);
    expect(month.forfeit).toBe(false);
    expect(month.explain.zh).toBe(
      '2026-03 扣分合计 14 = 质检 7.5 + 效率 4 + 纪律 2.5;申诉撤销 1 项(3 分)不计;1 项(0.5 分)申诉未决,暂按已发布计入',
    );
    expect(month.explain.en).toContain('2026-03 deductions 14 = QA 7.5 + efficiency 4 + discipline 2.5');
  });

  it('a critical hit that stands forfeits the month when the policy says so; an overturned one does not', () => {
    const hit: QaDeduction = { day: '2026-03-02', inspectionId: 'i9', item: 'argued_with_customer', points: d(10), critical: true };
    expect(monthDeductions({ month: '2026-03', qa: [hit], other: [], criticalForfeitsMonth: true }).forfeit).toBe(true);
    expect(
      monthDeductions({
        month: '2026-03',
        qa: [{ ...hit, dispute: { status: 'changed', points: d(5) } }],
        other: [],
        criticalForfeitsMonth: true,
      }).forfeit,
    ).toBe(true);
    expect(
      monthDeductions({ month: '2026-03', qa: [{ ...hit, dispute: { status: 'overturned' } }], other: [], criticalForfeitsMonth: true })
        .forfeit,
    ).toBe(false);
    const off = monthDeductions({ month: '2026-03', qa: [hit], other: [], criticalForfeitsMonth: false });
    expect([off.forfeit, off.criticalHits]).toEqual([false, [{ inspectionId: 'i9', item: 'argued_with_customer' }]]);
    expect(off.explain.en).toContain('the policy does not forfeit for them');
  });

  it('refuses negative points and bad dates', () => {
    expect(() => monthDeductions({ month: '2026-3', qa: [], other: [], criticalForfeitsMonth: false })).toThrow(/YYYY-MM/);
    expect(() =>
      monthDeductions({
        month: '2026-03',
        qa: [],
        other: [{ day: '2026-03-01', kind: 'efficiency', points: d(-1) }],
        criticalForfeitsMonth: false,
      }),
    ).toThrow(/negative/);
    expect(() =>
      monthDeductions({
        month: '2026-03',
        qa: [{ ...(qaDeductions[0] as QaDeduction), day: '2026-03-32' }],
        other: [],
        criticalForfeitsMonth: false,
      }),
    ).toThrow(/YYYY-MM-DD/);
  });
});

describe('the current band and the points to its edge (R-QA-5, R-PAY-6)', () => {
  const basic = policy.bands.basic ?? [];
  const vip = policy.bands.vip ?? [];

  it('basic at 18: band ≤ 20, 2 points left before coefficient 1.2 → 1.0', () => {
    const s = bandStanding(basic, d(18));
    expect([s.range, s.coefficient?.toFixed(), s.grade, s.pointsToEdge?.toFixed(), s.next?.coefficient?.toFixed()]).toEqual([
      '≤ 20',
      '1.2',
      'excellent',
      '2',
      '1',
    ]);
    expect(s.edge).toEqual({ at: d(20), inclusive: true });
    expect(s.explain.zh).toBe('扣分 18,处于 ≤ 20 档(系数 1.2);距档位上限 20 还有 2 分,超过即降为系数 1');
    expect(s.explain.en).toBe('18 deduction points: band ≤ 20 (coefficient 1.2); 2 points left to the edge 20; beyond it, coefficient 1');
  });

  it('at the edge itself: still in the band, 0 left', () => {
    const s = bandStanding(basic, d(20));
    expect([s.index, s.pointsToEdge?.toFixed()]).toEqual([0, '0']);
    expect(bandStanding(basic, d('20.5')).range).toBe('20 < d ≤ 30');
  });

  it('a "below" edge: reaching it moves down', () => {
    const s = bandStanding(basic, d(45));
    expect([s.range, s.coefficient?.toFixed(), s.pointsToEdge?.toFixed(), s.edge?.inclusive]).toEqual(['30 < d < 50', '0.8', '5', false]);
    expect(s.explain.zh).toBe('扣分 45,处于 30 < d < 50 档(系数 0.8);再扣 5 分达到 50 即降为系数 0.6');
    expect(bandStanding(basic, d(50)).range).toBe('50 ≤ d < 70');
  });

  it('the band before forfeit, and the forfeit band itself', () => {
    const s = bandStanding(basic, d(69));
    expect(s.explain.zh).toBe('扣分 69,处于 50 ≤ d < 70 档(系数 0.6);再扣 1 分达到 70 即降为不发绩效工资');
    const last = bandStanding(basic, d(70));
    expect([last.coefficient, last.next, last.edge, last.pointsToEdge, last.grade]).toEqual([null, null, null, null, 'unqualified']);
    expect(last.explain.en).toBe('70 deduction points: band ≥ 70 (no performance pay); this is the last band');
  });

  it('vip at 15.5: band 15 < d ≤ 20 (1.2), 4.5 points left before 1.0', () => {
    const s = bandStanding(vip, d('15.5'));
    expect([s.range, s.coefficient?.toFixed(), s.pointsToEdge?.toFixed(), s.next?.coefficient?.toFixed()]).toEqual([
      '15 < d ≤ 20',
      '1.2',
      '4.5',
      '1',
    ]);
    expect(bandStanding(vip, d(51)).coefficient).toBeNull();
  });

  it('refuses negative deductions', () => {
    expect(() => bandStanding(basic, d(-1))).toThrow(/negative/);
  });
});
