import type { Generated, Selectable } from 'kysely';

/**
 * Row types of the level review (R-LVL), training, knowledge tests, certificates and 360 reviews
 * (R-EXT-1, R-EXT-3), created by migration 20261127T1900-levels. Scores are exact decimals as
 * text; days 'YYYY-MM-DD'; quarters 'YYYY-Qn'; timestamps ISO-8601 UTC text.
 */

export type LevelReviewStatus = 'proposed' | 'reviewed' | 'approved';
export type LevelProposalStatus = 'proposed' | 'approved' | 'rejected';
export type LevelDecisionCode = 'promote' | 'keep' | 'demote' | 'review_dismissal';
export type ReviewerRole = 'self' | 'manager' | 'peer';

/** One per quarter. */
export interface LevelReviewsTable {
  id: Generated<number>;
  quarter: string;
  status: LevelReviewStatus;
  /** The policy version in force on the quarter's first day, whose `levels` rules were applied. */
  policy_version_id: number;
  /** The first day of the month after the quarter (R-LVL-6). */
  effective_from: string;
  revision: number;
  /** JSON list of { employeeNo, message }: who was not evaluated and why. */
  notes: string;
  created_at: string;
  created_by: string;
  computed_at: string;
  computed_by: string;
  reviewed_at: string | null;
  reviewed_by: string | null;
  approved_at: string | null;
  approved_by: string | null;
  approval_note: string | null;
}

/** One per evaluated employee and quarter: the decision of `evaluateQuarter`, as `ladder evaluate` prints it. */
export interface LevelProposalsTable {
  id: Generated<number>;
  review_id: number;
  employee_id: number;
  group_code: string;
  track: string;
  decision: LevelDecisionCode;
  from_level: string;
  to_level: string;
  effective_from: string;
  /** JSON list of checks as `ladder evaluate` prints them. */
  checks: string;
  /** JSON { zh, en }. */
  explain: string;
  /** JSON of the pay effect (R-LVL-6) as `ladder evaluate` prints it; null when the level stays. */
  pay_effect: string | null;
  /** JSON of the figures read from the store, with where each came from. */
  inputs: string;
  status: LevelProposalStatus;
  reviewed_at: string | null;
  reviewed_by: string | null;
  note: string | null;
  /** The employee_history row the approval wrote. */
  history_id: number | null;
}

export interface TrainingCoursesTable {
  id: Generated<number>;
  code: string;
  name: string;
  hours: string | null;
  created_at: string;
  created_by: string;
}

export interface CourseCompletionsTable {
  id: Generated<number>;
  employee_id: number;
  course_id: number;
  completed_on: string;
  score: string | null;
  recorded_at: string;
  recorded_by: string;
}

/** A knowledge test (知识考试) session. */
export interface ExamsTable {
  id: Generated<number>;
  code: string;
  name: string;
  created_at: string;
  created_by: string;
}

export interface ExamResultsTable {
  id: Generated<number>;
  exam_id: number;
  employee_id: number;
  taken_on: string;
  /** 0–100. */
  score: string;
  recorded_at: string;
  recorded_by: string;
}

export interface CertificatesTable {
  id: Generated<number>;
  employee_id: number;
  code: string;
  name: string;
  issued_on: string;
  expires_on: string | null;
  recorded_at: string;
  recorded_by: string;
}

export interface Reviews360Table {
  id: Generated<number>;
  employee_id: number;
  quarter: string;
  reviewer_role: ReviewerRole;
  /** Who rated: the employee number of a colleague, or the manager's user name. */
  reviewer: string;
  /** 0–100. */
  score: string;
  recorded_at: string;
  recorded_by: string;
}

export interface LevelTables {
  level_reviews: LevelReviewsTable;
  level_proposals: LevelProposalsTable;
  training_courses: TrainingCoursesTable;
  course_completions: CourseCompletionsTable;
  exams: ExamsTable;
  exam_results: ExamResultsTable;
  certificates: CertificatesTable;
  reviews_360: Reviews360Table;
}

/**
 * The column the same migration adds to `agent_day_stats` (add it to AgentDayStatsTable in
 * schema.ts): the satisfaction rate an `agent-daily` platform reports, 0–1 as decimal text.
 */
export interface AgentDaySatisfactionColumn {
  satisfaction_rate: string | null;
}

export type LevelReviewRow = Selectable<LevelReviewsTable>;
export type LevelProposalRow = Selectable<LevelProposalsTable>;
