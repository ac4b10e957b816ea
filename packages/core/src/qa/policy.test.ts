import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import { ValidationError } from '../validate/problems.js';
import { inspectorFor, parseQaRules, QA_CATEGORIES, QA_CATEGORY_NAMES, readQaRules, sampleSizeFor, scorecardFor } from './policy.js';

const policy = parsePolicy(defaultPolicyText()).policy;
const qaText = readFileSync(new URL('./default-qa.yaml', import.meta.url), 'utf8');
type Data = Record<string, unknown> & {
  groups: Record<string, Record<string, unknown>>;
  scorecards: Record<string, { groups: string[]; versions: Record<string, unknown>[] & { items: Record<string, unknown>[] }[] }>;
};
const qaData = () => parse(qaText) as Data;

function problems(data: unknown, catalog: Parameters<typeof readQaRules>[1] = policy): string[] {
  try {
    readQaRules(data, catalog);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('the default QA rules (SPEC R-QA sample values)', () => {
  const qa = parseQaRules(qaText, policy);

  it('draws 5 conversations per agent and day in every group', () => {
    for (const group of Object.keys(policy.groups)) expect(sampleSizeFor(qa, group)).toBe(5);
    expect(qa.sampleSize).toBe(5);
  });

  it('R-QA-3: team leads inspect basic and phone efficiency, the QA group vip', () => {
    expect(inspectorFor(qa, 'basic', 'efficiency')).toBe('team_lead');
    expect(inspectorFor(qa, 'phone', 'efficiency')).toBe('team_lead');
    expect(inspectorFor(qa, 'vip', 'efficiency')).toBe('qa_group');
    expect(inspectorFor(qa, 'vip', 'conversations')).toBe('qa_group');
    expect(() => inspectorFor(qa, 'nobody', 'efficiency')).toThrow(/no QA rules for group "nobody"/);
  });

  it('R-DSP-1: a 3-working-day dispute window; no item is critical', () => {
    expect(qa.disputeWindow.workingDays).toBe(3);
    const { version } = scorecardFor(qa, 'basic', '2026-03-02');
    expect(version.items.every((i) => !i.critical)).toBe(true);
  });

  it('has a realistic scorecard: 10–15 items over every category, in Chinese and English', () => {
    const { code, version } = scorecardFor(qa, 'vip', '2026-03-02');
    expect(code).toBe('service');
    expect(version.version).toBe('2017.1');
    expect(version.items.length).toBeGreaterThanOrEqual(10);
    expect(version.items.length).toBeLessThanOrEqual(15);
    expect(new Set(version.items.map((i) => i.category))).toEqual(new Set(QA_CATEGORIES));
    for (const item of version.items) {
      expect(item.description.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(item.description.en).toMatch(/^[A-Z]/);
      expect(item.points.greaterThan(0)).toBe(true);
    }
    expect(version.items.find((i) => i.code === 'typo_or_slang')?.points.toFixed()).toBe('0.5');
    expect(QA_CATEGORY_NAMES.response_time.zh).toBe('响应时效');
  });

  it('reads as the qa section of a whole policy document', () => {
    const whole = parse(defaultPolicyText()) as Record<string, unknown>;
    const data = { ...whole, qa: qaData() };
    expect(() => readQaRules(data.qa, { groups: policy.groups, effectiveFrom: policy.effectiveFrom })).not.toThrow();
  });
});

describe('scorecard versions', () => {
  const data = qaData();
  const card = data.scorecards.service;
  const first = card?.versions[0] as { items: Record<string, unknown>[] };
  card?.versions.push({ version: '2026.1', effectiveFrom: '2026-04-01', items: [...first.items.slice(0, 3)] } as never);
  const qa = readQaRules(data, policy);

  it('picks the latest version in force on the day of the conversation', () => {
    expect(scorecardFor(qa, 'basic', '2026-03-31').version.version).toBe('2017.1');
    expect(scorecardFor(qa, 'basic', '2026-04-01').version.version).toBe('2026.1');
    expect(scorecardFor(qa, 'basic', '2026-04-01').version.items).toHaveLength(3);
  });

  it('refuses a day before the first version, and a group without a scorecard', () => {
    expect(() => scorecardFor(qa, 'basic', '2016-12-31')).toThrow(/no version in force on 2016-12-31/);
    expect(() => scorecardFor(qa, 'nobody', '2026-04-01')).toThrow(/no scorecard inspects group "nobody"/);
  });
});

describe('the QA rules are validated, every problem with its path', () => {
  it('refuses unknown and missing groups', () => {
    const data = qaData();
    data.groups.ghost = { inspectors: { conversations: 'qa_group', efficiency: 'team_lead' } };
    delete data.groups.phone;
    expect(problems(data)).toEqual([
      'qa.groups: no QA rules for group "phone" (every group of the policy needs them)',
      'qa.groups.ghost: unknown group "ghost" (groups: basic, vip, phone, sales)',
    ]);
  });

  it('refuses a group in two scorecards, a group in none, and an unknown group', () => {
    const data = qaData();
    const card = data.scorecards.service as { groups: string[] };
    card.groups = ['basic', 'vip', 'ghost'];
    data.scorecards.second = { ...(data.scorecards.service as object), groups: ['basic', 'sales'] } as never;
    expect(problems(data)).toEqual([
      'qa.scorecards.service.groups[2]: unknown group "ghost" (groups: basic, vip, phone, sales)',
      'qa.scorecards.second.groups[0]: group "basic" already uses scorecard "service"',
      'qa.scorecards: no scorecard for group "phone" (every group needs one)',
    ]);
  });

  it('refuses duplicate items and versions, versions out of order, and a first version after the policy starts', () => {
    const data = qaData();
    const versions = (
      data.scorecards.service as { versions: { version: string; effectiveFrom: string; items: Record<string, unknown>[] }[] }
    ).versions;
    const v = versions[0] as { version: string; effectiveFrom: string; items: Record<string, unknown>[] };
    v.items.push({ ...(v.items[0] as object) });
    v.effectiveFrom = '2017-02-01';
    versions.push({ version: '2017.1', effectiveFrom: '2017-01-15', items: [v.items[1] as Record<string, unknown>] });
    expect(problems(data)).toEqual([
      'qa.scorecards.service.versions[0].items[14].code: duplicate item "greeting_closing"',
      'qa.scorecards.service.versions[1].version: duplicate version "2017.1"',
      "qa.scorecards.service.versions[1].effectiveFrom: must be after the previous version's effectiveFrom 2017-02-01",
      "qa.scorecards.service.versions[0].effectiveFrom: must be on or before the policy's effectiveFrom 2017-01-01, or the policy's first days have no scorecard",
    ]);
  });

  it('refuses bad values and unknown keys', () => {
    const data = qaData();
    data.sampleSize = -1;
    data.disputeWindow = { workingDays: 1.5 };
    (data.groups.vip as Record<string, unknown>).inspectors = { conversations: 'director', efficiency: 'qa_group' };
    const item = (data.scorecards.service as { versions: { items: Record<string, unknown>[] }[] }).versions[0]?.items[0] as Record<
      string,
      unknown
    >;
    item.category = 'speed';
    item.points = 0;
    item.weight = 1;
    expect(problems(data)).toEqual([
      'qa.sampleSize: must be at least 0, got -1',
      'qa.groups.vip.inspectors.conversations: must be one of team_lead, qa_group, got "director"',
      'qa.disputeWindow.workingDays: must be a whole number, got 1.5',
      'qa.scorecards.service.versions[0].items[0].weight: unknown field (expected one of: code, category, description, points, critical)',
      'qa.scorecards.service.versions[0].items[0].category: must be one of service_language, accuracy, response_time, process, attitude, got "speed"',
      'qa.scorecards.service.versions[0].items[0].points: must be greater than 0, got 0',
    ]);
  });

  it('a group may set its own sample size', () => {
    const data = qaData();
    (data.groups.vip as Record<string, unknown>).sampleSize = 8;
    const qa = readQaRules(data, policy);
    expect(sampleSizeFor(qa, 'vip')).toBe(8);
    expect(sampleSizeFor(qa, 'basic')).toBe(5);
  });

  it('reports YAML syntax errors by line', () => {
    expect(() => parseQaRules('sampleSize: 5\nsampleSize: 6\n', policy)).toThrow(/line 2/);
  });
});
