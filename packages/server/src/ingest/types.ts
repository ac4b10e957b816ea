/** The canonical import kinds: what the store keeps, one row type per kind. */
import type { Fen, IsoDate, Month } from '@ladder/core';
import type { RowProblem } from './problems.js';

export const CANONICAL_KINDS = [
  'employees',
  'agent-accounts',
  'attendance',
  'conversations',
  'agent-daily',
  'agent-period',
  'tickets',
  'csat',
  'deductions',
  'lead-points',
  'sales',
  'sales-targets',
  'pay-profiles',
  'special-deductions',
  'annual-bonuses',
] as const;
export type CanonicalKind = (typeof CANONICAL_KINDS)[number];

/** Help-desk adapters: each reads a native export and yields rows of canonical kinds. */
export const ADAPTER_KINDS = ['chatwoot-events', 'chatwoot-csat', 'chatwoot-agents', 'zendesk-tickets', 'cn-agent-daily'] as const;
export type AdapterKind = (typeof ADAPTER_KINDS)[number];

export type ImportKind = CanonicalKind | AdapterKind;
export type ImportFormat = 'csv' | 'xlsx' | 'json';

export type GroupCode = 'basic' | 'vip' | 'phone' | 'sales';
export type LevelCode =
  'trainee' | 'junior' | 'intermediate' | 'senior' | 'expert' | 'vip_trainee' | 'vip_junior' | 'vip_intermediate' | 'vip_senior';
export type PositionCode = 'agent' | 'team_lead' | 'supervisor' | 'manager';
export type EmployeeStatus = 'active' | 'left' | 'transferred';
export type DeductionCategory = 'efficiency' | 'discipline';

/** Every row carries the spreadsheet row it came from, so later checks (unknown 工号) can point at it. */
export interface RowRef {
  row: number;
}

export interface EmployeeRow extends RowRef {
  employeeNo: string;
  name: string;
  group: GroupCode;
  /** A level of the group's track (SPEC §2): a vip group's 初级 is `vip_junior`. */
  level: LevelCode;
  position: PositionCode;
  team: string;
  hiredOn: IsoDate;
  probationEnd: IsoDate | null;
  /** Monthly base pay override in fen; null: the level's base pay from the policy. */
  basePay: Fen | null;
  /** From when this row's level, position, team, base pay and status hold; defaults to hiredOn. */
  effectiveFrom: IsoDate;
  status: EmployeeStatus;
  /** The department a transferred employee went to (status `transferred` only). */
  transferTo: string | null;
}

export interface AgentAccountRow extends RowRef {
  employeeNo: string;
  /** A lower-case source code: chatwoot, zendesk, qianniu, feige, … */
  source: string;
  account: string;
}

/** Days and hours are exact decimal strings ("0.5"); all default to 0. */
export interface AttendanceRow extends RowRef {
  employeeNo: string;
  month: Month;
  unpaidDays: string;
  lateCount: number;
  overtimeWorkday: string;
  overtimeRestDay: string;
  overtimeHoliday: string;
  sickDays: string;
  annualDays: string;
  marriageDays: string;
  maternityDays: string;
  personalDays: string;
}

export interface ConversationRow extends RowRef {
  source: string;
  externalId: string;
  /** The agent's account in the source system, or a 工号. */
  agent: string;
  /** China time with offset, whole seconds: "2026-10-08T09:12:33+08:00"; its first 10 characters are the China day. */
  startedAt: string;
  firstResponseSeconds: number | null;
  handleSeconds: number | null;
  valid: boolean;
  rating: number | null;
}

export interface AgentDailyRow extends RowRef {
  source: string;
  agent: string;
  day: IsoDate;
  conversations: number;
  validConversations: number | null;
  avgFirstResponseSeconds: number | null;
  /** 0–1 as a decimal string ("0.965"). */
  satisfactionRate: string | null;
}

/** A help desk's per-agent summary over a period (Chatwoot's agent report). */
export interface AgentPeriodRow extends RowRef {
  source: string;
  agent: string;
  from: IsoDate;
  to: IsoDate;
  conversations: number;
  /** Null when the report does not say (Chatwoot's older 4-column report). */
  resolved: number | null;
  /** Lower bounds when read from Chatwoot's text durations ("12 minutes 5 seconds" keeps two units). */
  avgFirstResponseSeconds: number | null;
  avgResolutionSeconds: number | null;
}

