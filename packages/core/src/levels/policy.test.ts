import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import { ValidationError } from '../validate/problems.js';
import { Reader } from '../validate/schema.js';
import { levelRulesField, parseLevelRules, readLevelRules } from './policy.js';

const policy = parsePolicy(defaultPolicyText()).policy;
const levelsText = readFileSync(new URL('./default-levels.yaml', import.meta.url), 'utf8');
const levelsData = () => parse(levelsText) as Record<string, unknown> & { tracks: Record<string, Record<string, unknown>> };

function problems(data: unknown, path: string[] = ['levels']): string[] {
  try {
    readLevelRules(data, policy, path);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('the default level rules (SPEC R-LVL-4 sample values)', () => {
  const rules = parseLevelRules(levelsText, policy);

  it('has rules for every track of the default policy', () => {
    expect(Object.keys(rules.tracks).sort()).toEqual(Object.keys(policy.tracks).sort());
  });

  it('holds the thresholds of R-LVL-4', () => {
    const basic = rules.tracks.basic;
    expect(basic?.probation).toEqual({ level: 'trainee', months: 3 });
    expect(basic?.floor).toBe('junior');
    expect(basic?.requirements.junior?.deductions?.atMost.toFixed()).toBe('30');
    expect(basic?.requirements.intermediate?.tenure).toEqual({ months: 3, since: 'levelSince' });
    expect(basic?.requirements.intermediate?.csat?.atLeast.toFixed()).toBe('0.9');
    expect(basic?.requirements.senior?.tenure).toEqual({ months: 12, since: 'juniorSince' });
    expect(basic?.requirements.senior?.knowledgeTest?.atLeast.toFixed()).toBe('85');
    const expert = rules.tracks.sales?.requirements.expert;
    expect(expert?.tenure).toEqual({ months: 12, since: 'levelSince' });
    expect([expert?.deductions?.atMost.toFixed(), expert?.csat?.atLeast.toFixed(), expert?.knowledgeTest?.atLeast.toFixed()]).toEqual([
      '15',
      '0.95',
      '90',
    ]);
    expect(rules.tracks.sales?.probation).toBeUndefined();
    expect(rules.tracks.vip?.floor).toBe('vip_junior');
  });

  it('holds the 360 weights 10/60/30 and the raises 8% / 15%', () => {
    const w = rules.review360?.weights;
    expect([w?.self.toFixed(), w?.manager.toFixed(), w?.peers.toFixed()]).toEqual(['0.1', '0.6', '0.3']);
    expect(rules.raises.map((r) => [r.levels, r.rate.toFixed()])).toEqual([
      [1, '0.08'],
      [2, '0.15'],
    ]);
  });

  it('reads as the levels section of a whole policy document', () => {
    const document = { ...(parse(defaultPolicyText()) as Record<string, unknown>), levels: levelsData() };
    const reader = new Reader();
    expect(levelRulesField(reader, document.levels, ['levels'])).toBeDefined();
    expect(reader.problems).toEqual([]);
    expect(stringify(document)).toContain('levels:');
  });
});

describe('refused level rules, every problem with its path', () => {
  it('refuses unknown fields and wrong values', () => {
    const data = levelsData();
    (data.tracks.basic as Record<string, unknown>).flor = 'junior';
    const requirements = data.tracks.basic?.requirements as Record<string, Record<string, unknown>>;
    (requirements.senior as Record<string, unknown>).csat = { atLeast: 95 };
    (requirements.senior as Record<string, unknown>).tenure = { months: 12, since: 'birth' };
    expect(problems(data)).toEqual([
      'levels.tracks.basic.flor: unknown field (expected one of: probation, floor, payEffect, requirements)',
      'levels.tracks.basic.requirements.senior.tenure.since: must be one of levelSince, juniorSince, hiredOn, got "birth"',
      'levels.tracks.basic.requirements.senior.csat.atLeast: must be at most 1, got 95',
    ]);
  });

  it('ties the section to the tracks of the policy', () => {
    const data = levelsData();
    delete data.tracks.vip;
    data.tracks.support = { floor: 'junior', payEffect: 'levelPay', requirements: {} };
    const basic = data.tracks.basic as Record<string, unknown> & { requirements: Record<string, unknown> };
    basic.probation = { level: 'junior', months: 3 };
    basic.floor = 'trainee';
    basic.requirements.trainee = { deductions: { atMost: 30 } };
    basic.requirements.expert = { deductions: { atMost: 30 } };
    delete basic.requirements.senior;
    expect(problems(data)).toEqual([
      'levels.tracks: no level rules for track "vip" (every track of the policy needs them)',
      'levels.tracks.basic.probation.level: must be the track\'s first level "trainee", got "junior"',
      'levels.tracks.basic.floor: must be above the probation level "junior" (a demotion never returns anyone to probation)',
      'levels.tracks.basic.requirements.trainee: "trainee" is the track\'s first level, which nobody is promoted to; remove it',
      'levels.tracks.basic.requirements.expert: "expert" is not a level of the track (trainee, junior, intermediate, senior)',
      'levels.tracks.basic.requirements: no requirements for level "senior" (every level above the first needs them)',
      'levels.tracks.support: unknown track "support" (tracks: basic, vip, sales)',
    ]);
  });

  it('needs the 360 weights when a requirement uses the 360 score, adding up to 1', () => {
    const data = levelsData();
    delete data.review360;
    const senior = (data.tracks.basic?.requirements as Record<string, Record<string, unknown>>).senior as Record<string, unknown>;
    senior.review360 = { atLeast: 80 };
    senior.trainingCourses = {};
    expect(problems(data)).toEqual([
      'levels.tracks.basic.requirements.senior.trainingCourses: give atLeast, include, or both',
      'levels.review360: is required: a requirement uses the 360 score, which needs the weights of self, manager and peers',
    ]);
    const weights = levelsData();
    weights.review360 = { weights: { self: 0.2, manager: 0.6, peers: 0.3 } };
    expect(problems(weights)).toEqual(['levels.review360.weights: must add up to 1, they add up to 1.1']);
  });

  it('needs a raise for one level when a track has payEffect raise', () => {
    const data = levelsData();
    data.raises = [
      { levels: 2, rate: 0.15 },
      { levels: 2, rate: 0.2 },
    ];
    (data.tracks.sales as Record<string, unknown>).payEffect = 'raise';
    expect(problems(data)).toEqual([
      'levels.raises[1].levels: duplicate raise for 2 level(s)',
      'levels.raises: needs a raise for 1 level: a track has payEffect raise and the quarterly evaluation moves one level',
    ]);
  });

  it('reports a YAML syntax error by line', () => {
    expect(() => parseLevelRules('tracks: [\n', policy)).toThrow(/line/);
  });
});
