import { Decimal } from '../money/decimal.js';
import { type Fen, yuanToFen } from '../money/fen.js';
import type { Bilingual, LevelDefinition, Policy } from '../policy/model.js';
import { describeBand, findBand } from './bands.js';
import type { ScoreMetrics } from './input.js';
import { flat, num, type PayLine, rememberText, yuan } from './line.js';

export interface ScorePerformance {
  scheme: 'score';
  deductions: Decimal;
  band: string;
  coefficient: Decimal | null;
  forfeited: boolean;
  grade: string;
  /** Total score of R-PAY-5; null when the band forfeits performance pay. */
  score: Decimal | null;
  pay: Fen;
  explain: Bilingual;
}

const ZERO = rememberText(new Decimal(0));

/** a × b, without arithmetic when either is zero (most counts of a month are). */
function product(a: Decimal, b: Decimal): Decimal {
  return a.isZero() || b.isZero() ? ZERO : a.times(b);
}

interface ScoreTerm {
  key: string;
  zh: string;
  en: string;
  value: Decimal;
  shown: string;
}

/** The grade of a month forfeited by a critical hit: the first grade the policy marks as not qualified. */
function unqualifiedGrade(policy: Policy): string {
  const lowest = Object.entries(policy.grades).find(([, grade]) => !grade.qualified);
  return lowest?.[0] ?? 'unqualified';
}

