/**
 * The `promotion` section of a policy (R-APP, R-POS-1): what an application needs to be accepted
 * (R-APP-1), the panel's minimum scores and the length of the public notice (R-APP-2). Every value
 * is data; see default-promotion.yaml for the shipped sample.
 */
import type { Decimal } from '../money/decimal.js';
import type { Bilingual } from '../policy/model.js';
import { parsePolicyYamlData } from '../levels/policy.js';
import { type PathSegment, ValidationError } from '../validate/problems.js';
import { count, decimal, type Field, list, nonNegative, object, oneOf, Reader, text } from '../validate/schema.js';

/** Where the time in post is counted from: the current level, the current position, or the hire. */
export const PROMOTION_TENURE_SINCE = ['levelSince', 'positionSince', 'hiredOn'] as const;
export type PromotionTenureSince = (typeof PROMOTION_TENURE_SINCE)[number];

/** R-APP-1: every indicator is optional; absent means not required. */
export interface PromotionRequirement {
  tenure?: { months: number; since: PromotionTenureSince };
  /** Mean CSAT over the performance period, 0–1. */
  csat?: { atLeast: Decimal };
  /** Complaint resolution rate over the period, 0–1. */
  complaintResolutionRate?: { atLeast: Decimal };
  /** Average handle time over the period, seconds. */
  handleTime?: { atMost: Decimal };
  /** Internal test score, 0–100. */
  testScore?: { atLeast: Decimal };
  /** Internal complaints on record; atMost 0 = no internal complaint. */
  internalComplaints?: { atMost: number };
}

export const PROMOTION_INDICATORS = ['tenure', 'csat', 'complaintResolutionRate', 'handleTime', 'testScore', 'internalComplaints'] as const;
export type PromotionIndicator = (typeof PROMOTION_INDICATORS)[number];

export interface PositionRule {
  code: string;
  name: Bilingual;
  requires: PromotionRequirement;
}

export interface PromotionRules {
  reference?: string;
  /** R-APP-2 (sample 5): working days of the public notice, statutory calendar. */
  noticeWorkingDays: number;
  /** The months before submission whose figures the service averages for the thresholds. */
  performancePeriodMonths: number;
  /** A level jump outside the quarterly evaluation (sample: ≥ 1 year in level). */
  level: PromotionRequirement;
  /** The management track in order (R-POS-1): each position is applied for from the one before it. */
  positions: PositionRule[];
  /** R-APP-2: the panel's mean scores an approval needs, 0–100. */
  panel: { interview: { atLeast: Decimal }; caseAnalysis: { atLeast: Decimal } };
}

const CODE = /^[a-z][a-zA-Z0-9_-]*$/;
const code = (): Field<string> =>
  text({ pattern: CODE, patternHint: 'a code of letters, digits, _ and -, starting with a lowercase letter' });
const bilingual = object({ zh: text(), en: text() });
const wholeNumber =
  (min: number, max: number): Field<number> =>
  (reader, value, path) =>
    decimal({ min, max, integer: true })(reader, value, path)?.toNumber();
const rate = () => decimal({ min: 0, max: 1 });
const score = () => decimal({ min: 0, max: 100 });

const requirement = object(
  {
    tenure: object({ months: wholeNumber(0, 600), since: oneOf(PROMOTION_TENURE_SINCE) }),
    csat: object({ atLeast: rate() }),
    complaintResolutionRate: object({ atLeast: rate() }),
    handleTime: object({ atMost: nonNegative() }),
    testScore: object({ atLeast: score() }),
    internalComplaints: object({ atMost: (reader, value, path) => count()(reader, value, path)?.toNumber() }),
  },
  { optional: PROMOTION_INDICATORS },
);

const shape = object(
  {
    reference: text(),
    noticeWorkingDays: wholeNumber(0, 60),
    performancePeriodMonths: wholeNumber(1, 60),
    level: requirement,
    positions: list(object({ code: code(), name: bilingual, requires: requirement }), { nonEmpty: true }),
    panel: object({ interview: object({ atLeast: score() }), caseAnalysis: object({ atLeast: score() }) }),
  },
  { optional: ['reference'] },
);

/** The `promotion` section as a schema field: plug it into the policy reader under `promotion`. */
export const promotionRulesField: Field<PromotionRules> = (reader, value, path) => {
  const raw = shape(reader, value, path);
  if (raw === undefined) return undefined;
  const rules: PromotionRules = {
    noticeWorkingDays: raw.noticeWorkingDays,
    performancePeriodMonths: raw.performancePeriodMonths,
    level: raw.level,
    positions: raw.positions,
    panel: raw.panel,
  };
  if (raw.reference !== undefined) rules.reference = raw.reference;
  return rules;
};

/** Checks what ties the section together; every problem is reported under `path`. */
export function checkPromotionRules(reader: Reader, rules: PromotionRules, path: readonly PathSegment[] = ['promotion']): void {
  if (rules.level.tenure?.since === 'positionSince') {
    reader.report([...path, 'level', 'tenure', 'since'], 'a level jump is counted from levelSince or hiredOn, not positionSince');
  }
  const seen = new Set<string>();
  rules.positions.forEach((position, index) => {
    if (seen.has(position.code)) reader.report([...path, 'positions', index, 'code'], `duplicate position "${position.code}"`);
    seen.add(position.code);
    if (index === 0 && position.requires.tenure?.since === 'positionSince') {
      reader.report(
        [...path, 'positions', 0, 'requires', 'tenure', 'since'],
        'an applicant for the first position holds no position yet: count from levelSince or hiredOn',
      );
    }
  });
}

export function readPromotionRules(data: unknown, path: readonly PathSegment[] = ['promotion']): PromotionRules {
  const reader = new Reader();
  const rules = promotionRulesField(reader, data, path);
  if (rules !== undefined) checkPromotionRules(reader, rules, path);
  reader.throwIfProblems('promotion rules are invalid');
  if (rules === undefined) throw new ValidationError([{ path: path.join('.'), message: 'is invalid' }], 'promotion rules are invalid');
  return rules;
}

/** Parses the text of a standalone `promotion` section (such as default-promotion.yaml); paths are relative to it. */
export function parsePromotionRules(source: string): PromotionRules {
  return readPromotionRules(parsePolicyYamlData(source, 'promotion rules are not valid YAML'), []);
}