export interface TicketRow extends RowRef {
  source: string;
  externalId: string;
  agent: string;
  day: IsoDate;
  wrong: boolean;
}

export interface CsatRow extends RowRef {
  source: string;
  /** The conversation's or ticket's id in the source. */
  externalId: string;
  agent: string;
  day: IsoDate;
  rating: number;
  comment: string | null;
}

export interface DeductionRow extends RowRef {
  employeeNo: string;
  day: IsoDate;
  /** Decimal string ≥ 0 ("0.5"). */
  points: string;
  category: DeductionCategory;
  reason: string;
  enteredBy: string;
}

/** Team-lead points of a month (R-PAY-5); decimal strings, `extra` may be negative. */
export interface LeadPointsRow extends RowRef {
  employeeNo: string;
  month: Month;
  execution: string;
  rewards: string;
  excellentCases: number;
  extra: string;
  note: string | null;
}

export interface SalesRow extends RowRef {
  employeeNo: string;
  month: Month;
  amount: Fen;
  target: Fen;
  /** 0–1 decimal strings. */
  csat: string;
  complaintRate: string;
  /** A rating such as 90, decimal string. */
  teamwork: string;
}

export interface SalesTargetRow extends RowRef {
  employeeNo: string;
  /** "2026-Q3" or "2026". */
  period: string;
  target: Fen;
}

export interface PayProfileRow extends RowRef {
  employeeNo: string;
  effectiveFrom: IsoDate;
  city: string;
  contributionBase: Fen | null;
  firstIncomeOfYear: boolean;
  bankName: string | null;
  bankAccount: string | null;
  accountName: string | null;
}

export interface SpecialDeductionRow extends RowRef {
  employeeNo: string;
  month: Month;
  amount: Fen;
  note: string | null;
}

export interface AnnualBonusRow extends RowRef {
  employeeNo: string;
  month: Month;
  amount: Fen;
  method: 'separate' | 'merged';
}

export interface RowsByKind {
  employees: EmployeeRow;
  'agent-accounts': AgentAccountRow;
  attendance: AttendanceRow;
  conversations: ConversationRow;
  'agent-daily': AgentDailyRow;
  'agent-period': AgentPeriodRow;
  tickets: TicketRow;
  csat: CsatRow;
  deductions: DeductionRow;
  'lead-points': LeadPointsRow;
  sales: SalesRow;
  'sales-targets': SalesTargetRow;
  'pay-profiles': PayProfileRow;
  'special-deductions': SpecialDeductionRow;
  'annual-bonuses': AnnualBonusRow;
}

export type RowOf<K extends CanonicalKind> = RowsByKind[K];
export type CanonicalRow = RowsByKind[CanonicalKind];

/**
 * Conversations in columns, as the fast path hands them over: one entry per row at the same index.
 * Strings repeated across rows (source, agent) are dictionary-coded per batch; external ids are one
 * string cut at `externalIdEnds`. Missing numbers are NaN; rating 0 is none.
 */
export interface ConversationColumns {
  length: number;
  rows: Uint32Array;
  sourceDict: string[];
  sourceCodes: Uint32Array;
  agentDict: string[];
  agentCodes: Uint32Array;
  externalIds: string;
  externalIdEnds: Uint32Array;
  /**
   * The ids as numbers, when every id of the batch is a decimal integer of the same number of
   * digits (at most 15) without a leading zero — then their order is their text's order too.
   */
  externalIdNumbers?: Float64Array;
  /** Epoch milliseconds. */
  startedAt: Float64Array;
  firstResponseSeconds: Float64Array;
  handleSeconds: Float64Array;
  valid: Uint8Array;
  rating: Uint8Array;
}

interface BatchBase<K extends CanonicalKind> {
  kind: K;
  rows: RowOf<K>[];
  problems: RowProblem[];
  /** The header as written in the file for each field that had a column (to name columns in later problems). */
  headers: Partial<Record<keyof RowOf<K> & string, string>>;
}

export interface ConversationBatch extends BatchBase<'conversations'> {
  /** The same rows in columns; `rows` is built from them on first access. */
  columns: ConversationColumns;
}

export type BatchOf<K extends CanonicalKind> = K extends 'conversations' ? ConversationBatch : BatchBase<K>;

/** What `readImport` yields: rows of one kind (a discriminated union on `kind`) and the problems found with them. */
export type ImportBatch = { [K in CanonicalKind]: BatchOf<K> }[CanonicalKind];

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}
