import type { Decimal } from '../money/decimal.js';
import type { LevelRules } from '../levels/policy.js';
import type { QaRules } from '../qa/policy.js';
import type { PromotionRules } from '../workflow/promotion-policy.js';
import type { IsoDate } from '../period/period.js';

/** A text in both languages the product speaks. */
export interface Bilingual {
  zh: string;
  en: string;
}

export type PayScheme = 'score' | 'sales';

export interface LevelDefinition {
  code: string;
  name: Bilingual;
  /** Monthly base pay in yuan (R-PAY-2, R-SAL-1). */
  basePay: Decimal;
  /** Level bonus points added to the score (R-PAY-5); only read by the score scheme. */
  levelBonus: Decimal;
}

export interface Track {
  name: Bilingual;
  levels: LevelDefinition[];
}

/** One coefficient band of R-PAY-6: an upper bound (≤ upTo or < below), or none for the last. */
export interface Band {
  upTo?: Decimal;
  below?: Decimal;
  /** null when the band forfeits the month's performance pay. */
  coefficient: Decimal | null;
  grade: string;
}

export interface Grade {
  name: Bilingual;
  /** False for grades below qualified, which need the director's sign-off (R-PAY-7). */
  qualified: boolean;
}

export interface Group {
  name: Bilingual;
  scheme: PayScheme;
  track: string;
  /** Coefficient table for the score scheme. */
  bands?: string;
}

export interface LeaveType {
  name: Bilingual;
  /** Share of the day's base pay still paid on this leave (1 = fully paid). */
  payRate: Decimal;
  keepsFullAttendance: boolean;
}

export type OvertimeKind = 'workday' | 'restDay' | 'holiday';
export const OVERTIME_KINDS: readonly OvertimeKind[] = ['workday', 'restDay', 'holiday'];

export interface AttendanceRules {
  paidDaysPerMonth: Decimal;
  hoursPerDay: Decimal;
  overtime: Record<OvertimeKind, Decimal>;
  leave: Record<string, LeaveType>;
}

export interface ScoreRules {
  yuanPerPoint: Decimal;
  points: {
    conversation: Decimal;
    ticket: Decimal;
    wrongTicket: Decimal;
    fullAttendance: Decimal;
    excellentCase: Decimal;
  };
}

export type KpiActual = 'monthSales' | 'csat' | 'complaintRate' | 'teamwork';
export const KPI_ACTUALS: readonly KpiActual[] = ['monthSales', 'csat', 'complaintRate', 'teamwork'];

export interface Kpi {
  code: string;
  name: Bilingual;
  weight: Decimal;
  better: 'higher' | 'lower';
  actual: KpiActual;
  /** Fixed target; absent for monthSales, whose target is the person's own. */
  target?: Decimal;
}

/** A bonus tier: applies when attainment ≥ atLeast (or > above); the highest applying tier wins. */
export interface BonusTier {
  atLeast?: Decimal;
  above?: Decimal;
  rate: Decimal;
}

export type BonusPeriod = 'month' | 'quarter' | 'year';
export const BONUS_PERIODS: readonly BonusPeriod[] = ['month', 'quarter', 'year'];

export interface SalesRules {
  kpiCap: Decimal;
  kpiScoreDecimals: number;
  coefficient: { min: Decimal; max: Decimal };
  kpis: Kpi[];
  bonuses: Record<BonusPeriod, BonusTier[]>;
}

export interface Allowance {
  code: string;
  name: Bilingual;
  amount: Decimal;
  groups: string[];
  /** Restricts to these levels; all levels when absent. */
  levels?: string[];
  /** Reduced by unpaid days like base pay. */
  prorate: boolean;
}

export interface Commission {
  code: string;
  name: Bilingual;
  /** Share of the month's sales amount. */
  rate: Decimal;
  groups: string[];
}

/** One version of a policy: every rule value of the SPEC lives here, none in code. */
export interface Policy {
  policy: string;
  version: string;
  effectiveFrom: IsoDate;
  name: Bilingual;
  reference?: string;
  attendance: AttendanceRules;
  score: ScoreRules;
  sales: SalesRules;
  tracks: Record<string, Track>;
  bands: Record<string, Band[]>;
  grades: Record<string, Grade>;
  groups: Record<string, Group>;
  allowances: Allowance[];
  commissions: Commission[];
  /** Quarterly level evaluation (R-LVL); absent in a policy that does not evaluate levels. */
  levels?: LevelRules;
  /** Quality inspection and disputes (R-QA, R-DSP-1). */
  qa?: QaRules;
  /** Promotion by application (R-APP, R-POS-1). */
  promotion?: PromotionRules;
}
