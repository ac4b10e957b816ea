/** How a kind is described: its columns (headers, required, example, reader) and its row checks. */
import type { IsoDate, Month } from '@ladder/core';
import type { Reason } from '../problems.js';
import { reason } from '../problems.js';
import type { CanonicalKind, RowOf, RowRef } from '../types.js';
import { type Parsed, enumParser, fail, ok, parseDay, parseMonthText, parseText } from '../values.js';

export interface FieldSpec<T> {
  zh: string;
  en: string;
  aliases?: readonly string[];
  /** Required: the column must be there and every cell filled. */
  required: boolean;
  /** zh, en and aliases are alternatives in order of preference (see HeaderColumn.alternatives). */
  alternatives?: boolean;
  /** An example value, as a person would type it (used in templates). */
  example: string;
  /** What the column means, for the template's notes. */
  note?: Reason;
  /** Reads a trimmed, non-empty cell. */
  parse: (text: string) => Parsed<T>;
  /** The value of an empty cell or a missing optional column (may depend on fields read before it). */
  empty?: T | ((row: Record<string, unknown>) => T);
}

export type Fields<R> = { [K in keyof R]-?: FieldSpec<R[K]> };

export interface FieldIssue<R> {
  field: keyof R & string;
  reason: Reason;
}

export interface TableSpec<R> {
  fields: Fields<R>;
  /** Checks across fields after every field was read; may fill in derived values. */
  finish?: (row: R & RowRef, headers: Readonly<Record<string, string>>) => FieldIssue<R>[];
  /** Fields that identify a row: a second row with the same values is refused. Only for kinds of modest size. */
  key?: readonly (keyof R & string)[];
  /** Native columns that are read and dropped (an adapter's format), as written. */
  ignorable?: readonly string[];
  /** Rows that are not data (a report's period line, a 合计 row); may note what they say. Called for every row. */
  skipRow?: (cells: readonly string[], row: number) => boolean;
  /** File-level checks on the matched header (e.g. one of two columns must be there): column and reason. */
  checkHeader?: (headers: Readonly<Record<string, string>>) => { column: string; reason: Reason }[];
}

export type RowFields<K extends CanonicalKind> = Omit<RowOf<K>, 'row'>;

export interface KindSpec<K extends CanonicalKind> extends TableSpec<RowFields<K>> {
  kind: K;
  title: Reason;
}

export function defineKind<K extends CanonicalKind>(spec: KindSpec<K>): KindSpec<K> {
  return spec;
}

export interface ColumnInfo {
  key: string;
  zh: string;
  en: string;
  aliases: readonly string[];
  required: boolean;
  example: string;
  note: Reason | null;
}

export function columnsOf(fields: object): ColumnInfo[] {
  return Object.entries(fields as Record<string, FieldSpec<unknown>>).map(([key, f]) => ({
    key,
    zh: f.zh,
    en: f.en,
    aliases: f.aliases ?? [],
    required: f.required,
    example: f.example,
    note: f.note ?? null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Readers shared by several kinds

export const textOf =
  (max = 200) =>
  (text: string): Parsed<string> =>
    parseText(text, max);

export function parseEmployeeNo(text: string): Parsed<string> {
  const t = text.trim();
  if (t.length > 64) return fail('is longer than 64 characters', '超过 64 个字符');
  if (/\s/.test(t)) return fail('must not contain spaces', '不能包含空格');
  return parseText(t, 64);
}

const SOURCE_NAMES: Record<string, string> = {
  千牛: 'qianniu',
  旺旺: 'qianniu',
  赤兔: 'qianniu',
  淘宝: 'qianniu',
  天猫: 'qianniu',
  飞鸽: 'feige',
  抖店: 'feige',
  抖音: 'feige',
  拼多多: 'pinduoduo',
  京东: 'jd',
  咚咚: 'jd',
  七鱼: 'qiyu',
  网易七鱼: 'qiyu',
  企业微信: 'wecom',
  微信客服: 'wecom',
  智齿: 'sobot',
};

/** A source system's code, lower case ("chatwoot"); well-known Chinese platform names become their codes (千牛 → qianniu). */
export function parseSource(text: string): Parsed<string> {
  const t = text.trim();
  const known = SOURCE_NAMES[t];
  if (known) return ok(known);
  if (t.length > 32) return fail('is longer than 32 characters', '超过 32 个字符');
  if (/[\s,]/.test(t))
    return fail('must be a code without spaces, like chatwoot or qianniu', '必须是不含空格的代码,例如 chatwoot 或 qianniu');
  return ok(t.toLowerCase());
}

export const employeeNoField: FieldSpec<string> = {
  zh: '工号',
  en: 'employeeNo',
  aliases: ['employee_id', 'employee id', 'employee number', 'employee no', 'emp no', 'staff id', '员工编号', '员工工号', '员工号', '编号'],
  required: true,
  example: 'E1001',
  note: reason('the employee number', '员工工号'),
  parse: parseEmployeeNo,
};

export const sourceField: FieldSpec<string> = {
  zh: '来源',
  en: 'source',
  aliases: ['平台', '渠道', '系统', 'platform', 'system'],
  required: true,
  example: 'chatwoot',
  note: reason(
    'the help desk the data comes from: chatwoot, zendesk, qianniu, feige, …',
    '数据来源系统:chatwoot、zendesk、qianniu(千牛)、feige(飞鸽)等',
  ),
  parse: parseSource,
};

export const agentField: FieldSpec<string> = {
  zh: '客服账号',
  en: 'agent',
  aliases: ['客服', '坐席', '坐席账号', 'account', 'agent account', 'agent name'],
  required: true,
  example: 'alice@acme.io',
  note: reason(
    "the agent's account in the help desk (mapped by agent-accounts) or a 工号",
    '客服在该系统中的账号(通过客服账号对照表映射)或工号',
  ),
  parse: textOf(200),
};

export const dayField = (zh = '日期', en = 'day', aliases: readonly string[] = ['date', '日']): FieldSpec<IsoDate> => ({
  zh,
  en,
  aliases,
  required: true,
  example: '2026-10-08',
  note: reason('a day: 2026-10-08, 2026/10/8 or 2026年10月8日', '日期:2026-10-08、2026/10/8 或 2026年10月8日'),
  parse: parseDay,
});

export const monthField: FieldSpec<Month> = {
  zh: '月份',
  en: 'month',
  aliases: ['月', '年月', '考勤月份', '统计月份', 'period month'],
  required: true,
  example: '2026-10',
  note: reason('a month: 2026-10, 2026/10 or 2026年10月', '月份:2026-10、2026/10 或 2026年10月'),
  parse: parseMonthText,
};

export { enumParser, ok, fail };
