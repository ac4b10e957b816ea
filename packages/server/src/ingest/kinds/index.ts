/** Every canonical kind's spec, by name. */
import type { CanonicalKind } from '../types.js';
import { agentAccounts } from './agent-accounts.js';
import { agentDaily } from './agent-daily.js';
import { agentPeriod } from './agent-period.js';
import { attendance } from './attendance.js';
import { conversations } from './conversations.js';
import { csat } from './csat.js';
import { deductions } from './deductions.js';
import { employees } from './employees.js';
import { leadPoints } from './lead-points.js';
import { sales } from './sales.js';
import { salesTargets } from './sales-targets.js';
import { annualBonuses } from './annual-bonuses.js';
import { payProfiles } from './pay-profiles.js';
import { specialDeductions } from './special-deductions.js';
import type { KindSpec } from './spec.js';
import { tickets } from './tickets.js';

export const KIND_SPECS: { [K in CanonicalKind]: KindSpec<K> } = {
  employees,
  'agent-accounts': agentAccounts,
  attendance,
  conversations,
  'agent-daily': agentDaily,
  'agent-period': agentPeriod,
  tickets,
  csat,
  deductions,
  'lead-points': leadPoints,
  sales,
  'sales-targets': salesTargets,
  'pay-profiles': payProfiles,
  'special-deductions': specialDeductions,
  'annual-bonuses': annualBonuses,
};
