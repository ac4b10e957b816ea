import { Decimal, divideRounded } from '../money/decimal.js';
import { type Fen, yuanToFen } from '../money/fen.js';
import { isQuarterEnd, isYearEnd, type Month } from '../period/period.js';
import type { Bilingual, BonusPeriod, BonusTier, Kpi, Policy } from '../policy/model.js';
import type { SalesFigures, SalesTarget } from './input.js';
import { money, num, type PayLine, percent, yuan } from './line.js';

export interface KpiScore {
  code: string;
  actual: Decimal;
  target: Decimal;
  score: Decimal;
}

export interface SalesPerformance {
  scheme: 'sales';
  coefficient: Decimal;
  kpis: KpiScore[];
  pay: Fen;
  explain: Bilingual;
}

function kpiActualAndTarget(kpi: Kpi, figures: SalesFigures): { actual: Decimal; target: Decimal } {
  switch (kpi.actual) {
    case 'monthSales':
      return { actual: figures.month.amount, target: figures.month.target };
    case 'csat':
      return { actual: figures.csat, target: kpi.target as Decimal };
    case 'complaintRate':
      return { actual: figures.complaintRate, target: kpi.target as Decimal };
    case 'teamwork':
      return { actual: figures.teamwork, target: kpi.target as Decimal };
  }
}

/** R-SAL-2: actual ÷ target (or target ÷ actual when lower is better), capped, rounded to the policy's places. */
export function kpiScore(kpi: Kpi, actual: Decimal, target: Decimal, cap: Decimal, decimals: number): Decimal {
  const [numerator, denominator] = kpi.better === 'higher' ? [actual, target] : [target, actual];
  // numerator ÷ denominator ≥ cap, tested by multiplying: also covers a "lower is better" actual of 0.
  if (numerator.greaterThanOrEqualTo(cap.times(denominator))) return cap.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  return divideRounded(numerator, denominator, decimals);
}

export function salesPerformance(
  policy: Policy,
  basePay: Decimal,
  figures: SalesFigures,
): { performance: SalesPerformance; line?: PayLine } {
  const rules = policy.sales;
  const kpis: KpiScore[] = rules.kpis.map((kpi) => {
    const { actual, target } = kpiActualAndTarget(kpi, figures);
    return { code: kpi.code, actual, target, score: kpiScore(kpi, actual, target, rules.kpiCap, rules.kpiScoreDecimals) };
  });
  const weighted = rules.kpis.reduce((sum, kpi, i) => sum.plus(kpi.weight.times((kpis[i] as KpiScore).score)), new Decimal(0));
  const coefficient = Decimal.min(Decimal.max(weighted, rules.coefficient.min), rules.coefficient.max);
  const pay = yuanToFen(basePay.times(coefficient));

  const parts = (lang: 'zh' | 'en') =>
    rules.kpis.map((kpi, i) => `${kpi.name[lang]} ${num(kpi.weight)}×${num((kpis[i] as KpiScore).score)}`).join(' + ');
  const clampedZh = coefficient.equals(weighted)
    ? ''
    : `,限定在 [${num(rules.coefficient.min)}, ${num(rules.coefficient.max)}] 内为 ${num(coefficient)}`;
  const clampedEn = coefficient.equals(weighted)
    ? ''
    : `, clamped to [${num(rules.coefficient.min)}, ${num(rules.coefficient.max)}]: ${num(coefficient)}`;
  const scoresZh = rules.kpis
    .map((kpi, i) => {
      const k = kpis[i] as KpiScore;
      return `${kpi.name.zh} ${num(k.actual)}/${num(k.target)}${kpi.better === 'lower' ? '(越低越好)' : ''} → ${num(k.score)}`;
    })
    .join(',');
  const scoresEn = rules.kpis
    .map((kpi, i) => {
      const k = kpis[i] as KpiScore;
      return `${kpi.name.en} ${num(k.actual)}/${num(k.target)}${kpi.better === 'lower' ? ' (lower is better)' : ''} → ${num(k.score)}`;
    })
    .join(', ');
  const explain: Bilingual = {
    zh: `指标得分(上限 ${num(rules.kpiCap)}):${scoresZh};绩效系数 = ${parts('zh')} = ${num(weighted)}${clampedZh};绩效工资 = 基本工资 ${money(basePay)} × ${num(coefficient)} = ${yuan(pay)} 元`,
    en: `KPI scores (cap ${num(rules.kpiCap)}): ${scoresEn}; coefficient = ${parts('en')} = ${num(weighted)}${clampedEn}; performance pay = base ${money(basePay)} × ${num(coefficient)} = ${yuan(pay)} yuan`,
  };
  const performance: SalesPerformance = { scheme: 'sales', coefficient, kpis, pay, explain };
  if (pay === 0) return { performance };
  const inputs: Record<string, string> = { basePay: money(basePay), coefficient: num(coefficient) };
  for (const k of kpis) inputs[`kpi.${k.code}`] = num(k.score);
  return {
    performance,
    line: { code: 'performance', amount: pay, rule: 'R-SAL-2', formula: `${money(basePay)} × ${num(coefficient)}`, inputs, explain },
  };
}

