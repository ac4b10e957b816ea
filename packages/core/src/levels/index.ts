/** The quarterly level evaluation (SPEC §7 R-LVL, §12 R-EXT-1/3; CALC-FORMAT.md, evaluate). */
export {
  type CollectionRequirement,
  type LevelCatalog,
  type LevelRaise,
  type LevelRules,
  type MonthlyIndicator,
  type PayEffectMode,
  type Requirement,
  type RequirementIndicator,
  type Review360Weights,
  type TenureSince,
  type TrackLevelRules,
  checkLevelRules,
  levelRulesField,
  MONTH_HOLD_INDICATORS,
  MONTHLY_INDICATORS,
  parseLevelRules,
  parsePolicyYamlData,
  readLevelRules,
  REQUIREMENT_INDICATORS,
  TENURE_SINCE,
} from './policy.js';
export { type LevelMonth, type LevelPerson, type QuarterInput, type Review360Ratings, dayAfterQuarter, readQuarterInput } from './input.js';
export { type LevelCheck, type PeerAverage, peerAverages } from './checks.js';
export {
  type LevelDecision,
  type LevelEvaluation,
  type LevelPayEffect,
  type QuarterEvaluation,
  evaluatePeople,
  evaluateQuarter,
} from './evaluate.js';
export { type LadderItem, type LadderStanding, ladderView } from './view.js';
export { levelCheckToJson, levelEvaluationToJson, quarterEvaluationToJson } from './format.js';
export { LEVEL_INDICATOR_NAMES } from './text.js';
