/**
 * The national individual-income-tax tables as dated data: the monthly basic deduction, the
 * cumulative withholding table (预扣率表一) and the monthly-converted table of the separately
 * taxed annual one-time bonus, with its validity dates.
 */
import { Decimal } from '../money/decimal.js';
import { type Fen, formatYuan } from '../money/fen.js';
import type { Month } from '../period/period.js';
import { type PathSegment, ValidationError } from '../validate/problems.js';
import { decimal, type Field, nonNegative, object, Reader } from '../validate/schema.js';
import { figure, percent } from './explain.js';
import { rate, yuanAmount } from './fields.js';
import { series, type Series, type UsedValue, usedValue, valueInMonth } from './series.js';
import { parseYamlData } from './yaml.js';

/** One bracket: amounts up to `upTo` (inclusive; null for the open top bracket) pay `rate` less `quickDeduction`. */
export interface Bracket {
  upTo: Decimal | null;
  rate: Decimal;
  quickDeduction: Decimal;
}

export interface TaxTables {
  /** Per month of employment in the tax year. */
  basicDeduction: Series<Fen>;
  cumulative: Series<Bracket[]>;
  annualBonus: Series<Bracket[]>;
}

const rawBracket = object(
  { upTo: decimal({ min: 0, minExclusive: true }), rate: rate(), quickDeduction: nonNegative() },
  { optional: ['upTo'] },
);

/** A bracket table: bounds rising, only the last open, rates rising, each quick deduction continuous with the one before. */
const brackets: Field<Bracket[]> = (reader, value, path) => {
  if (!Array.isArray(value) || value.length === 0) {
    reader.report(path, 'must be a non-empty list of brackets { upTo?, rate, quickDeduction }');
    return undefined;
  }
  const result: Bracket[] = [];
  let ok = true;
  value.forEach((item, index) => {
    const at: PathSegment[] = [...path, index];
    const parsed = rawBracket(reader, item, at);
    if (parsed === undefined) {
      ok = false;
      return;
    }
    const bracket: Bracket = { upTo: parsed.upTo ?? null, rate: parsed.rate, quickDeduction: parsed.quickDeduction };
    const isLast = index === value.length - 1;
    if (isLast && bracket.upTo !== null) {
      reader.report([...at, 'upTo'], 'the last bracket must be open-ended (no upTo)');
      ok = false;
    }
    if (!isLast && bracket.upTo === null) {
      reader.report(at, 'needs upTo; only the last bracket is open-ended');
      ok = false;
    }
    const previous = result[result.length - 1];
    if (previous === undefined) {
      if (!bracket.quickDeduction.isZero()) {
        reader.report([...at, 'quickDeduction'], 'must be 0 in the first bracket');
        ok = false;
      }
    } else {
      if (previous.upTo !== null && bracket.upTo !== null && !bracket.upTo.greaterThan(previous.upTo)) {
        reader.report([...at, 'upTo'], `must be greater than [${index - 1}].upTo ${figure(previous.upTo)}`);
        ok = false;
      }
      if (!bracket.rate.greaterThan(previous.rate)) {
        reader.report([...at, 'rate'], `must be greater than [${index - 1}].rate ${percent(previous.rate)}`);
        ok = false;
      }
      if (previous.upTo !== null) {
        const expected = previous.quickDeduction.plus(previous.upTo.times(bracket.rate.minus(previous.rate)));
        if (!expected.equals(bracket.quickDeduction)) {
          reader.report(
            [...at, 'quickDeduction'],
            `must be ${figure(expected)} = ${figure(previous.quickDeduction)} + ${figure(previous.upTo)} × (${percent(bracket.rate)} − ${percent(previous.rate)}), got ${figure(bracket.quickDeduction)}`,
          );
          ok = false;
        }
      }
    }
    result.push(bracket);
  });
  return ok ? result : undefined;
};

const tablesShape = object({
  basicDeduction: series(yuanAmount()),
  cumulative: series(brackets),
  annualBonus: series(brackets),
}) as Field<TaxTables>;

export function readTaxTables(data: unknown): TaxTables {
  const reader = new Reader();
  const tables = tablesShape(reader, data, []);
  reader.throwIfProblems('tax tables are invalid');
  if (tables === undefined) throw new ValidationError([{ path: '', message: 'is invalid' }], 'tax tables are invalid');
  return tables;
}

export function parseTaxTables(source: string): TaxTables {
  return readTaxTables(parseYamlData(source, 'tax tables are not valid YAML'));
}

export interface TaxMonth {
  month: Month;
  basicDeduction: Fen;
  cumulative: Bracket[];
  /** null when the separate method is not available this month. */
  annualBonus: Bracket[] | null;
  /** Why annualBonus is null. */
  annualBonusUnavailable?: string;
  used: UsedValue[];
}

export type TaxMonthLookup = { found: true; month: TaxMonth } | { found: false; missing: string[] };

const showTable = (table: Bracket[]) => `${table.length} brackets, top rate ${percent(table[table.length - 1]?.rate ?? new Decimal(0))}`;

// The tables of a month are the same for everyone: looked up once per month.
const taxMonths = new WeakMap<TaxTables, Map<Month, TaxMonthLookup>>();

/** The month's tables (shared: read them, never change them). */
export function taxMonth(tables: TaxTables, month: Month): TaxMonthLookup {
  let months = taxMonths.get(tables);
  if (!months) taxMonths.set(tables, (months = new Map()));
  let lookup = months.get(month);
  if (!lookup) months.set(month, (lookup = lookUpTaxMonth(tables, month)));
  return lookup;
}

function lookUpTaxMonth(tables: TaxTables, month: Month): TaxMonthLookup {
  const missing: string[] = [];
  const used: UsedValue[] = [];
  const basic = valueInMonth(tables.basicDeduction, month);
  if (basic.found) used.push(usedValue('basicDeduction', basic.entry, formatYuan(basic.value)));
  else missing.push(`basicDeduction: ${basic.reason}`);
  const cumulative = valueInMonth(tables.cumulative, month);
  if (cumulative.found) used.push(usedValue('cumulative', cumulative.entry, showTable(cumulative.value)));
  else missing.push(`cumulative: ${cumulative.reason}`);
  if (!basic.found || !cumulative.found) return { found: false, missing };
  const bonus = valueInMonth(tables.annualBonus, month);
  const result: TaxMonth = {
    month,
    basicDeduction: basic.value,
    cumulative: cumulative.value,
    annualBonus: bonus.found ? bonus.value : null,
    used,
  };
  if (bonus.found) used.push(usedValue('annualBonus', bonus.entry, showTable(bonus.value)));
  else result.annualBonusUnavailable = bonus.reason;
  return { found: true, month: result };
}

/** The bracket an amount falls in, comparing amount ≤ upTo × scale (scale 12 for the bonus table: no division, no rounding edge). */
export function bracketFor(table: readonly Bracket[], amount: Decimal, scale = 1): { bracket: Bracket; index: number } {
  const index = table.findIndex((b) => b.upTo === null || amount.lessThanOrEqualTo(b.upTo.times(scale)));
  const bracket = table[index];
  if (bracket === undefined) throw new RangeError('a bracket table must end with an open bracket');
  return { bracket, index };
}
