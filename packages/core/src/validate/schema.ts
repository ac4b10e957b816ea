import { Decimal, formatDecimal, toDecimal } from '../money/decimal.js';
import { formatPath, type PathSegment, type Problem, ValidationError } from './problems.js';

/**
 * A small schema reader: walks untrusted JSON/YAML data, collects every problem with its
 * path, and returns typed values. Unknown object keys are problems, never ignored.
 */
export class Reader {
  readonly problems: Problem[] = [];

  report(path: readonly PathSegment[], message: string): void {
    this.problems.push({ path: formatPath(path), message });
  }

  throwIfProblems(summary?: string): void {
    if (this.problems.length > 0) throw new ValidationError(this.problems, summary);
  }
}

export type Field<T> = (reader: Reader, value: unknown, path: readonly PathSegment[]) => T | undefined;

const MISSING = Symbol('missing');

type Shape = Record<string, Field<unknown>>;
type ShapeResult<S extends Shape> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/**
 * An object with exactly the given keys; keys listed in `optional` may be absent
 * (their field then receives undefined and is not called).
 */
export function object<S extends Shape>(shape: S, options: { optional?: readonly (keyof S)[] } = {}): Field<ShapeResult<S>> {
  const optionalKeys = new Set<keyof S>(options.optional ?? []);
  return (reader, value, path) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      reader.report(path, `must be an object, got ${describeValue(value)}`);
      return undefined;
    }
    const record = value as Record<string, unknown>;
    let ok = true;
    for (const key of Object.keys(record)) {
      if (!(key in shape)) {
        reader.report([...path, key], `unknown field (expected one of: ${Object.keys(shape).join(', ')})`);
        ok = false;
      }
    }
    const result: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      const present = Object.prototype.hasOwnProperty.call(record, key) ? record[key] : MISSING;
      if (present === MISSING) {
        if (optionalKeys.has(key)) continue;
        reader.report([...path, key], 'is required');
        ok = false;
        continue;
      }
      const parsed = field(reader, present, [...path, key]);
      if (parsed === undefined) ok = false;
      else result[key] = parsed;
    }
    return ok ? (result as ShapeResult<S>) : undefined;
  };
}

/** Accepts null as a value of its own (distinct from a problem). */
export function nullable<T>(field: Field<T>): Field<T | null> {
  return (reader, value, path) => (value === null ? null : field(reader, value, path));
}

export function list<T>(item: Field<T>, options: { nonEmpty?: boolean } = {}): Field<T[]> {
  return (reader, value, path) => {
    if (!Array.isArray(value)) {
      reader.report(path, `must be a list, got ${describeValue(value)}`);
      return undefined;
    }
    if (options.nonEmpty && value.length === 0) {
      reader.report(path, 'must not be empty');
      return undefined;
    }
    const items: T[] = [];
    let ok = true;
    value.forEach((element, index) => {
      const parsed = item(reader, element, [...path, index]);
      if (parsed === undefined) ok = false;
      else items.push(parsed);
    });
    return ok ? items : undefined;
  };
}

/** A map from keys (optionally restricted by a pattern) to values. */
export function record<T>(item: Field<T>, options: { keyPattern?: RegExp } = {}): Field<Record<string, T>> {
  return (reader, value, path) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      reader.report(path, `must be an object, got ${describeValue(value)}`);
      return undefined;
    }
    const result: Record<string, T> = {};
    let ok = true;
    for (const [key, element] of Object.entries(value as Record<string, unknown>)) {
      if (options.keyPattern && !options.keyPattern.test(key)) {
        reader.report([...path, key], `is not a valid key (${options.keyPattern.source})`);
        ok = false;
        continue;
      }
      const parsed = item(reader, element, [...path, key]);
      if (parsed === undefined) ok = false;
      else result[key] = parsed;
    }
    return ok ? result : undefined;
  };
}

export function text(options: { pattern?: RegExp; patternHint?: string; nonEmpty?: boolean } = {}): Field<string> {
  return (reader, value, path) => {
    if (typeof value !== 'string') {
      reader.report(path, `must be text, got ${describeValue(value)}`);
      return undefined;
    }
    if ((options.nonEmpty ?? true) && value.trim() === '') {
      reader.report(path, 'must not be empty');
      return undefined;
    }
    if (options.pattern && !options.pattern.test(value)) {
      reader.report(path, `${describeValue(value)} is not ${options.patternHint ?? `of the form ${options.pattern.source}`}`);
      return undefined;
    }
    return value;
  };
}

export function oneOf<T extends string>(choices: readonly T[]): Field<T> {
  return (reader, value, path) => {
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      reader.report(path, `must be one of ${choices.join(', ')}, got ${describeValue(value)}`);
      return undefined;
    }
    return value as T;
  };
}

export function boolean(): Field<boolean> {
  return (reader, value, path) => {
    if (typeof value !== 'boolean') {
      reader.report(path, `must be true or false, got ${describeValue(value)}`);
      return undefined;
    }
    return value;
  };
}

/** Largest magnitude any input number may have: far beyond a real month, far within exact range. */
export const MAX_INPUT_MAGNITUDE = new Decimal('1000000000');

export interface NumberOptions {
  min?: Decimal | number;
  /** Excludes the minimum itself. */
  minExclusive?: boolean;
  max?: Decimal | number;
  integer?: boolean;
}

/** A JSON number or a decimal string, as an exact decimal within the safe input range. */
export function decimal(options: NumberOptions = {}): Field<Decimal> {
  return (reader, value, path) => {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      reader.report(path, `must be a finite number, got ${String(value)}`);
      return undefined;
    }
    if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
      reader.report(path, `${String(value)} is beyond the safe number range`);
      return undefined;
    }
    const parsed = typeof value === 'number' || typeof value === 'string' ? toDecimal(value) : undefined;
    if (parsed === undefined) {
      reader.report(path, `must be a number or a decimal string, got ${describeValue(value)}`);
      return undefined;
    }
    if (parsed.abs().greaterThan(MAX_INPUT_MAGNITUDE)) {
      reader.report(path, `${formatDecimal(parsed)} is beyond the safe range (at most ${formatDecimal(MAX_INPUT_MAGNITUDE)} in size)`);
      return undefined;
    }
    if (options.integer && !parsed.isInteger()) {
      reader.report(path, `must be a whole number, got ${formatDecimal(parsed)}`);
      return undefined;
    }
    if (options.min !== undefined) {
      const min = new Decimal(options.min);
      if (options.minExclusive ? parsed.lessThanOrEqualTo(min) : parsed.lessThan(min)) {
        const relation = options.minExclusive ? 'greater than' : 'at least';
        reader.report(path, `must be ${relation} ${formatDecimal(min)}, got ${formatDecimal(parsed)}`);
        return undefined;
      }
    }
    if (options.max !== undefined) {
      const max = new Decimal(options.max);
      if (parsed.greaterThan(max)) {
        reader.report(path, `must be at most ${formatDecimal(max)}, got ${formatDecimal(parsed)}`);
        return undefined;
      }
    }
    return parsed;
  };
}

export const nonNegative = (): Field<Decimal> => decimal({ min: 0 });
export const count = (): Field<Decimal> => decimal({ min: 0, integer: true });

/** Runs a field on a whole document and throws a ValidationError listing every problem. */
export function readDocument<T>(field: Field<T>, value: unknown, summary?: string): T {
  const reader = new Reader();
  const result = field(reader, value, []);
  reader.throwIfProblems(summary);
  if (result === undefined) throw new ValidationError([{ path: '', message: 'is invalid' }], summary);
  return result;
}