/** R-PAY-4…7 for one employee-month of the 2017 scheme. */
export function scorePerformance(
  policy: Policy,
  groupCode: string,
  level: LevelDefinition,
  metrics: ScoreMetrics,
  fullAttendance: boolean,
): { performance: ScorePerformance; line?: PayLine } {
  const group = policy.groups[groupCode];
  const bands = group?.bands ? policy.bands[group.bands] : undefined;
  if (!bands) throw new Error(`group ${groupCode} has no band table`);
  const { band, index } = findBand(bands, metrics.deductions);
  const range = describeBand(bands, index);
  const grade = policy.grades[band.grade];
  const gradeName = grade?.name ?? { zh: band.grade, en: band.grade };

  const forfeited = (gradeCode: string, explain: Bilingual) => ({
    performance: {
      scheme: 'score' as const,
      deductions: metrics.deductions,
      band: range,
      coefficient: null,
      forfeited: true,
      grade: gradeCode,
      score: null,
      pay: yuanToFen(ZERO),
      explain,
    },
  });
  if (metrics.qaCriticalHit) {
    return forfeited(unqualifiedGrade(policy), {
      zh: `本月质检致命项成立(扣分 ${num(metrics.deductions)}),按政策取消本月全部绩效工资`,
      en: `A critical QA item stands this month (deductions ${num(metrics.deductions)}): the policy forfeits the month's performance pay in full`,
    });
  }
  if (band.coefficient === null) {
    return forfeited(band.grade, {
      zh: `本月扣分 ${num(metrics.deductions)}(${range}),按系数表当月无绩效,绩效工资全额取消;等级 ${gradeName.zh}`,
      en: `Deductions ${num(metrics.deductions)} (${range}): the band forfeits this month's performance pay in full; grade ${gradeName.en}`,
    });
  }

  const { points, yuanPerPoint } = policy.score;
  const coefficient = band.coefficient;
  const terms: ScoreTerm[] = [
    {
      key: 'volume',
      zh: '接待量',
      en: 'conversations',
      value: product(product(metrics.conversations, points.conversation), coefficient),
      shown: `${num(metrics.conversations)}×${num(points.conversation)}×${num(coefficient)}`,
    },
    { key: 'execution', zh: '执行力', en: 'execution', value: metrics.execution, shown: num(metrics.execution) },
    {
      key: 'tickets',
      zh: '工单量',
      en: 'tickets',
      value: product(metrics.tickets, points.ticket),
      shown: `${num(metrics.tickets)}×${num(points.ticket)}`,
    },
    { key: 'rewards', zh: '奖励', en: 'rewards', value: metrics.rewards, shown: num(metrics.rewards) },
    {
      key: 'fullAttendance',
      zh: '全勤',
      en: 'full attendance',
      value: fullAttendance ? points.fullAttendance : ZERO,
      shown: fullAttendance ? num(points.fullAttendance) : '0',
    },
    {
      key: 'excellentCases',
      zh: '优秀案例',
      en: 'excellent cases',
      value: product(metrics.excellentCases, points.excellentCase),
      shown: `${num(metrics.excellentCases)}×${num(points.excellentCase)}`,
    },
    {
      key: 'levelBonus',
      zh: `等级加分(${level.name.zh})`,
      en: `level bonus (${level.name.en})`,
      value: level.levelBonus,
      shown: num(level.levelBonus),
    },
    {
      key: 'wrongTickets',
      zh: '错误工单',
      en: 'wrong tickets',
      value: product(metrics.wrongTickets, points.wrongTicket).negated(),
      shown: `${num(metrics.wrongTickets)}×${num(points.wrongTicket)}`,
    },
    { key: 'extra', zh: '额外加分', en: 'extra', value: metrics.extra, shown: num(metrics.extra) },
  ];
  // One pass makes the score, the line's inputs and the sum as written in Chinese, in English and
  // as a bare formula, each kept as parts and joined once (see `flat`).
  let score = ZERO;
  const sumZh: string[] = [];
  const sumEn: string[] = [];
  const sumFormula: string[] = [];
  const inputs: Record<string, string> = {
    deductions: num(metrics.deductions),
    coefficient: num(coefficient),
    yuanPerPoint: num(yuanPerPoint),
  };
  for (const term of terms) {
    score = term.value.isZero() ? score : score.plus(term.value);
    inputs[term.key] = num(term.value);
    const subtracted = term.key === 'wrongTickets';
    const shown = !subtracted && term.value.isNegative() ? `(${term.shown})` : term.shown;
    const joint = sumFormula.length === 0 ? '' : subtracted ? '− ' : '+ ';
    sumZh.push(joint, term.zh, ' ', shown, ' ');
    sumEn.push(joint, term.en, ' ', shown, ' ');
    sumFormula.push(joint, shown, ' ');
  }
  const payable = score.isNegative() ? ZERO : score;
  const pay = yuanToFen(payable.times(yuanPerPoint));

  const negativeZh = score.isNegative() ? ';总分为负,绩效工资按 0 计' : '';
  const negativeEn = score.isNegative() ? '; the score is negative, so performance pay is 0' : '';
  const scoreText = num(score);
  const explain: Bilingual = {
    zh: flat`本月扣分 ${num(metrics.deductions)}(${range})→ 系数 ${num(coefficient)},等级 ${gradeName.zh};总分 = ${sumZh.join('')}= ${scoreText};绩效工资 = ${num(payable)} × ${num(yuanPerPoint)} 元 = ${yuan(pay)} 元${negativeZh}`,
    en: flat`Deductions ${num(metrics.deductions)} (${range}) → coefficient ${num(coefficient)}, grade ${gradeName.en}; score = ${sumEn.join('')}= ${scoreText}; performance pay = ${num(payable)} × ${num(yuanPerPoint)} yuan = ${yuan(pay)} yuan${negativeEn}`,
  };
  const performance: ScorePerformance = {
    scheme: 'score',
    deductions: metrics.deductions,
    band: range,
    coefficient,
    forfeited: false,
    grade: band.grade,
    score,
    pay,
    explain,
  };
  if (pay === 0) return { performance };
  return {
    performance,
    line: {
      code: 'performance',
      amount: pay,
      rule: 'R-PAY-4',
      formula: flat`(${sumFormula.join('').trimEnd()}) × ${num(yuanPerPoint)}`,
      inputs,
      explain,
    },
  };
}
