/**
 * The `levels` section of a policy (R-LVL-4…6, R-EXT-1, R-EXT-3): what a quarter must show to
 * reach each level of each track, the probation, the floor of demotion and the pay effect of a
 * level change. Every value is data; see default-levels.yaml for the shipped sample.
 */
import { LineCounter, parseDocument } from 'yaml';
import { type Decimal, formatDecimal } from '../money/decimal.js';
import type { Bilingual, Group, Track } from '../policy/model.js';
import type { PathSegment } from '../validate/problems.js';
import { ValidationError } from '../validate/problems.js';
import { count, decimal, type Field, list, nonNegative, object, oneOf, Reader, record, text } from '../validate/schema.js';

/** Where a tenure is counted from: the current level, the first day at the track's junior level, or the hire. */
export type TenureSince = 'levelSince' | 'juniorSince' | 'hiredOn';
export const TENURE_SINCE: readonly TenureSince[] = ['levelSince', 'juniorSince', 'hiredOn'];

export interface AtLeast {
  atLeast: Decimal;
}

export interface AtMost {
  atMost: Decimal;
}

/** Courses or certificates: at least a number of them, and/or every one of the listed codes. */
export interface CollectionRequirement {
  atLeast?: number;
  include?: string[];
}

/** What a quarter must show to reach a level (R-LVL-4); every indicator is optional. */
export interface Requirement {
  tenure?: { months: number; since: TenureSince };
  /** Mean of the three monthly deductions (R-QA-4). */
  deductions?: AtMost;
  /** Mean of the three monthly CSAT values, 0–1. */
  csat?: AtLeast;
  /** The quarter's knowledge test score, 0–100. */
  knowledgeTest?: AtLeast;
  /** Mean of the monthly complaint resolution rates, 0–1. */
  complaintResolutionRate?: AtLeast;
  /** Mean of the monthly average handle times, in seconds. */
  handleTime?: AtMost;
  trainingCourses?: CollectionRequirement;
  certificates?: CollectionRequirement;
  /** Weighted 360 score (R-EXT-1), 0–100. */
  review360?: AtLeast;
  /** Internal complaints on record; atMost 0 means "no internal complaint". */
  internalComplaints?: AtMost;
}

export type RequirementIndicator = keyof Requirement;

/** The order indicators are checked and explained in. */
export const REQUIREMENT_INDICATORS: readonly RequirementIndicator[] = [
  'tenure',
  'deductions',
  'csat',
  'knowledgeTest',
  'complaintResolutionRate',
  'handleTime',
  'trainingCourses',
  'certificates',
  'review360',
  'internalComplaints',
];

/** The indicators that are monthly figures; the quarter reads their mean. */
export const MONTHLY_INDICATORS = ['deductions', 'csat', 'complaintResolutionRate', 'handleTime'] as const;
export type MonthlyIndicator = (typeof MONTHLY_INDICATORS)[number];

/** The indicators a single month is judged on for the level held (R-LVL-5), besides the basic indicator. */
export const MONTH_HOLD_INDICATORS = ['deductions', 'csat'] as const;

/** R-LVL-6: pay follows the new level's definition (basePay, levelBonus), or a raise by levels gained. */
export type PayEffectMode = 'levelPay' | 'raise';

export interface LevelRaise {
  levels: number;
  rate: Decimal;
}

export interface TrackLevelRules {
  /** The probation level (the track's first) and its length in calendar months from hiredOn. */
  probation?: { level: string; months: number };
  /** The lowest level a demotion reaches; a person at or below it stays. */
  floor: string;
  payEffect: PayEffectMode;
  /** Per target level: what reaching it needs. Every level but the track's first has one. */
  requirements: Record<string, Requirement>;
}

export interface Review360Weights {
  self: Decimal;
  manager: Decimal;
  peers: Decimal;
}

export interface LevelRules {
  reference?: string;
  review360?: { weights: Review360Weights };
  raises: LevelRaise[];
  tracks: Record<string, TrackLevelRules>;
}

