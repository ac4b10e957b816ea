/**
 * The input of `ladder net`: a city and, per employee, the months of one tax year from the
 * month of hire (or January), each with its gross wage; optionally the contribution base, the
 * employee contributions (replacing the computed ones), the declared special additional
 * deductions and an annual one-time bonus.
 */
import type { Decimal } from '../money/decimal.js';
import type { Fen } from '../money/fen.js';
import { addMonths, type Month, monthParts, parseMonth } from '../period/period.js';
import { ValidationError } from '../validate/problems.js';
import { boolean, type Field, list, object, oneOf, Reader, text } from '../validate/schema.js';
import { rate, yuanAmount } from './fields.js';

export const BONUS_METHODS = ['separate', 'merged'] as const;
export type BonusMethod = (typeof BONUS_METHODS)[number];

export interface NetMonthInput {
  month: Month;
  gross: Fen;
  /** The employee's contributions, replacing the computed ones. */
  contributions?: Fen;
  /** 专项附加扣除 declared for the month. */
  specialAdditional?: Fen;
  /** This month's base, overriding the employee's (e.g. a new base from July). */
  contributionBase?: Fen;
}

export interface AnnualBonusInput {
  month: Month;
  amount: Fen;
  method: BonusMethod;
}

export interface NetEmployeeInput {
  id: string;
  /** Usually last year's average monthly wage; when absent each month's gross is the base. */
  contributionBase?: Fen;
  /** No wage income earlier in the year: the basic deduction counts from January (国家税务总局公告2020年第13号). */
  firstIncomeOfYear?: boolean;
  months: NetMonthInput[];
  annualBonus?: AnnualBonusInput;
}

export interface NetInput {
  city?: string;
  /** The employer's housing-fund rate for each side, within the city's range; else the city's default. */
  housingFundRate?: Decimal;
  /** The employer's work-injury rate (its class and floating rate); else the city's class I rate. */
  workInjuryRate?: Decimal;
  employees: NetEmployeeInput[];
}

const month: Field<Month> = (reader, value, path) => {
  const parsed = typeof value === 'string' ? parseMonth(value) : undefined;
  if (parsed === undefined) {
    reader.report(path, `must be a month YYYY-MM (01–12), got ${JSON.stringify(value)}`);
    return undefined;
  }
  return parsed;
};

const monthInput = object(
  { month, gross: yuanAmount(), contributions: yuanAmount(), specialAdditional: yuanAmount(), contributionBase: yuanAmount() },
  { optional: ['contributions', 'specialAdditional', 'contributionBase'] },
);

const annualBonus = object({ month, amount: yuanAmount(), method: oneOf(BONUS_METHODS) });

const employee = object(
  {
    id: text(),
    contributionBase: yuanAmount(),
    firstIncomeOfYear: boolean(),
    months: list(monthInput, { nonEmpty: true }),
    annualBonus,
  },
  { optional: ['contributionBase', 'firstIncomeOfYear', 'annualBonus'] },
);

const netInput = object(
  { city: text(), housingFundRate: rate(), workInjuryRate: rate(), employees: list(employee, { nonEmpty: true }) },
  { optional: ['city', 'housingFundRate', 'workInjuryRate'] },
) as Field<NetInput>;

/** Months consecutive and in one year; the bonus in one of them; ids unique. */
function checkEmployees(reader: Reader, input: NetInput): void {
  const seen = new Map<string, number>();
  input.employees.forEach((person, index) => {
    const path = ['employees', index];
    const earlier = seen.get(person.id);
    if (earlier !== undefined) reader.report([...path, 'id'], `duplicate employee id "${person.id}" (also employees[${earlier}])`);
    else seen.set(person.id, index);
    const first = person.months[0];
    if (first === undefined) return;
    const year = monthParts(first.month).year;
    person.months.forEach((entry, m) => {
      if (m === 0) return;
      const at = [...path, 'months', m, 'month'];
      const previous = person.months[m - 1]?.month ?? first.month;
      if (monthParts(entry.month).year !== year) {
        reader.report(
          at,
          `${entry.month} is not in ${year}, the year of months[0]: give one tax year per employee (split the input by year)`,
        );
      } else if (entry.month !== addMonths(previous, 1)) {
        reader.report(
          at,
          `must be ${addMonths(previous, 1)}, the month after ${previous}: months must be consecutive, from the month of hire (or January)`,
        );
      }
    });
    const bonus = person.annualBonus;
    if (bonus !== undefined && !person.months.some((entry) => entry.month === bonus.month)) {
      const last = person.months[person.months.length - 1]?.month ?? first.month;
      reader.report([...path, 'annualBonus', 'month'], `${bonus.month} is not one of the employee's months (${first.month} … ${last})`);
    }
  });
}

/** Reads and validates `ladder net` input; throws ValidationError listing every problem with its path. */
export function readNetInput(data: unknown): NetInput {
  const reader = new Reader();
  const input = netInput(reader, data, []);
  if (input !== undefined) checkEmployees(reader, input);
  reader.throwIfProblems('input is invalid');
  if (input === undefined) throw new ValidationError([{ path: '', message: 'is invalid' }], 'input is invalid');
  return input;
}