/** The highest tier whose bound the attainment amount ÷ target reaches (compared exactly); undefined below every tier. */
export function bonusTier(tiers: readonly BonusTier[], amount: Decimal, target: Decimal): BonusTier | undefined {
  let chosen: BonusTier | undefined;
  for (const tier of tiers) {
    const reached =
      (tier.atLeast !== undefined && amount.greaterThanOrEqualTo(tier.atLeast.times(target))) ||
      (tier.above !== undefined && amount.greaterThan(tier.above.times(target)));
    if (reached) chosen = tier;
  }
  return chosen;
}

const PERIOD_NAMES: Record<BonusPeriod, { zh: string; en: string }> = {
  month: { zh: '月度', en: 'monthly' },
  quarter: { zh: '季度', en: 'quarterly' },
  year: { zh: '年度', en: 'annual' },
};

function describeTier(tier: BonusTier): string {
  return tier.atLeast !== undefined ? `≥ ${percent(tier.atLeast)}` : `> ${percent(tier.above as Decimal)}`;
}

/** R-SAL-3: month bonus every month, quarter bonus in a quarter's last month, year bonus in December. */
export function targetBonusLines(policy: Policy, basePay: Decimal, figures: SalesFigures, period: Month): PayLine[] {
  const due: [BonusPeriod, SalesTarget | null][] = [['month', figures.month]];
  if (isQuarterEnd(period)) due.push(['quarter', figures.quarter]);
  if (isYearEnd(period)) due.push(['year', figures.year]);
  const lines: PayLine[] = [];
  for (const [bonusPeriod, figure] of due) {
    if (!figure) continue;
    const tier = bonusTier(policy.sales.bonuses[bonusPeriod], figure.amount, figure.target);
    if (!tier) continue;
    const amount = yuanToFen(basePay.times(tier.rate));
    if (amount === 0) continue;
    const attainment = divideRounded(figure.amount.times(100), figure.target, 2);
    const attained = `${num(figure.amount)} ÷ ${num(figure.target)} = ${num(attainment)}%`;
    lines.push({
      code: `bonus_${bonusPeriod}`,
      amount,
      rule: 'R-SAL-3',
      formula: `${money(basePay)} × ${num(tier.rate)}`,
      inputs: {
        amount: num(figure.amount),
        target: num(figure.target),
        attainmentPercent: num(attainment),
        rate: num(tier.rate),
        basePay: money(basePay),
      },
      explain: {
        zh: `${PERIOD_NAMES[bonusPeriod].zh}目标奖金:完成率 ${attained}(${describeTier(tier)}),基本工资 ${money(basePay)} × ${percent(tier.rate)} = ${yuan(amount)} 元`,
        en: `${PERIOD_NAMES[bonusPeriod].en} target bonus: attainment ${attained} (${describeTier(tier)}), base ${money(basePay)} × ${percent(tier.rate)} = ${yuan(amount)} yuan`,
      },
    });
  }
  return lines;
}
