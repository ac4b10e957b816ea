/** Reading fields of JSON records with problems that name the record and the field. */
import { type Reason, type RowProblem, problem, reason } from '../problems.js';
import { parseInstant } from '../values.js';

export class JsonFields {
  readonly problems: RowProblem[] = [];

  constructor(
    readonly label: string,
    readonly record: number,
    readonly path: string,
    readonly value: Record<string, unknown>,
  ) {}

  private bad(field: string, why: Reason): void {
    const raw = this.value[field];
    this.problems.push(problem(this.label, this.record, `${this.path}.${field}`, raw === undefined ? null : JSON.stringify(raw), why));
  }

  /** A whole-number id (Chatwoot and Zendesk ids are integers); null allowed when `nullable`. */
  id(field: string, nullable: false): number | undefined;
  id(field: string, nullable: true): number | null | undefined;
  id(field: string, nullable: boolean): number | null | undefined {
    const raw = this.value[field];
    if ((raw === null || raw === undefined) && nullable) return null;
    if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return raw;
    if (typeof raw === 'string' && /^\d{1,15}$/.test(raw)) return Number(raw);
    this.bad(
      field,
      nullable
        ? reason('must be an id (a whole number) or null', '必须是编号(整数)或 null')
        : reason('must be an id (a whole number)', '必须是编号(整数)'),
    );
    return undefined;
  }

  string(field: string, nullable = false): string | null | undefined {
    const raw = this.value[field];
    if ((raw === null || raw === undefined) && nullable) return null;
    if (typeof raw === 'string' && raw !== '') return raw;
    this.bad(field, reason('must be a text', '必须是文本'));
    return undefined;
  }

  /** A number ≥ 0 (seconds); null allowed when `nullable`. */
  seconds(field: string, nullable = false): number | null | undefined {
    const raw = this.value[field];
    if ((raw === null || raw === undefined) && nullable) return null;
    if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) return raw;
    this.bad(field, reason('must be a number of seconds ≥ 0', '必须是 ≥ 0 的秒数'));
    return undefined;
  }

  /** An ISO 8601 time as epoch ms; null allowed when `nullable`. */
  time(field: string, nullable = false): number | null | undefined {
    const raw = this.value[field];
    if ((raw === null || raw === undefined) && nullable) return null;
    if (typeof raw === 'string') {
      const parsed = parseInstant(raw);
      if (parsed.ok) return parsed.value;
    }
    this.bad(field, reason('must be an ISO 8601 time like 2024-05-03T13:40:00.000Z', '必须是 ISO 8601 时间,例如 2024-05-03T13:40:00.000Z'));
    return undefined;
  }
}

export function notAnObject(label: string, record: number, path: string, value: unknown): RowProblem {
  return problem(label, record, path, JSON.stringify(value)?.slice(0, 200) ?? null, reason('must be a JSON object', '必须是 JSON 对象'));
}
