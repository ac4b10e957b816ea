/** Quality inspection and disputes from the store (R-QA, R-DSP, R-PAY-7 sign-offs). */
import { addApprovalCheck } from '../payroll/runs.js';
import { qaApprovalCheck } from './signoffs.js';

export { type AgentOnDay, agentByNo, agentsOnDay } from './agents.js';
export { type Board, board, type BoardRow, boardSheets, isoWeek, monthPeriod, type Period, TITLES, writeBoardXlsx } from './board.js';
export {
  type CalibrationItemRow,
  type CalibrationReport,
  calibrationReport,
  type CalibrationRequest,
  closeCalibration,
  createCalibration,
  scoreCalibration,
} from './calibration.js';
export { type Assignment, eligibleInspectors, openWorkload, pickInspector } from './assignment.js';
export { chinaDay, hasQaTables, type QaDatabase, type QaDb, qaDb } from './db.js';
export {
  type EfficiencyDeduction,
  enterDeduction,
  findInspection,
  type InspectionRef,
  type InspectionStep,
  type InspectionStepResult,
  type InspectionView,
  inspectionView,
  type ItemEntry,
  listInspections,
  scoreInspection,
  stepInspection,
} from './inspections.js';
export { type DailyAgentRow, type DailyReport, dailyReport, dailyReportSheet, writeDailyReportXlsx } from './reports.js';
export { CUTOFF_DAY, cutoffOf, qaPolicy, recomputeDraft } from './policy.js';
export { conversationKey } from '../conversations/qa-rows.js';
export {
  checkSample,
  type DayDraw,
  drawDay,
  type Redrawn,
  redrawSample,
  SALT_SETTING,
  type SampleCheck,
  samplingSalt,
} from './sampling.js';
export {
  acknowledgeForfeiture,
  belowQualifiedPayslips,
  listSignOffs,
  qaApprovalCheck,
  type QaBlocker,
  qaBlockers,
  recomputeAndSync,
  requestSignOffs,
  requireMonth,
  type SignOffView,
  signOffView,
  stepSignOff,
} from './signoffs.js';
export {
  type DisputeRequest,
  type DisputeStep,
  type DisputeView,
  disputeView,
  fileDispute,
  listDisputes,
  stepDispute,
} from './disputes.js';
export {
  actingAs,
  grantRole,
  type GrantRequest,
  listUsers,
  loginsWithRole,
  type QaActor,
  resolveActor,
  revokeRole,
  type UserView,
} from './users.js';

let registered = false;

/** Registers the QA approval blockers (R-DSP-3) with the payroll runs, once per process. */
export function registerQaApprovalChecks(): void {
  if (registered) return;
  registered = true;
  addApprovalCheck(qaApprovalCheck);
}
