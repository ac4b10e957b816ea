/**
 * A city's social-insurance and housing-fund data (SPEC §11): dated bases, rates and rounding
 * rules, each value with its source and confidence. Read from YAML by `parseCityRates`;
 * resolved for one month by `cityMonth`.
 */
import type { Decimal } from '../money/decimal.js';
import { type Fen, formatYuan } from '../money/fen.js';
import type { Month } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import { ValidationError } from '../validate/problems.js';
import { type Field, object, oneOf, Reader, text } from '../validate/schema.js';
import { rate, yuanAmount } from './fields.js';
import { percent } from './explain.js';
import { series, type Series, type UsedValue, usedValue, valueInMonth } from './series.js';
import { parseYamlData } from './yaml.js';

export const ROUNDING_UNITS = ['fen', 'jiao', 'yuan'] as const;
export type RoundingUnit = (typeof ROUNDING_UNITS)[number];
/** half-up: 四舍五入; up: always up to the next unit (见分进角 and the like). */
export const ROUNDING_MODES = ['half-up', 'up'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];

export interface RoundingRule {
  to: RoundingUnit;
  mode: RoundingMode;
}

export interface BaseBounds {
  floor: Series<Fen>;
  cap: Series<Fen>;
}

export interface SidedRates {
  employee: Series<Decimal>;
  employer: Series<Decimal>;
}

export interface RateRange {
  min: Decimal;
  max: Decimal;
}

export interface CityRates {
  city: string;
  name: Bilingual;
  bases: { socialInsurance: BaseBounds; housingFund: BaseBounds };
  rates: {
    pension: SidedRates;
    medical: SidedRates & { employeeFixed?: Series<Fen> };
    unemployment: SidedRates;
    workInjury: { employer: Series<Decimal> };
    housingFund: { rate: Series<Decimal>; range: Series<RateRange> };
  };
  rounding: { socialInsurance: Series<RoundingRule>; housingFund: Series<RoundingRule> };
}

const CITY_CODE = /^[a-z][a-z0-9_]*$/;

const bounds = object({ floor: series(yuanAmount()), cap: series(yuanAmount()) });
const sided = object({ employee: series(rate()), employer: series(rate()) });
const roundingRule = object({ to: oneOf(ROUNDING_UNITS), mode: oneOf(ROUNDING_MODES) });

const cityShape = object({
  city: text({ pattern: CITY_CODE, patternHint: 'a city code of lowercase letters, digits and _' }),
  name: object({ zh: text(), en: text() }),
  bases: object({ socialInsurance: bounds, housingFund: bounds }),
  rates: object({
    pension: sided,
    medical: object(
      { employee: series(rate()), employer: series(rate()), employeeFixed: series(yuanAmount()) },
      { optional: ['employeeFixed'] },
    ),
    unemployment: sided,
    workInjury: object({ employer: series(rate()) }),
    housingFund: object({ rate: series(rate()), range: series(object({ min: rate(), max: rate() })) }),
  }),
  rounding: object({ socialInsurance: series(roundingRule), housingFund: series(roundingRule) }),
}) as Field<CityRates>;

/** Floors not above caps and default rates within their range, wherever the periods coincide. */
function checkConsistency(reader: Reader, rates: CityRates): void {
  for (const kind of ['socialInsurance', 'housingFund'] as const) {
    const { floor, cap } = rates.bases[kind];
    floor.forEach((entry, index) => {
      const match = cap.find((c) => c.effectiveFrom === entry.effectiveFrom);
      if (entry.value !== null && match?.value != null && entry.value > match.value) {
        reader.report(['bases', kind, 'floor', index, 'value'], `must not be above the cap ${formatYuan(match.value)} of the same period`);
      }
    });
  }
  const hf = rates.rates.housingFund;
  hf.range.forEach((entry, index) => {
    if (entry.value !== null && entry.value.min.greaterThan(entry.value.max)) {
      reader.report(['rates', 'housingFund', 'range', index, 'value', 'min'], 'must not be above max');
    }
  });
  hf.rate.forEach((entry, index) => {
    const range = hf.range.find(
      (r) => r.effectiveFrom <= entry.effectiveFrom && (r.effectiveTo === undefined || entry.effectiveFrom <= r.effectiveTo),
    );
    if (
      entry.value !== null &&
      range?.value != null &&
      (entry.value.lessThan(range.value.min) || entry.value.greaterThan(range.value.max))
    ) {
      reader.report(
        ['rates', 'housingFund', 'rate', index, 'value'],
        `must be within the range ${percent(range.value.min)}–${percent(range.value.max)} in force then`,
      );
    }
  });
}

/** Validates city data already parsed from YAML or JSON; throws ValidationError listing every problem. */
export function readCityRates(data: unknown): CityRates {
  const reader = new Reader();
  const rates = cityShape(reader, data, []);
  if (rates !== undefined) checkConsistency(reader, rates);
  reader.throwIfProblems('city contribution data is invalid');
  if (rates === undefined) throw new ValidationError([{ path: '', message: 'is invalid' }], 'city contribution data is invalid');
  return rates;
}

/** Parses one city's YAML data file. */
export function parseCityRates(source: string): CityRates {
  return readCityRates(parseYamlData(source, 'city contribution data is not valid YAML'));
}

