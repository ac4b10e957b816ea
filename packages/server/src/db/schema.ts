import type { Generated, Insertable, Selectable } from 'kysely';
import type { ApplicationTables } from './schema-applications.js';
import type { LevelTables } from './schema-levels.js';
import type { QaTables } from './schema-qa.js';

/**
 * Row types of every table. Money is integer fen; exact decimals (days, points, rates) are
 * text; days are 'YYYY-MM-DD', months 'YYYY-MM', timestamps ISO-8601 UTC text.
 */

export interface SettingsTable {
  key: string;
  value: string;
}

export interface TeamsTable {
  id: Generated<number>;
  code: string;
  name: string;
  group_code: string;
}

export interface EmployeesTable {
  id: Generated<number>;
  employee_no: string;
  name: string;
  hired_on: string;
  created_at: string;
}

export type EmployeeStatus = 'active' | 'left' | 'transferred';
export type Position = 'agent' | 'team_lead' | 'supervisor' | 'manager';

/** Effective-dated state of an employee: the row in force on a day is the latest on or before it. */
export interface EmployeeHistoryTable {
  id: Generated<number>;
  employee_id: number;
  effective_from: string;
  group_code: string;
  level: string;
  position: Position;
  team_id: number | null;
  /** Overrides the level's base pay from the policy when set. */
  base_pay_fen: number | null;
  probation_end: string | null;
  junior_since: string | null;
  status: EmployeeStatus;
  transfer_to: string | null;
  recorded_at: string;
  recorded_by: string;
  reason: string;
}

export interface AgentAccountsTable {
  source: string;
  account: string;
  employee_id: number;
}

export interface ImportFilesTable {
  id: Generated<number>;
  kind: string;
  file_name: string;
  sha256: string;
  rows: number;
  imported_at: string;
  imported_by: string;
}

export interface AttendanceMonthsTable {
  employee_id: number;
  month: string;
  unpaid_days: string;
  late_count: number;
  overtime_workday: string;
  overtime_rest_day: string;
  overtime_holiday: string;
  /** JSON object: leave type → days (decimal strings). */
  leave_days: string;
  import_id: number | null;
  updated_at: string;
  updated_by: string;
}

/** The conversations QA works on (all conversations are in conversation_blocks), copied from their block on first use. */
export interface ConversationsTable {
  id: Generated<number>;
  source: string;
  external_id: string;
  employee_id: number;
  day: string;
  started_at: string;
  first_response_s: number | null;
  handle_s: number | null;
  valid: number;
  rating: number | null;
  import_id: number | null;
}

/** Conversations of one import, source and China day, in columns (see services/conversations/blocks.ts). */
export interface ConversationBlocksTable {
  id: Generated<number>;
  import_id: number | null;
  source: string;
  day: string;
  row_count: number;
  /** The block's smallest and largest external id (JavaScript string order). */
  first_id: string;
  last_id: string;
  /** JSON array of the external ids, ascending. */
  external_ids: string;
  /** Per row, little-endian: uint32, or float64 when some id does not fit (the length tells). */
  employee_ids: Buffer;
  /** Per row, little-endian: uint32 epoch seconds, or float64 epoch milliseconds (the length tells). */
  started_at: Buffer;
  /** Per row, little-endian: float32, or float64 when some value needs it (the length tells); NaN when none. */
  first_response_s: Buffer;
  /** As first_response_s. */
  handle_s: Buffer;
  /** One byte per row: 1 valid, 0 not. */
  valid: Buffer;
  /** One byte per row: 1–5, 0 not rated. */
  rating: Buffer;
}

/** What the statistics of an agent and source add up over a day or a month. */
export interface ConversationSums {
  employee_id: number;
  source: string;
  conversations: number;
  valid_conversations: number;
  first_response_sum_s: number;
  first_response_count: number;
  rating_sum: number;
  rating_count: number;
}

export interface AgentDayStatsTable extends ConversationSums {
  day: string;
  /** 0–1 decimal text: an agent-daily platform's satisfaction rate (migration 20261127T1900-levels). */
  satisfaction_rate: string | null;
}

/** Sums of agent_day_stats per agent, month and source, kept by triggers (migration 20261128T0900-month-stats). */
export interface AgentMonthStatsTable extends ConversationSums {
  month: string;
}

export interface AgentPeriodStatsTable {
  source: string;
  employee_id: number;
  from_day: string;
  to_day: string;
  conversations: number;
  resolved: number | null;
  avg_first_response_s: number | null;
  avg_resolution_s: number | null;
  import_id: number | null;
}

export interface TicketsTable {
  id: Generated<number>;
  source: string;
  external_id: string;
  employee_id: number;
  day: string;
  wrong: number;
  import_id: number | null;
}

export interface CsatRatingsTable {
  id: Generated<number>;
  source: string;
  external_id: string;
  employee_id: number;
  day: string;
  rating: number;
  comment: string | null;
  import_id: number | null;
}

