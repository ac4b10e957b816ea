/**
 * The `qa` section of a policy (R-QA-1…4, R-DSP-1): the daily sample size, who inspects each
 * group, the dispute window, whether a critical item forfeits the month, and the versioned
 * scorecards. Every value is data; see default-qa.yaml for the shipped sample.
 */
import { parsePolicyYamlData } from '../levels/policy.js';
import type { Decimal } from '../money/decimal.js';
import { parseDate, type IsoDate } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import { type PathSegment, ValidationError } from '../validate/problems.js';
import { boolean, decimal, type Field, list, object, oneOf, Reader, record, text } from '../validate/schema.js';

/** R-QA-2: the categories a scorecard item belongs to. */
export const QA_CATEGORIES = ['service_language', 'accuracy', 'response_time', 'process', 'attitude'] as const;
export type QaCategory = (typeof QA_CATEGORIES)[number];

export const QA_CATEGORY_NAMES: Record<QaCategory, Bilingual> = {
  service_language: { zh: '服务用语', en: 'service language' },
  accuracy: { zh: '业务准确性', en: 'accuracy' },
  response_time: { zh: '响应时效', en: 'response time' },
  process: { zh: '流程规范', en: 'process' },
  attitude: { zh: '服务态度', en: 'attitude' },
};

/** R-QA-3: an agent's team lead, or the QA (品管) group. */
export const QA_INSPECTORS = ['team_lead', 'qa_group'] as const;
export type QaInspector = (typeof QA_INSPECTORS)[number];

/** What is inspected: the sampled conversations, or the efficiency metrics (R-QA-3). */
export type InspectionKind = 'conversations' | 'efficiency';

export interface QaGroupRules {
  /** Conversations drawn per agent and day (R-QA-1); the section's sampleSize unless the group sets its own. */
  sampleSize: number;
  inspectors: Record<InspectionKind, QaInspector>;
}

export interface ScorecardItem {
  code: string;
  category: QaCategory;
  description: Bilingual;
  /** Points deducted per occurrence. */
  points: Decimal;
  /** One upheld occurrence forfeits the month's performance pay, when the section's criticalForfeitsMonth is on. */
  critical: boolean;
}

export interface ScorecardVersion {
  version: string;
  effectiveFrom: IsoDate;
  items: ScorecardItem[];
}

export interface Scorecard {
  name: Bilingual;
  /** The groups whose agents are inspected with this scorecard; each group has exactly one. */
  groups: string[];
  /** Oldest first; the version in force on a day is the latest whose effectiveFrom is on or before it. */
  versions: ScorecardVersion[];
}

export interface QaRules {
  reference?: string;
  /** The default daily sample size per agent (R-QA-1, sample 5). */
  sampleSize: number;
  groups: Record<string, QaGroupRules>;
  /** R-DSP-1: working days after publication during which a result may be disputed (sample 3). */
  disputeWindow: { workingDays: number };
  /** Whether an upheld hit of a critical item forfeits the month's performance pay (R-QA-2). */
  criticalForfeitsMonth: boolean;
  scorecards: Record<string, Scorecard>;
}

/** What the QA rules need of the rest of the policy. */
export interface QaCatalog {
  groups: Record<string, unknown>;
  effectiveFrom?: string;
}

const CODE = /^[a-z][a-zA-Z0-9_-]*$/;
const code = (): Field<string> =>
  text({ pattern: CODE, patternHint: 'a code of letters, digits, _ and -, starting with a lowercase letter' });
const bilingual = object({ zh: text(), en: text() });

const wholeNumber =
  (min: number, max: number): Field<number> =>
  (reader, value, path) =>
    decimal({ min, max, integer: true })(reader, value, path)?.toNumber();