/** Everything one month's contributions need, resolved from the dated data. */
export interface CityMonth {
  city: string;
  name: Bilingual;
  month: Month;
  socialInsurance: { floor: Fen; cap: Fen };
  housingFund: { floor: Fen; cap: Fen; rate: Decimal; rateFrom: 'city' | 'input'; range: RateRange };
  pension: { employee: Decimal; employer: Decimal };
  medical: { employee: Decimal; employer: Decimal; employeeFixed: Fen | null };
  unemployment: { employee: Decimal; employer: Decimal };
  /** `input` when the employer's own rate replaced the city's class I default. */
  workInjury: { employer: Decimal; from: 'city' | 'input' };
  rounding: { socialInsurance: RoundingRule; housingFund: RoundingRule };
  used: UsedValue[];
}

export type CityMonthLookup = { found: true; month: CityMonth } | { found: false; missing: string[] };

export interface CityMonthOptions {
  /** The employer's own housing-fund rate (each side); the city's default is then not needed. */
  housingFundRate?: Decimal;
  /** The employer's own work-injury rate (class and floating rate); the city's default is then not needed. */
  workInjuryRate?: Decimal;
}

const showRate = (value: Decimal) => percent(value);
const showRange = (value: RateRange) => `${percent(value.min)}–${percent(value.max)}`;
const showRounding = (value: RoundingRule) => `${value.to} ${value.mode}`;

// A city's values for a month are the same for everyone paid there: without options of the
// person's own, a month is looked up once per city (a run of 100,000 looks up a few dozen).
const lookedUp = new WeakMap<CityRates, Map<Month, CityMonthLookup>>();

/** Resolves every value for the month; lists each missing or unknown value with the reason. The result is shared: read it, never change it. */
export function cityMonth(rates: CityRates, month: Month, options: CityMonthOptions = {}): CityMonthLookup {
  if (options.housingFundRate !== undefined || options.workInjuryRate !== undefined) return lookUpCityMonth(rates, month, options);
  let months = lookedUp.get(rates);
  if (!months) lookedUp.set(rates, (months = new Map()));
  let lookup = months.get(month);
  if (!lookup) months.set(month, (lookup = lookUpCityMonth(rates, month, {})));
  return lookup;
}

function lookUpCityMonth(rates: CityRates, month: Month, options: CityMonthOptions): CityMonthLookup {
  const used: UsedValue[] = [];
  const missing: string[] = [];
  function take<T>(parameter: string, entries: Series<T>, show: (value: T) => string): T | undefined {
    const lookup = valueInMonth(entries, month);
    if (!lookup.found) {
      missing.push(`${parameter}: ${lookup.reason}`);
      return undefined;
    }
    used.push(usedValue(parameter, lookup.entry, show(lookup.value)));
    return lookup.value;
  }
  const r = rates.rates;
  const b = rates.bases;
  const siFloor = take('bases.socialInsurance.floor', b.socialInsurance.floor, formatYuan);
  const siCap = take('bases.socialInsurance.cap', b.socialInsurance.cap, formatYuan);
  const hfFloor = take('bases.housingFund.floor', b.housingFund.floor, formatYuan);
  const hfCap = take('bases.housingFund.cap', b.housingFund.cap, formatYuan);
  const pensionEmployee = take('rates.pension.employee', r.pension.employee, showRate);
  const pensionEmployer = take('rates.pension.employer', r.pension.employer, showRate);
  const medicalEmployee = take('rates.medical.employee', r.medical.employee, showRate);
  const medicalEmployer = take('rates.medical.employer', r.medical.employer, showRate);
  const medicalFixed = r.medical.employeeFixed ? take('rates.medical.employeeFixed', r.medical.employeeFixed, formatYuan) : null;
  const unemploymentEmployee = take('rates.unemployment.employee', r.unemployment.employee, showRate);
  const unemploymentEmployer = take('rates.unemployment.employer', r.unemployment.employer, showRate);
  const workInjury = options.workInjuryRate ?? take('rates.workInjury.employer', r.workInjury.employer, showRate);
  const hfRate = options.housingFundRate ?? take('rates.housingFund.rate', r.housingFund.rate, showRate);
  const hfRange = take('rates.housingFund.range', r.housingFund.range, showRange);
  const siRounding = take('rounding.socialInsurance', rates.rounding.socialInsurance, showRounding);
  const hfRounding = take('rounding.housingFund', rates.rounding.housingFund, showRounding);
  if (
    siFloor === undefined ||
    siCap === undefined ||
    hfFloor === undefined ||
    hfCap === undefined ||
    pensionEmployee === undefined ||
    pensionEmployer === undefined ||
    medicalEmployee === undefined ||
    medicalEmployer === undefined ||
    medicalFixed === undefined ||
    unemploymentEmployee === undefined ||
    unemploymentEmployer === undefined ||
    workInjury === undefined ||
    hfRate === undefined ||
    hfRange === undefined ||
    siRounding === undefined ||
    hfRounding === undefined
  ) {
    return { found: false, missing };
  }
  return {
    found: true,
    month: {
      city: rates.city,
      name: rates.name,
      month,
      socialInsurance: { floor: siFloor, cap: siCap },
      housingFund: { floor: hfFloor, cap: hfCap, rate: hfRate, rateFrom: options.housingFundRate ? 'input' : 'city', range: hfRange },
      pension: { employee: pensionEmployee, employer: pensionEmployer },
      medical: { employee: medicalEmployee, employer: medicalEmployer, employeeFixed: medicalFixed },
      unemployment: { employee: unemploymentEmployee, employer: unemploymentEmployer },
      workInjury: { employer: workInjury, from: options.workInjuryRate ? 'input' : 'city' },
      rounding: { socialInsurance: siRounding, housingFund: hfRounding },
      used,
    },
  };
}
