/** The quarterly level evaluation from the store (R-LVL, R-EXT-1, R-EXT-3): evaluate, review, approve, the ladder view, training records. */
export { type LevelDatabase, type LevelDb, levelDb } from './db.js';
export {
  type EvaluatedPerson,
  type MonthFigures,
  type NotEvaluated,
  type PersonFigures,
  readQuarterFromStore,
  type StoreQuarter,
} from './quarter-input.js';
export { chinaDay, type ComputedQuarter, computeQuarter, evaluateLevels, quarterArgument } from './evaluate.js';
export {
  approveQuarter,
  decideProposal,
  LEVEL_REASON,
  type LevelChange,
  type LevelProposalLine,
  type LevelProposalView,
  levelOverview,
  levelReview,
  levelReviewJson,
  type LevelReviewOverview,
  type LevelReviewSummary,
  proposalDecisionJson,
  type QuarterApproval,
} from './review.js';
export { ladderStandings, type StoredLadderStanding } from './ladder-view.js';
export {
  type CertificateRecord,
  type CompletionRecord,
  type CourseRecord,
  type ExamResultRecord,
  type RecordCounts,
  record360Reviews,
  recordCertificates,
  recordCourseCompletions,
  recordCourses,
  recordExamResults,
  type Review360Record,
} from './training.js';
