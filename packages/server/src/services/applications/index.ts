/** R-APP: promotion applications in the store. */
export { type ApplicationDatabase, type ApplicationDb, appDb } from './db.js';
export { type FactName, gatherFacts, type GatheredFacts } from './facts.js';
export {
  type ApplicationView,
  decideApplication,
  type FiguresRequest,
  giveOpinion,
  listApplications,
  makeEffective,
  objectToApplication,
  publishNotice,
  recordFigures,
  ruleOnObjection,
  scorePanel,
  showApplication,
  submitApplication,
  type SubmitRequest,
  withdrawApplication,
} from './applications.js';
