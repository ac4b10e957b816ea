import type { Generated, Selectable } from 'kysely';

/**
 * Row types of quality inspection and disputes (R-QA, R-DSP, R-PAY-7 sign-offs), created by
 * migration 20261127T2000-qa. Points are exact decimals as text; days 'YYYY-MM-DD'; months
 * 'YYYY-MM'; timestamps ISO-8601 UTC text; flags 0/1 integers; people are user logins (an
 * employee number for employees, a staff login otherwise).
 */

export type QaRoleCode = 'agent' | 'team_lead' | 'qa_inspector' | 'qa_manager' | 'vip_manager' | 'cs_manager' | 'hr' | 'director' | 'admin';
export type QaInspectionStatus = 'assigned' | 'in_progress' | 'submitted' | 'published' | 'disputed';
export type QaDisputeStatus = 'none' | 'filed' | 'under_review' | 'escalated' | 'closed';
export type QaSignOffStatus = 'pending' | 'returned' | 'signed' | 'withdrawn';
export type QaForfeitureStatus = 'open' | 'acknowledged' | 'void';
export type QaStepEntity = 'inspection' | 'dispute' | 'sign_off';

/** A person who acts in the workflows: an employee (login = employee number) or a staff login. */
export interface UsersTable {
  id: Generated<number>;
  login: string;
  name: string;
  employee_id: number | null;
  created_at: string;
  created_by: string;
}

