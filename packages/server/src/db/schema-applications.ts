import type { Generated, Selectable } from 'kysely';

/**
 * Row types of promotion applications (R-APP), created by migration 20261127T2100-applications.
 * Scores and rates are exact decimals as text; days 'YYYY-MM-DD'; timestamps ISO-8601 UTC text.
 */

export type ApplicationTrack = 'level' | 'position';
/** core's PromotionState. */
export type ApplicationStatus =
  'draft' | 'submitted' | 'panel_review' | 'decision_pending' | 'approved' | 'on_notice' | 'rejected' | 'effective' | 'withdrawn';

export interface ApplicationsTable {
  id: Generated<number>;
  applicant_id: number;
  track: ApplicationTrack;
  /** The level or position applied from; null for an agent applying for the first position. */
  from_code: string | null;
  to_code: string;
  work_summary: string;
  achievements: string;
  status: ApplicationStatus;
  /** JSON of core's PromotionCase (decimals as text): what `transition` continues from. */
  state: string;
  /** Bumped by every step: a step written against an older revision is refused. */
  revision: number;
  /** The policy version whose `promotion` rules were in force at submission. */
  policy_version_id: number;
  notice_opens_on: string | null;
  notice_closes_on: string | null;
  effective_on: string | null;
  /** The employee_history row the promotion wrote when it took effect. */
  history_id: number | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** Append-only (triggers on both dialects): one row per step, R-APP-3. */
export interface ApplicationStepsTable {
  id: Generated<number>;
  application_id: number;
  /** 1, 2, … within the application. */
  seq: number;
  event: string;
  from_status: string;
  to_status: string;
  actor: string;
  role: string;
  /** The day of the step (China time). */
  on_day: string;
  at: string;
  opinion: string | null;
  interview_score: string | null;
  case_analysis_score: string | null;
  /** JSON of what else the step carried (recommendation, outcome, objection, notice, effective date, facts). */
  details: string | null;
}

/** Append-only: figures a manager records for an indicator the store has no data for. */
export interface ApplicationFiguresTable {
  id: Generated<number>;
  employee_id: number;
  recorded_on: string;
  csat: string | null;
  complaint_resolution_rate: string | null;
  handle_time_s: string | null;
  test_score: string | null;
  internal_complaints: number | null;
  note: string | null;
  recorded_at: string;
  recorded_by: string;
}

export interface ApplicationTables {
  applications: ApplicationsTable;
  application_steps: ApplicationStepsTable;
  application_figures: ApplicationFiguresTable;
}

export type ApplicationRow = Selectable<ApplicationsTable>;
export type ApplicationStepRow = Selectable<ApplicationStepsTable>;
