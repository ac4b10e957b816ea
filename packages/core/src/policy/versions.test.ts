import { describe, expect, it } from 'vitest';
import type { Month } from '../period/period.js';
import { ValidationError } from '../validate/problems.js';
import { diffPolicies, formatPolicyDiff } from './diff.js';
import { parsePolicy } from './read.js';
import { defaultPolicyText } from './test-support.js';
import { checkVersionSet, policyInForce } from './versions.js';

function version(effectiveFrom: string, versionName: string, yuanPerPoint = '0.5') {
  const text = defaultPolicyText()
    .replace(/^effectiveFrom: .*$/m, `effectiveFrom: ${effectiveFrom}`)
    .replace(/^version: .*$/m, `version: '${versionName}'`)
    .replace(/yuanPerPoint: 0\.5/, `yuanPerPoint: ${yuanPerPoint}`);
  return parsePolicy(text);
}

describe('policy versions (R-RUN-5)', () => {
  const v2017 = version('2017-01-01', '2017.1').policy;
  const v2026 = version('2026-10-02', '2026.10').policy;
  const v2026Nov = version('2026-11-01', '2026.11').policy;

  it('uses the version in force on the first day of the month', () => {
    const versions = [v2026Nov, v2017, v2026];
    expect(policyInForce(versions, '2026-10' as Month).version).toBe('2017.1'); // 2026.10 starts on the 2nd
    expect(policyInForce(versions, '2026-11' as Month).version).toBe('2026.11');
    expect(policyInForce(versions, '2030-01' as Month).version).toBe('2026.11');
  });

  it('refuses a month before every version', () => {
    expect(() => policyInForce([v2026Nov], '2026-10' as Month)).toThrow(/no policy version is in force on 2026-10-01/);
  });

  it('refuses two versions taking effect on the same day', () => {
    expect(() => checkVersionSet([v2017, version('2017-01-01', '2017.2').policy])).toThrow(ValidationError);
  });
});

describe('policy diff', () => {
  it('lists each change under its rule', () => {
    const before = version('2017-01-01', '2017.1');
    const after = version('2026-11-01', '2026.11', '0.6');
    const changes = diffPolicies(before.data, after.data);
    expect(changes).toEqual([
      { kind: 'changed', path: 'effectiveFrom', rule: 'R-RUN-5', before: '2017-01-01', after: '2026-11-01' },
      { kind: 'changed', path: 'version', rule: 'R-RUN-5', before: '2017.1', after: '2026.11' },
      { kind: 'changed', path: 'score.yuanPerPoint', rule: 'R-PAY-4', before: '0.5', after: '0.6' },
    ]);
    expect(formatPolicyDiff(changes)).toContain('R-PAY-4 绩效工资单价 / yuan per performance point\n  ~ score.yuanPerPoint: 0.5 → 0.6');
  });

  it('keys levels by code, so a changed base pay names the level', () => {
    const before = version('2017-01-01', '2017.1').data;
    const after = structuredClone(before) as { tracks: { sales: { levels: { code: string; basePay: number }[] } } };
    after.tracks.sales.levels[3]!.basePay = 4800;
    expect(diffPolicies(before, after)).toEqual([
      { kind: 'changed', path: 'tracks.sales.levels[expert].basePay', rule: 'R-SAL-1', before: '4500', after: '4800' },
    ]);
  });

  it('treats 1.0 and 1 as the same value', () => {
    expect(diffPolicies({ a: 1.0 }, { a: '1' })).toEqual([]);
  });
});