/** A role held by a user; a team lead's role names the team (teams.id). Revoked roles are kept. */
export interface UserRolesTable {
  id: Generated<number>;
  user_id: number;
  role: QaRoleCode;
  team_id: number | null;
  granted_at: string;
  granted_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** R-QA-1: one agent's sample of one day. */
export interface QaSamplesTable {
  id: Generated<number>;
  employee_id: number;
  day: string;
  group_code: string;
  sample_size: number;
  /** Distinct conversations the agent had that day when the sample was last drawn. */
  available: number;
  /** 1 on the first draw, +1 per re-draw. */
  revision: number;
  drawn_at: string;
  drawn_by: string;
}

/** A conversation of a sample; a re-draw marks removed ones, never deletes them. */
export interface QaSampleItemsTable {
  id: Generated<number>;
  sample_id: number;
  conversation_id: number;
  /** 'source:external_id': what the HMAC rank is computed over. */
  conversation_key: string;
  rank: string;
  added_revision: number;
  removed_revision: number | null;
}

export interface QaInspectionsTable {
  id: Generated<number>;
  sample_item_id: number;
  conversation_id: number;
  employee_id: number;
  day: string;
  kind: 'conversations';
  /** The assigned inspector's login. */
  inspector: string;
  status: QaInspectionStatus;
  scorecard: string;
  scorecard_version: string;
  published_on: string | null;
  /** The published deduction total (decimal text). */
  total_points: string | null;
  created_at: string;
  updated_at: string;
  /** Set when a re-draw took the conversation out of the sample before the inspection started. */
  withdrawn_at: string | null;
  withdrawn_reason: string | null;
}

/** R-QA-2: one scorecard item of an inspection: hit or not, how often, note, evidence, who, when. */
export interface QaInspectionItemsTable {
  id: Generated<number>;
  inspection_id: number;
  item: string;
  hit: number;
  count: number;
  /** Points per occurrence from the scorecard version (decimal text). */
  points: string;
  critical: number;
  note: string | null;
  /** A message reference in the conversation (message id, timestamp …). */
  evidence: string | null;
  recorded_by: string;
  recorded_at: string;
  /** The deduction written when the inspection was published (origin 'qa'). */
  deduction_id: number | null;
}

/** Every step of an inspection, dispute or sign-off (append-only): the case history of the core machines. */
export interface QaStepsTable {
  id: Generated<number>;
  entity: QaStepEntity;
  entity_id: number;
  seq: number;
  event: string;
  from_state: string;
  to_state: string;
  by_user: string;
  as_role: string;
  on_day: string;
  at: string;
  opinion: string | null;
}

/** R-DSP: a dispute of a published inspection item or of the month's result. */
export interface QaDisputesTable {
  id: Generated<number>;
  employee_id: number;
  month: string;
  subject_kind: 'inspection_item' | 'month_result';
  inspection_id: number | null;
  item: string | null;
  /** The disputed item's points as published (decimal text). */
  points: string | null;
  published_on: string;
  /** JSON list of logins whose result is disputed (they decide nothing in it). */
  respondents: string;
  cutoff_on: string;
  below_qualified: number;
  status: QaDisputeStatus;
  /** JSON { on, by, because }. */
  escalation: string | null;
  /** JSON of the panel's decision (kept when the case went on to the director). */
  panel_decision: string | null;
  /** JSON of the decision that closed the case. */
  decision: string | null;
  /** The disputed deduction and, after a changed outcome, its replacement. */
  deduction_id: number | null;
  replacement_deduction_id: number | null;
  filed_at: string;
  updated_at: string;
}

/** R-DSP-2: one panel member's view. */
export interface QaDisputeViewsTable {
  id: Generated<number>;
  dispute_id: number;
  seat: 'qa_manager' | 'vip_manager' | 'team_lead';
  by_user: string;
  on_day: string;
  view: 'upheld' | 'overturned' | 'changed';
  points: string | null;
  opinion: string;
  recorded_at: string;
}

/** R-PAY-7, R-DSP-3: the director's sign-off of a below-qualified month. */
export interface QaSignOffsTable {
  id: Generated<number>;
  employee_id: number;
  month: string;
  grade: string;
  status: QaSignOffStatus;
  created_at: string;
  created_by: string;
  updated_at: string;
}

/**
 * R-QA-2: a critical item that stands, under a policy where it forfeits the month's performance
 * pay. The pay engine has no input for it yet: the fact is kept here and blocks approval until
 * the director acknowledges it (or a dispute overturns the item: void).
 */
export interface QaForfeituresTable {
  id: Generated<number>;
  employee_id: number;
  month: string;
  inspection_id: number;
  item: string;
  status: QaForfeitureStatus;
  recorded_at: string;
  decided_at: string | null;
  decided_by: string | null;
  note: string | null;
}

/** A calibration session: several inspectors score the same conversations. */
export interface QaCalibrationsTable {
  id: Generated<number>;
  title: string;
  group_code: string;
  /** The day whose scorecard version is used. */
  day: string;
  scorecard: string;
  scorecard_version: string;
  /** JSON list of the inspectors' logins. */
  inspectors: string;
  status: 'open' | 'closed';
  created_at: string;
  created_by: string;
  closed_at: string | null;
}

export interface QaCalibrationConversationsTable {
  calibration_id: number;
  conversation_id: number;
}

export interface QaCalibrationScoresTable {
  id: Generated<number>;
  calibration_id: number;
  conversation_id: number;
  inspector: string;
  item: string;
  hit: number;
  count: number;
  note: string | null;
  recorded_at: string;
}

export interface QaTables {
  users: UsersTable;
  user_roles: UserRolesTable;
  qa_samples: QaSamplesTable;
  qa_sample_items: QaSampleItemsTable;
  qa_inspections: QaInspectionsTable;
  qa_inspection_items: QaInspectionItemsTable;
  qa_steps: QaStepsTable;
  qa_disputes: QaDisputesTable;
  qa_dispute_views: QaDisputeViewsTable;
  qa_sign_offs: QaSignOffsTable;
  qa_forfeitures: QaForfeituresTable;
  qa_calibrations: QaCalibrationsTable;
  qa_calibration_conversations: QaCalibrationConversationsTable;
  qa_calibration_scores: QaCalibrationScoresTable;
}

export type QaInspectionRow = Selectable<QaInspectionsTable>;
export type QaDisputeRow = Selectable<QaDisputesTable>;
export type QaSignOffRow = Selectable<QaSignOffsTable>;