export interface DeductionsTable {
  id: Generated<number>;
  employee_id: number;
  day: string;
  points: string;
  category: string;
  reason: string;
  entered_by: string;
  /** 'lead' for efficiency/discipline entered by team leads, 'qa' for upheld inspection deductions. */
  origin: string;
  import_id: number | null;
  created_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface LeadPointsTable {
  employee_id: number;
  month: string;
  execution: string;
  rewards: string;
  excellent_cases: number;
  extra: string;
  note: string | null;
  import_id: number | null;
  updated_at: string;
  updated_by: string;
}

export interface SalesMonthsTable {
  employee_id: number;
  month: string;
  amount: string;
  target: string;
  csat: string;
  complaint_rate: string;
  teamwork: string;
  import_id: number | null;
  updated_at: string;
  updated_by: string;
}

export interface SalesTargetsTable {
  employee_id: number;
  /** '2026-Q3' or '2026'. */
  period: string;
  target: string;
  import_id: number | null;
  updated_at: string;
  updated_by: string;
}

export interface PolicyVersionsTable {
  id: Generated<number>;
  policy: string;
  version: string;
  effective_from: string;
  source_text: string;
  sha256: string;
  created_at: string;
  created_by: string;
}

export type RunStatus = 'draft' | 'reviewed' | 'approved' | 'locked';

export interface PayrollRunsTable {
  id: Generated<number>;
  month: string;
  status: RunStatus;
  policy_version_id: number;
  revision: number;
  employee_count: number;
  gross_total_fen: number;
  /** JSON list of { employeeNo, code, message } that block approval. */
  problems: string;
  created_at: string;
  created_by: string;
  computed_at: string;
  reviewed_at: string | null;
  reviewed_by: string | null;
  approved_at: string | null;
  approved_by: string | null;
  locked_at: string | null;
  locked_by: string | null;
}

export interface PayslipsTable {
  id: Generated<number>;
  run_id: number;
  employee_id: number;
  group_code: string;
  level: string;
  gross_fen: number;
  full_attendance: number;
  /** JSON of the performance block as `ladder calc` prints it. */
  performance: string;
  /** JSON of the calc input the payslip was computed from: the base for retro adjustments. */
  inputs: string;
}

export interface PayslipLinesTable {
  id: Generated<number>;
  run_id: number;
  payslip_id: number;
  position: number;
  code: string;
  amount_fen: number;
  rule: string;
  formula: string;
  inputs: string;
  explain_zh: string;
  explain_en: string;
  /** For retro adjustments: JSON of the locked month and the changes that caused it. */
  cause: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_key: string;
  reason: string | null;
  details: string | null;
}

export interface PayProfilesTable {
  employee_id: number;
  effective_from: string;
  /** A city of the China data (shanghai, beijing, …). */
  city: string;
  /** Usually last year's average monthly wage; null: each month's gross is the base. */
  contribution_base_fen: number | null;
  first_income_of_year: number;
  bank_name: string | null;
  bank_account: string | null;
  account_name: string | null;
  recorded_at: string;
  recorded_by: string;
}

export interface SpecialDeductionsTable {
  employee_id: number;
  month: string;
  amount_fen: number;
  note: string | null;
  updated_at: string;
  updated_by: string;
}

export interface AnnualBonusesTable {
  employee_id: number;
  year: number;
  month: string;
  amount_fen: number;
  method: 'separate' | 'merged';
  updated_at: string;
  updated_by: string;
}

export interface PayslipNetTable {
  payslip_id: number;
  run_id: number;
  bonus_fen: number;
  employee_contributions_fen: number;
  employer_contributions_fen: number;
  taxable_ytd_fen: number;
  tax_fen: number;
  bonus_tax_fen: number;
  net_fen: number;
  employer_cost_fen: number;
  /** JSON of year-to-date totals. */
  ytd: string;
  /** JSON of the month as `ladder net` prints it: contribution lines and every explanation. */
  details: string;
}

export interface Database extends LevelTables, QaTables, ApplicationTables {
  pay_profiles: PayProfilesTable;
  special_deductions: SpecialDeductionsTable;
  annual_bonuses: AnnualBonusesTable;
  payslip_net: PayslipNetTable;
  settings: SettingsTable;
  teams: TeamsTable;
  employees: EmployeesTable;
  employee_history: EmployeeHistoryTable;
  agent_accounts: AgentAccountsTable;
  import_files: ImportFilesTable;
  attendance_months: AttendanceMonthsTable;
  conversations: ConversationsTable;
  conversation_blocks: ConversationBlocksTable;
  agent_day_stats: AgentDayStatsTable;
  agent_month_stats: AgentMonthStatsTable;
  agent_period_stats: AgentPeriodStatsTable;
  tickets: TicketsTable;
  csat_ratings: CsatRatingsTable;
  deductions: DeductionsTable;
  lead_points: LeadPointsTable;
  sales_months: SalesMonthsTable;
  sales_targets: SalesTargetsTable;
  policy_versions: PolicyVersionsTable;
  payroll_runs: PayrollRunsTable;
  payslips: PayslipsTable;
  payslip_lines: PayslipLinesTable;
  audit_log: AuditLogTable;
}

export type EmployeeRow = Selectable<EmployeesTable>;
export type EmployeeHistoryRow = Selectable<EmployeeHistoryTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
export type PayrollRunRow = Selectable<PayrollRunsTable>;
