/**
 * Dated parameter values (OpenFisca style): each value of a city's or the tax law's data is a
 * list of entries, each in force from the first day of a month to the last day of a month (or
 * open-ended), with its source and how sure we are of it. `value: null` records a period whose
 * value is unknown, so a month in it is refused with the entry's note instead of guessed.
 */
import { firstDayOf, type IsoDate, type Month, parseDate } from '../period/period.js';
import { type Field, object, oneOf, text } from '../validate/schema.js';

/** Research confidence labels (docs/research/china-social-insurance-and-tax.md). */
export const CONFIDENCE_LEVELS = ['OFF', '2SRC', '1SRC', 'NF'] as const;
export type Confidence = (typeof CONFIDENCE_LEVELS)[number];

export const CONFIDENCE_MEANING: Record<Confidence, string> = {
  OFF: 'official text quoted with its number and URL in a secondary source',
  '2SRC': 'two or more independent secondary sources, or one plus an arithmetic check',
  '1SRC': 'one secondary source only',
  NF: 'not found: an inference or a recorded default',
};

export interface Dated<T> {
  effectiveFrom: IsoDate;
  /** Last day in force; absent when open-ended. */
  effectiveTo?: IsoDate;
  /** null: unknown for this period. */
  value: T | null;
  source: string;
  confidence: Confidence;
  note?: string;
}

export type Series<T> = Dated<T>[];

const isoDate: Field<IsoDate> = (reader, value, path) => {
  const raw = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (typeof raw !== 'string' || parseDate(raw) === undefined) {
    reader.report(path, `must be a date YYYY-MM-DD, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return raw as IsoDate;
};

function isLastDayOfMonth(date: IsoDate): boolean {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.getUTCDate() === 1;
}

/**
 * A list of dated entries of one value. Checks: from is the 1st of a month, to the last day of
 * a month, to ≥ from, entries in order without overlap; a null value needs a note.
 */
export function series<T>(value: Field<T>): Field<Series<T>> {
  const entry = object(
    {
      effectiveFrom: isoDate,
      effectiveTo: isoDate,
      value: ((reader, raw, path) => (raw === null ? null : value(reader, raw, path))) as Field<T | null>,
      source: text(),
      confidence: oneOf(CONFIDENCE_LEVELS),
      note: text(),
    },
    { optional: ['effectiveTo', 'note'] },
  );
  return (reader, raw, path) => {
    if (!Array.isArray(raw) || raw.length === 0) {
      reader.report(path, 'must be a non-empty list of dated entries (effectiveFrom, effectiveTo?, value, source, confidence, note?)');
      return undefined;
    }
    const entries: Dated<T>[] = [];
    let ok = true;
    raw.forEach((item, index) => {
      const at = [...path, index];
      const parsed = entry(reader, item, at);
      if (parsed === undefined) {
        ok = false;
        return;
      }
      const dated = parsed as Dated<T>;
      if (!dated.effectiveFrom.endsWith('-01')) {
        reader.report([...at, 'effectiveFrom'], `must be the first day of a month, got ${dated.effectiveFrom}`);
        ok = false;
      }
      if (dated.effectiveTo !== undefined) {
        if (!isLastDayOfMonth(dated.effectiveTo)) {
          reader.report([...at, 'effectiveTo'], `must be the last day of a month, got ${dated.effectiveTo}`);
          ok = false;
        } else if (dated.effectiveTo < dated.effectiveFrom) {
          reader.report([...at, 'effectiveTo'], `must not be before effectiveFrom ${dated.effectiveFrom}`);
          ok = false;
        }
      }
      if (dated.value === null && dated.note === undefined) {
        reader.report([...at, 'note'], 'is required when value is null (say why the value is unknown)');
        ok = false;
      }
      const previous = entries[entries.length - 1];
      if (previous !== undefined) {
        if (previous.effectiveTo === undefined) {
          reader.report(at, `entry [${index - 1}] is open-ended (no effectiveTo), so nothing can follow it`);
          ok = false;
        } else if (dated.effectiveFrom <= previous.effectiveTo) {
          reader.report([...at, 'effectiveFrom'], `overlaps entry [${index - 1}], which runs to ${previous.effectiveTo}`);
          ok = false;
        }
      }
      entries.push(dated);
    });
    return ok ? entries : undefined;
  };
}

export type Lookup<T> = { found: true; value: T; entry: Dated<T> } | { found: false; reason: string };

function coverage<T>(entries: Series<T>): string {
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (!first || !last) return 'no entries';
  return `data runs ${first.effectiveFrom} … ${last.effectiveTo ?? 'open-ended'}`;
}

/** The entry in force on the month's first day; a reason when there is none or its value is unknown. */
export function valueInMonth<T>(entries: Series<T>, month: Month): Lookup<T> {
  const day = firstDayOf(month);
  const entry = entries.find((e) => e.effectiveFrom <= day && (e.effectiveTo === undefined || day <= e.effectiveTo));
  if (entry === undefined) {
    const gap = entries.some((e) => e.effectiveFrom > day) && entries.some((e) => e.effectiveTo !== undefined && e.effectiveTo < day);
    return { found: false, reason: `no data for ${month} (${gap ? 'a gap; ' : ''}${coverage(entries)})` };
  }
  if (entry.value === null) {
    return {
      found: false,
      reason: `unknown for ${entry.effectiveFrom} … ${entry.effectiveTo ?? 'open-ended'}: ${entry.note ?? 'no value'}`,
    };
  }
  return { found: true, value: entry.value, entry: entry as Dated<T> & { value: T } };
}

/** The dates a value is in force, for messages: "2024-07-01 … 2025-06-30". */
export function periodOf(entry: Dated<unknown>): string {
  return `${entry.effectiveFrom} … ${entry.effectiveTo ?? 'open-ended'}`;
}

/** A data value a computation relied on, with where it comes from. */
export interface UsedValue {
  parameter: string;
  value: string;
  effectiveFrom: string;
  effectiveTo?: string;
  source: string;
  confidence: Confidence;
  note?: string;
}

export function usedValue<T>(parameter: string, entry: Dated<T>, value: string): UsedValue {
  const result: UsedValue = { parameter, value, effectiveFrom: entry.effectiveFrom, source: entry.source, confidence: entry.confidence };
  if (entry.effectiveTo !== undefined) result.effectiveTo = entry.effectiveTo;
  if (entry.note !== undefined) result.note = entry.note;
  return result;
}