/** What the evaluation needs of the rest of the policy: the tracks' levels and which track each group follows. */
export interface LevelCatalog {
  tracks: Record<string, Track>;
  groups: Record<string, Pick<Group, 'track' | 'scheme'> & { name?: Bilingual }>;
}

const CODE = /^[a-z][a-zA-Z0-9_-]*$/;
const code = (): Field<string> =>
  text({ pattern: CODE, patternHint: 'a code of letters, digits, _ and -, starting with a lowercase letter' });

const wholeNumber =
  (min: number, max: number): Field<number> =>
  (reader, value, path) =>
    decimal({ min, max, integer: true })(reader, value, path)?.toNumber();

const rate = () => decimal({ min: 0, max: 1 });
const score = () => decimal({ min: 0, max: 100 });

const collection = object(
  { atLeast: wholeNumber(0, 1000), include: list(code(), { nonEmpty: true }) },
  { optional: ['atLeast', 'include'] },
);

const requirement = object(
  {
    tenure: object({ months: wholeNumber(0, 600), since: oneOf(TENURE_SINCE) }),
    deductions: object({ atMost: nonNegative() }),
    csat: object({ atLeast: rate() }),
    knowledgeTest: object({ atLeast: score() }),
    complaintResolutionRate: object({ atLeast: rate() }),
    handleTime: object({ atMost: nonNegative() }),
    trainingCourses: collection,
    certificates: collection,
    review360: object({ atLeast: score() }),
    internalComplaints: object({ atMost: count() }),
  },
  { optional: REQUIREMENT_INDICATORS },
);

const trackRules = object(
  {
    probation: object({ level: code(), months: wholeNumber(0, 60) }),
    floor: code(),
    payEffect: oneOf(['levelPay', 'raise'] as const),
    requirements: record(requirement, { keyPattern: CODE }),
  },
  { optional: ['probation'] },
);

const levelRulesShape = object(
  {
    reference: text(),
    review360: object({ weights: object({ self: rate(), manager: rate(), peers: rate() }) }),
    raises: list(object({ levels: wholeNumber(1, 20), rate: decimal({ min: 0, max: 10 }) })),
    tracks: record(trackRules, { keyPattern: CODE }),
  },
  { optional: ['reference', 'review360', 'raises'] },
);

/** The `levels` section as a schema field: plug it into the policy reader under `levels`. */
export const levelRulesField: Field<LevelRules> = (reader, value, path) => {
  const raw = levelRulesShape(reader, value, path);
  if (raw === undefined) return undefined;
  const tracks: Record<string, TrackLevelRules> = {};
  for (const [name, t] of Object.entries(raw.tracks)) {
    const requirements: Record<string, Requirement> = {};
    for (const [levelCode, r] of Object.entries(t.requirements)) requirements[levelCode] = r;
    tracks[name] = { ...t, requirements };
  }
  const result: LevelRules = { raises: raw.raises ?? [], tracks };
  if (raw.reference !== undefined) result.reference = raw.reference;
  if (raw.review360 !== undefined) result.review360 = raw.review360;
  return result;
};

function levelCodes(track: Track): string[] {
  return track.levels.map((level) => level.code);
}

/**
 * Checks the rules that tie the `levels` section to the tracks and groups of the policy; every
 * problem is reported under `path` (the section's own path, e.g. ['levels']).
 */
