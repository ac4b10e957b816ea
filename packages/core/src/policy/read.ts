import { LineCounter, parseDocument } from 'yaml';
import { checkLevelRules, levelRulesField } from '../levels/policy.js';
import { checkQaRules, qaRulesField } from '../qa/policy.js';
import { checkPromotionRules, promotionRulesField } from '../workflow/promotion-policy.js';
import { Decimal, formatDecimal } from '../money/decimal.js';
import { parseDate, type IsoDate } from '../period/period.js';
import { ValidationError } from '../validate/problems.js';
import { boolean, decimal, type Field, list, nonNegative, object, oneOf, Reader, record, text } from '../validate/schema.js';
import { BONUS_PERIODS, KPI_ACTUALS, type Band, type BonusTier, type Policy } from './model.js';

const CODE = /^[a-z][a-zA-Z0-9_]*$/;
const code = (): Field<string> => text({ pattern: CODE, patternHint: 'a code of lowercase letters, digits and _' });

const bilingual = object({ zh: text(), en: text() });

const isoDate: Field<IsoDate> = (reader, value, path) => {
  const raw = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (typeof raw !== 'string' || parseDate(raw) === undefined) {
    reader.report(path, `must be a date YYYY-MM-DD, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return raw as IsoDate;
};

const smallInteger =
  (min: number, max: number): Field<number> =>
  (reader, value, path) => {
    const parsed = decimal({ min, max, integer: true })(reader, value, path);
    return parsed?.toNumber();
  };

const level = object({ code: code(), name: bilingual, basePay: nonNegative(), levelBonus: decimal() }, { optional: ['levelBonus'] });

const track = object({ name: bilingual, levels: list(level, { nonEmpty: true }) });

const band = object(
  {
    upTo: nonNegative(),
    below: nonNegative(),
    coefficient: nonNegative(),
    forfeit: boolean(),
    grade: code(),
  },
  { optional: ['upTo', 'below', 'coefficient', 'forfeit'] },
);

const group = object(
  { name: bilingual, scheme: oneOf(['score', 'sales'] as const), track: code(), bands: code() },
  { optional: ['bands'] },
);

const leaveType = object(
  { name: bilingual, payRate: decimal({ min: 0, max: 1 }), keepsFullAttendance: boolean() },
  { optional: ['keepsFullAttendance'] },
);

const attendance = object({
  paidDaysPerMonth: decimal({ min: 0, minExclusive: true }),
  hoursPerDay: decimal({ min: 0, minExclusive: true }),
  overtime: object({ workday: nonNegative(), restDay: nonNegative(), holiday: nonNegative() }),
  leave: record(leaveType, { keyPattern: CODE }),
});

const score = object({
  yuanPerPoint: nonNegative(),
  points: object({
    conversation: nonNegative(),
    ticket: nonNegative(),
    wrongTicket: nonNegative(),
    fullAttendance: nonNegative(),
    excellentCase: nonNegative(),
  }),
});

const kpi = object(
  {
    code: code(),
    name: bilingual,
    weight: decimal({ min: 0, max: 1 }),
    better: oneOf(['higher', 'lower'] as const),
    actual: oneOf(KPI_ACTUALS),
    target: decimal({ min: 0, minExclusive: true }),
  },
  { optional: ['target'] },
);

const bonusTier = object({ atLeast: nonNegative(), above: nonNegative(), rate: nonNegative() }, { optional: ['atLeast', 'above'] });

const sales = object({
  kpiCap: decimal({ min: 0, minExclusive: true }),
  kpiScoreDecimals: smallInteger(0, 10),
  coefficient: object({ min: nonNegative(), max: nonNegative() }),
  kpis: list(kpi, { nonEmpty: true }),
  bonuses: object({ month: list(bonusTier), quarter: list(bonusTier), year: list(bonusTier) }),
});

const allowance = object(
  {
    code: code(),
    name: bilingual,
    amount: nonNegative(),
    groups: list(code(), { nonEmpty: true }),
    levels: list(code(), { nonEmpty: true }),
    prorate: boolean(),
  },
  { optional: ['levels', 'prorate'] },
);

const commission = object({
  code: code(),
  name: bilingual,
  rate: decimal({ min: 0, max: 1 }),
  groups: list(code(), { nonEmpty: true }),
});

const policyShape = object(
  {
    policy: code(),
    version: text(),
    effectiveFrom: isoDate,
    name: bilingual,
    reference: text(),
    attendance,
    score,
    sales,
    tracks: record(track, { keyPattern: CODE }),
    bands: record(list(band, { nonEmpty: true }), { keyPattern: CODE }),
    grades: record(object({ name: bilingual, qualified: boolean() }), { keyPattern: CODE }),
    groups: record(group, { keyPattern: CODE }),
    allowances: list(allowance),
    commissions: list(commission),
    levels: levelRulesField,
    qa: qaRulesField,
    promotion: promotionRulesField,
  },
  { optional: ['reference', 'allowances', 'commissions', 'levels', 'qa', 'promotion'] },
);

type RawBand = { upTo?: Decimal; below?: Decimal; coefficient?: Decimal; forfeit?: boolean; grade: string };

function toBand(raw: RawBand): Band {
  const result: Band = { coefficient: raw.forfeit ? null : (raw.coefficient ?? null), grade: raw.grade };
  if (raw.upTo !== undefined) result.upTo = raw.upTo;
  if (raw.below !== undefined) result.below = raw.below;
  return result;
}

function boundOf(band: RawBand): Decimal | undefined {
  return band.upTo ?? band.below;
}

/** Checks the rules that tie parts of a policy together; every problem is reported. */
function checkConsistency(reader: Reader, policy: Omit<Policy, 'bands'> & { bands: Record<string, RawBand[]> }): void {
  for (const [name, bands] of Object.entries(policy.bands)) {
    bands.forEach((band, index) => {
      const path = ['bands', name, index];
      const isLast = index === bands.length - 1;
      if (band.upTo !== undefined && band.below !== undefined) {
        reader.report(path, 'give either upTo (≤) or below (<), not both');
      }
      if (!isLast && boundOf(band) === undefined) {
        reader.report(path, 'needs an upper bound (upTo or below); only the last band is open-ended');
      }
      if (isLast && boundOf(band) !== undefined) {
        reader.report([...path, band.upTo !== undefined ? 'upTo' : 'below'], 'the last band must be open-ended (no upper bound)');
      }
      if (band.forfeit === true && band.coefficient !== undefined) {
        reader.report([...path, 'coefficient'], 'a forfeit band has no coefficient');
      }
      if (band.forfeit !== true && band.coefficient === undefined) {
        reader.report(path, 'needs a coefficient, or forfeit: true');
      }
      if (!(band.grade in policy.grades)) {
        reader.report([...path, 'grade'], `unknown grade "${band.grade}" (grades: ${Object.keys(policy.grades).join(', ')})`);
      }
      const previous = bands[index - 1];
      const bound = boundOf(band);
      const previousBound = previous ? boundOf(previous) : undefined;
      if (previous && bound !== undefined && previousBound !== undefined) {
        const key = band.upTo !== undefined ? 'upTo' : 'below';
        const previousKey = previous.upTo !== undefined ? 'upTo' : 'below';
        // "below 50" then "upTo 50" is a band holding exactly 50; any other tie is empty.
        const touching = previousKey === 'below' && key === 'upTo' && bound.equals(previousBound);
        if (bound.lessThan(previousBound) || (bound.equals(previousBound) && !touching)) {
          reader.report([...path, key], `must be greater than bands.${name}[${index - 1}].${previousKey}`);
        }
      }
      const previousCoefficient = previous?.forfeit ? undefined : previous?.coefficient;
      if (previous?.forfeit && band.forfeit !== true) {
        reader.report(path, 'a band after a forfeit band must forfeit too (the coefficient never rises as deductions rise)');
      }
      if (previousCoefficient !== undefined && band.coefficient !== undefined && band.coefficient.greaterThan(previousCoefficient)) {
        reader.report(
          [...path, 'coefficient'],
          `must not be greater than bands.${name}[${index - 1}].coefficient (the coefficient never rises as deductions rise)`,
        );
      }
    });
  }

  for (const [name, track] of Object.entries(policy.tracks)) {
    const seen = new Set<string>();
    track.levels.forEach((level, index) => {
      if (seen.has(level.code)) reader.report(['tracks', name, 'levels', index, 'code'], `duplicate level "${level.code}"`);
      seen.add(level.code);
    });
  }

  for (const [name, group] of Object.entries(policy.groups)) {
    if (!(group.track in policy.tracks)) {
      reader.report(['groups', name, 'track'], `unknown track "${group.track}" (tracks: ${Object.keys(policy.tracks).join(', ')})`);
    }
    if (group.scheme === 'score' && group.bands === undefined) {
      reader.report(['groups', name, 'bands'], 'is required for the score scheme');
    }
    if (group.bands !== undefined && !(group.bands in policy.bands)) {
      reader.report(['groups', name, 'bands'], `unknown band table "${group.bands}" (tables: ${Object.keys(policy.bands).join(', ')})`);
    }
  }

  const kpiCodes = new Set<string>();
  let weightSum = new Decimal(0);
  policy.sales.kpis.forEach((kpi, index) => {
    const path = ['sales', 'kpis', index];
    if (kpiCodes.has(kpi.code)) reader.report([...path, 'code'], `duplicate KPI "${kpi.code}"`);
    kpiCodes.add(kpi.code);
    weightSum = weightSum.plus(kpi.weight);
    if (kpi.actual === 'monthSales' && kpi.target !== undefined) {
      reader.report([...path, 'target'], "the sales KPI uses each person's own monthly target; remove target");
    }
    if (kpi.actual !== 'monthSales' && kpi.target === undefined) {
      reader.report([...path, 'target'], 'is required for this KPI');
    }
  });
  if (!weightSum.equals(1)) {
    reader.report(['sales', 'kpis'], `weights must add up to 1, they add up to ${formatDecimal(weightSum)}`);
  }
  if (policy.sales.coefficient.max.lessThan(policy.sales.coefficient.min)) {
    reader.report(['sales', 'coefficient', 'max'], 'must not be less than sales.coefficient.min');
  }
  for (const period of BONUS_PERIODS) {
    policy.sales.bonuses[period].forEach((tier, index) => {
      const path = ['sales', 'bonuses', period, index];
      const given = [tier.atLeast, tier.above].filter((bound) => bound !== undefined).length;
      if (given !== 1) reader.report(path, 'give exactly one of atLeast (≥) or above (>)');
      const previous = policy.sales.bonuses[period][index - 1];
      const bound = tier.atLeast ?? tier.above;
      const previousBound = previous ? (previous.atLeast ?? previous.above) : undefined;
      if (bound !== undefined && previousBound !== undefined && bound.lessThan(previousBound)) {
        reader.report(
          [...path, tier.atLeast !== undefined ? 'atLeast' : 'above'],
          `must not be less than the bound of sales.bonuses.${period}[${index - 1}]`,
        );
      }
    });
  }

  const checkGroups = (groups: string[], path: (string | number)[], scheme?: 'sales') => {
    groups.forEach((name, index) => {
      const found = policy.groups[name];
      if (!found) reader.report([...path, index], `unknown group "${name}"`);
      else if (scheme && found.scheme !== scheme)
        reader.report([...path, index], `group "${name}" has no sales figures (scheme ${found.scheme})`);
    });
  };
  policy.allowances.forEach((allowance, index) => {
    checkGroups(allowance.groups, ['allowances', index, 'groups']);
    allowance.levels?.forEach((levelCode, levelIndex) => {
      const known = allowance.groups.some((name) => {
        const trackName = policy.groups[name]?.track;
        return trackName !== undefined && policy.tracks[trackName]?.levels.some((l) => l.code === levelCode);
      });
      if (!known)
        reader.report(['allowances', index, 'levels', levelIndex], `level "${levelCode}" is in none of the allowance's groups' tracks`);
    });
  });
  policy.commissions.forEach((commission, index) => checkGroups(commission.groups, ['commissions', index, 'groups'], 'sales'));
}

export interface ParsedPolicy {
  policy: Policy;
  /** The document as plain data, for diffs. */
  data: unknown;
}

/** Parses and validates one policy version from YAML (or JSON) text; throws ValidationError listing every problem. */
export function parsePolicy(source: string): ParsedPolicy {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (document.errors.length > 0) {
    throw new ValidationError(
      document.errors.map((error) => {
        const where = lineCounter.linePos(error.pos[0]);
        return { path: where ? `line ${where.line}, column ${where.col}` : '', message: error.message.split('\n')[0] ?? error.message };
      }),
      'policy is not valid YAML',
    );
  }
  const data: unknown = document.toJS();
  return { policy: readPolicy(data), data };
}

/** Validates policy data already parsed from YAML or JSON. */
export function readPolicy(data: unknown): Policy {
  const reader = new Reader();
  const raw = policyShape(reader, data, []);
  if (raw !== undefined) {
    const withDefaults = {
      ...raw,
      allowances: (raw.allowances ?? []).map((allowance) => ({ ...allowance, prorate: allowance.prorate ?? false })),
      commissions: raw.commissions ?? [],
    };
    checkConsistency(reader, withDefaults);
    if (raw.levels !== undefined) checkLevelRules(reader, raw.levels, raw, ['levels']);
    if (raw.qa !== undefined) checkQaRules(reader, raw.qa, raw, ['qa']);
    if (raw.promotion !== undefined) checkPromotionRules(reader, raw.promotion, ['promotion']);
    if (reader.problems.length === 0) {
      const bands: Record<string, Band[]> = {};
      for (const [name, list] of Object.entries(raw.bands)) bands[name] = list.map(toBand);
      const leave = Object.fromEntries(
        Object.entries(raw.attendance.leave).map(([key, type]) => [
          key,
          { ...type, keepsFullAttendance: type.keepsFullAttendance ?? false },
        ]),
      );
      const tracks = Object.fromEntries(
        Object.entries(raw.tracks).map(([key, t]) => [
          key,
          { ...t, levels: t.levels.map((l) => ({ ...l, levelBonus: l.levelBonus ?? new Decimal(0) })) },
        ]),
      );
      const policy: Policy = {
        ...withDefaults,
        attendance: { ...raw.attendance, leave },
        sales: { ...raw.sales, bonuses: raw.sales.bonuses as Record<(typeof BONUS_PERIODS)[number], BonusTier[]> },
        tracks,
        bands,
      };
      if (raw.reference === undefined) delete policy.reference;
      return policy;
    }
  }
  throw new ValidationError(reader.problems, 'policy is invalid');
}
