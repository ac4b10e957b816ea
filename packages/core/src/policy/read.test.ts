import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { ValidationError } from '../validate/problems.js';
import { parsePolicy } from './read.js';
import { defaultPolicyText } from './test-support.js';

/** Edits the default policy's YAML and returns the problems the edited text gives. */
function problemsAfter(edit: (doc: ReturnType<typeof parseDocument>) => void): string[] {
  const doc = parseDocument(defaultPolicyText());
  edit(doc);
  try {
    parsePolicy(doc.toString());
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('policy reader', () => {
  it('accepts the shipped default policy with the SPEC sample values', () => {
    const { policy } = parsePolicy(defaultPolicyText());
    expect(policy.policy).toBe('default');
    expect(policy.effectiveFrom).toBe('2017-01-01');
    expect(policy.score.yuanPerPoint.toFixed()).toBe('0.5');
    expect(policy.bands.basic?.map((b) => b.coefficient?.toFixed() ?? null)).toEqual(['1.2', '1', '0.8', '0.6', null]);
    expect(policy.tracks.sales?.levels.map((l) => l.basePay.toFixed())).toEqual(['3000', '3500', '4000', '4500']);
  });

  it('names the path of a band bound that does not rise', () => {
    expect(problemsAfter((doc) => doc.setIn(['bands', 'vip', 2, 'upTo'], 18))).toEqual([
      'bands.vip[2].upTo: must be greater than bands.vip[1].upTo',
    ]);
  });

  it('lists every problem, not only the first', () => {
    const problems = problemsAfter((doc) => {
      doc.setIn(['score', 'yuanPerPoint'], -1);
      doc.setIn(['groups', 'vip', 'track'], 'gold');
      doc.setIn(['attendance', 'overtime', 'weekend'], 2);
      doc.setIn(['bands', 'basic', 1, 'grade'], 'superb');
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'score.yuanPerPoint: must be at least 0, got -1',
        'attendance.overtime.weekend: unknown field (expected one of: workday, restDay, holiday)',
      ]),
    );
    expect(problems).toHaveLength(2); // structural problems stop before cross-checks
    const crossChecks = problemsAfter((doc) => {
      doc.setIn(['groups', 'vip', 'track'], 'gold');
      doc.setIn(['bands', 'basic', 1, 'grade'], 'superb');
      doc.setIn(['sales', 'kpis', 0, 'weight'], 0.5);
    });
    expect(crossChecks).toEqual([
      'bands.basic[1].grade: unknown grade "superb" (grades: excellent, good, qualified, unqualified)',
      'groups.vip.track: unknown track "gold" (tracks: basic, vip, sales)',
      'sales.kpis: weights must add up to 1, they add up to 1.1',
    ]);
  });

  it('refuses a coefficient that rises with deductions and a bounded last band', () => {
    expect(problemsAfter((doc) => doc.setIn(['bands', 'basic', 2, 'coefficient'], 1.1))).toEqual([
      'bands.basic[2].coefficient: must not be greater than bands.basic[1].coefficient (the coefficient never rises as deductions rise)',
    ]);
    expect(problemsAfter((doc) => doc.setIn(['bands', 'vip', 4, 'upTo'], 99))).toEqual([
      'bands.vip[4].upTo: the last band must be open-ended (no upper bound)',
    ]);
  });

  it('refuses missing sections, bad dates and bad YAML', () => {
    expect(problemsAfter((doc) => doc.delete('score'))).toEqual(['score: is required']);
    expect(problemsAfter((doc) => doc.set('effectiveFrom', '2017-02-30'))).toEqual([
      'effectiveFrom: must be a date YYYY-MM-DD, got "2017-02-30"',
    ]);
    expect(() => parsePolicy('policy: [unclosed')).toThrow(/line 1/);
    expect(() => parsePolicy('a: 1\na: 2\n')).toThrow(ValidationError);
  });

  it('checks that a commission only goes to groups with sales figures', () => {
    expect(
      problemsAfter((doc) =>
        doc.set('commissions', doc.createNode([{ code: 'sales', name: { zh: '提成', en: 'commission' }, rate: 0.01, groups: ['basic'] }])),
      ),
    ).toEqual(['commissions[0].groups[0]: group "basic" has no sales figures (scheme score)']);
  });
});