export function checkLevelRules(reader: Reader, rules: LevelRules, catalog: LevelCatalog, path: readonly PathSegment[] = ['levels']): void {
  for (const name of Object.keys(catalog.tracks)) {
    if (!(name in rules.tracks))
      reader.report([...path, 'tracks'], `no level rules for track "${name}" (every track of the policy needs them)`);
  }
  let usesReview360 = false;
  let usesRaise = false;
  for (const [name, t] of Object.entries(rules.tracks)) {
    const at = [...path, 'tracks', name];
    const track = catalog.tracks[name];
    if (!track) {
      reader.report(at, `unknown track "${name}" (tracks: ${Object.keys(catalog.tracks).join(', ')})`);
      continue;
    }
    const codes = levelCodes(track);
    const first = codes[0];
    if (t.probation !== undefined && t.probation.level !== first) {
      reader.report([...at, 'probation', 'level'], `must be the track's first level "${first ?? ''}", got "${t.probation.level}"`);
    }
    const floorIndex = codes.indexOf(t.floor);
    if (floorIndex < 0) reader.report([...at, 'floor'], `"${t.floor}" is not a level of the track (${codes.join(', ')})`);
    else if (t.probation !== undefined && floorIndex === 0) {
      reader.report(
        [...at, 'floor'],
        `must be above the probation level "${t.probation.level}" (a demotion never returns anyone to probation)`,
      );
    }
    if (t.payEffect === 'raise') usesRaise = true;
    for (const [levelCode, requirement] of Object.entries(t.requirements)) {
      const where = [...at, 'requirements', levelCode];
      const index = codes.indexOf(levelCode);
      if (index < 0) reader.report(where, `"${levelCode}" is not a level of the track (${codes.join(', ')})`);
      else if (index === 0) reader.report(where, `"${levelCode}" is the track's first level, which nobody is promoted to; remove it`);
      for (const key of ['trainingCourses', 'certificates'] as const) {
        const c = requirement[key];
        if (c !== undefined && c.atLeast === undefined && c.include === undefined)
          reader.report([...where, key], 'give atLeast, include, or both');
      }
      if (requirement.review360 !== undefined) usesReview360 = true;
    }
    codes.slice(1).forEach((levelCode) => {
      if (!(levelCode in t.requirements))
        reader.report([...at, 'requirements'], `no requirements for level "${levelCode}" (every level above the first needs them)`);
    });
  }
  if (usesReview360 && rules.review360 === undefined) {
    reader.report(
      [...path, 'review360'],
      'is required: a requirement uses the 360 score, which needs the weights of self, manager and peers',
    );
  }
  if (rules.review360 !== undefined) {
    const w = rules.review360.weights;
    const sum = w.self.plus(w.manager).plus(w.peers);
    if (!sum.equals(1)) reader.report([...path, 'review360', 'weights'], `must add up to 1, they add up to ${formatDecimal(sum)}`);
  }
  const seen = new Set<number>();
  rules.raises.forEach((raise, index) => {
    if (seen.has(raise.levels)) reader.report([...path, 'raises', index, 'levels'], `duplicate raise for ${raise.levels} level(s)`);
    seen.add(raise.levels);
  });
  if (usesRaise && !seen.has(1)) {
    reader.report(
      [...path, 'raises'],
      'needs a raise for 1 level: a track has payEffect raise and the quarterly evaluation moves one level',
    );
  }
}

/** Validates a `levels` section already parsed from YAML or JSON, with its ties to the policy's tracks. */
export function readLevelRules(data: unknown, catalog: LevelCatalog, path: readonly PathSegment[] = ['levels']): LevelRules {
  const reader = new Reader();
  const rules = levelRulesField(reader, data, path);
  if (rules !== undefined) checkLevelRules(reader, rules, catalog, path);
  reader.throwIfProblems('level rules are invalid');
  if (rules === undefined) throw new ValidationError([{ path: path.join('.'), message: 'is invalid' }], 'level rules are invalid');
  return rules;
}

/** Parses YAML (or JSON) text into plain data, reporting syntax errors by line and column. */
export function parsePolicyYamlData(source: string, summary = 'not valid YAML'): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (document.errors.length > 0) {
    throw new ValidationError(
      document.errors.map((error) => {
        const where = lineCounter.linePos(error.pos[0]);
        return { path: where ? `line ${where.line}, column ${where.col}` : '', message: error.message.split('\n')[0] ?? error.message };
      }),
      summary,
    );
  }
  return document.toJS() as unknown;
}

/** Parses the text of a standalone `levels` section (such as default-levels.yaml); paths are relative to the section. */
export function parseLevelRules(source: string, catalog: LevelCatalog): LevelRules {
  return readLevelRules(parsePolicyYamlData(source, 'level rules are not valid YAML'), catalog, []);
}