const isoDate: Field<IsoDate> = (reader, value, path) => {
  const raw = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (typeof raw !== 'string' || parseDate(raw) === undefined) {
    reader.report(path, `must be a date YYYY-MM-DD, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return raw as IsoDate;
};

const inspector = oneOf(QA_INSPECTORS);

const groupRules = object(
  { sampleSize: wholeNumber(0, 1000), inspectors: object({ conversations: inspector, efficiency: inspector }) },
  { optional: ['sampleSize'] },
);

const item = object(
  {
    code: code(),
    category: oneOf(QA_CATEGORIES),
    description: bilingual,
    points: decimal({ min: 0, minExclusive: true, max: 1000 }),
    critical: boolean(),
  },
  { optional: ['critical'] },
);

const version = object({ version: text(), effectiveFrom: isoDate, items: list(item, { nonEmpty: true }) });

const scorecard = object({ name: bilingual, groups: list(code(), { nonEmpty: true }), versions: list(version, { nonEmpty: true }) });

const qaShape = object(
  {
    reference: text(),
    sampleSize: wholeNumber(0, 1000),
    groups: record(groupRules, { keyPattern: CODE }),
    disputeWindow: object({ workingDays: wholeNumber(0, 60) }),
    criticalForfeitsMonth: boolean(),
    scorecards: record(scorecard, { keyPattern: CODE }),
  },
  { optional: ['reference'] },
);

/** The `qa` section as a schema field: plug it into the policy reader under `qa`. */
export const qaRulesField: Field<QaRules> = (reader, value, path) => {
  const raw = qaShape(reader, value, path);
  if (raw === undefined) return undefined;
  const groups: Record<string, QaGroupRules> = {};
  for (const [name, g] of Object.entries(raw.groups))
    groups[name] = { sampleSize: g.sampleSize ?? raw.sampleSize, inspectors: g.inspectors };
  const scorecards: Record<string, Scorecard> = {};
  for (const [name, s] of Object.entries(raw.scorecards)) {
    scorecards[name] = {
      name: s.name,
      groups: s.groups,
      versions: s.versions.map((v) => ({ ...v, items: v.items.map((i) => ({ ...i, critical: i.critical ?? false })) })),
    };
  }
  const rules: QaRules = {
    sampleSize: raw.sampleSize,
    groups,
    disputeWindow: raw.disputeWindow,
    criticalForfeitsMonth: raw.criticalForfeitsMonth,
    scorecards,
  };
  if (raw.reference !== undefined) rules.reference = raw.reference;
  return rules;
};

/**
 * Checks the rules that tie the `qa` section to the policy's groups and effective date; every
 * problem is reported under `path` (the section's own path, e.g. ['qa']).
 */
export function checkQaRules(reader: Reader, qa: QaRules, policy: QaCatalog, path: readonly PathSegment[] = ['qa']): void {
  const known = Object.keys(policy.groups);
  for (const name of known) {
    if (!(name in qa.groups)) reader.report([...path, 'groups'], `no QA rules for group "${name}" (every group of the policy needs them)`);
  }
  for (const name of Object.keys(qa.groups)) {
    if (!(name in policy.groups)) reader.report([...path, 'groups', name], `unknown group "${name}" (groups: ${known.join(', ')})`);
  }
  const scorecardOf = new Map<string, string>();
  for (const [name, card] of Object.entries(qa.scorecards)) {
    const at = [...path, 'scorecards', name];
    card.groups.forEach((group, index) => {
      if (!(group in policy.groups)) reader.report([...at, 'groups', index], `unknown group "${group}" (groups: ${known.join(', ')})`);
      const other = scorecardOf.get(group);
      if (other !== undefined) reader.report([...at, 'groups', index], `group "${group}" already uses scorecard "${other}"`);
      else scorecardOf.set(group, name);
    });
    const versions = new Set<string>();
    card.versions.forEach((v, index) => {
      const where = [...at, 'versions', index];
      if (versions.has(v.version)) reader.report([...where, 'version'], `duplicate version "${v.version}"`);
      versions.add(v.version);
      const previous = card.versions[index - 1];
      if (previous && v.effectiveFrom <= previous.effectiveFrom) {
        reader.report([...where, 'effectiveFrom'], `must be after the previous version's effectiveFrom ${previous.effectiveFrom}`);
      }
      const codes = new Set<string>();
      v.items.forEach((i, itemIndex) => {
        if (codes.has(i.code)) reader.report([...where, 'items', itemIndex, 'code'], `duplicate item "${i.code}"`);
        codes.add(i.code);
      });
    });
    const first = card.versions[0];
    if (first && policy.effectiveFrom !== undefined && first.effectiveFrom > policy.effectiveFrom) {
      reader.report(
        [...at, 'versions', 0, 'effectiveFrom'],
        `must be on or before the policy's effectiveFrom ${policy.effectiveFrom}, or the policy's first days have no scorecard`,
      );
    }
  }
  for (const name of known) {
    if (!scorecardOf.has(name)) reader.report([...path, 'scorecards'], `no scorecard for group "${name}" (every group needs one)`);
  }
}

/** Validates a `qa` section already parsed from YAML or JSON, with its ties to the policy's groups. */
export function readQaRules(data: unknown, policy: QaCatalog, path: readonly PathSegment[] = ['qa']): QaRules {
  const reader = new Reader();
  const rules = qaRulesField(reader, data, path);
  if (rules !== undefined) checkQaRules(reader, rules, policy, path);
  reader.throwIfProblems('QA rules are invalid');
  if (rules === undefined) throw new ValidationError([{ path: path.join('.'), message: 'is invalid' }], 'QA rules are invalid');
  return rules;
}

/** Parses the text of a standalone `qa` section (such as default-qa.yaml); paths are relative to the section. */
export function parseQaRules(source: string, policy: QaCatalog): QaRules {
  return readQaRules(parsePolicyYamlData(source, 'QA rules are not valid YAML'), policy, []);
}

function rulesOfGroup(qa: QaRules, group: string): QaGroupRules {
  const rules = qa.groups[group];
  if (!rules) throw new RangeError(`the policy has no QA rules for group "${group}"`);
  return rules;
}

/** R-QA-1: how many of an agent's conversations are drawn each day in this group. */
export function sampleSizeFor(qa: QaRules, group: string): number {
  return rulesOfGroup(qa, group).sampleSize;
}

/** R-QA-3: who inspects this group's conversations or efficiency metrics. */
export function inspectorFor(qa: QaRules, group: string, kind: InspectionKind): QaInspector {
  return rulesOfGroup(qa, group).inspectors[kind];
}

export interface ScorecardInForce {
  code: string;
  name: Bilingual;
  version: ScorecardVersion;
}

/** The scorecard version that inspects this group's conversations of the given day. */
export function scorecardFor(qa: QaRules, group: string, day: string): ScorecardInForce {
  for (const [cardCode, card] of Object.entries(qa.scorecards)) {
    if (!card.groups.includes(group)) continue;
    let inForce: ScorecardVersion | undefined;
    for (const v of card.versions) if (v.effectiveFrom <= day) inForce = v;
    if (!inForce) throw new RangeError(`scorecard "${cardCode}" has no version in force on ${day}`);
    return { code: cardCode, name: card.name, version: inForce };
  }
  throw new RangeError(`no scorecard inspects group "${group}"`);
}
