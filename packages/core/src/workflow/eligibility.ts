/**
 * R-APP-1: whether an application may be submitted — time in level or position, performance in
 * the period, the internal test and no internal complaint — each indicator explained with its
 * value, threshold and verdict, in zh and en, by the code that compares them.
 */
import { Decimal, formatDecimal } from '../money/decimal.js';
import { addMonthsToDate, type IsoDate } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import { PROMOTION_INDICATORS, type PromotionIndicator, type PromotionRequirement, type PromotionRules } from './promotion-policy.js';

/** What the service knows of the applicant on the day of submission; the figures cover the performance period. */
export interface ApplicantFacts {
  hiredOn?: IsoDate;
  levelSince?: IsoDate;
  positionSince?: IsoDate;
  csat?: Decimal;
  complaintResolutionRate?: Decimal;
  /** Average handle time, seconds. */
  handleTime?: Decimal;
  testScore?: Decimal;
  internalComplaints?: number;
}

/** level: a level jump outside the quarterly evaluation; position: the management track (R-POS-1). */
export type PromotionTrack = 'level' | 'position';

export interface PromotionTarget {
  track: PromotionTrack;
  /** The current level or position code; null for an agent applying for the first position. */
  from: string | null;
  to: string;
}

export interface EligibilityCheck {
  indicator: PromotionIndicator | 'target';
  value: string | null;
  threshold: string;
  pass: boolean;
  explain: Bilingual;
}

export interface Eligibility {
  eligible: boolean;
  checks: EligibilityCheck[];
  /** One sentence: eligible, or every indicator that failed. */
  explain: Bilingual;
}

export const PROMOTION_INDICATOR_NAMES: Record<PromotionIndicator | 'target', Bilingual> = {
  target: { zh: '申请目标', en: 'target' },
  tenure: { zh: '任职时间', en: 'time in post' },
  csat: { zh: '客户满意度', en: 'CSAT' },
  complaintResolutionRate: { zh: '投诉解决率', en: 'complaint resolution rate' },
  handleTime: { zh: '平均处理时长', en: 'average handle time' },
  testScore: { zh: '内部考试成绩', en: 'internal test score' },
  internalComplaints: { zh: '内部投诉', en: 'internal complaints' },
};

const SINCE_NAMES: Record<string, Bilingual> = {
  levelSince: { zh: '任现等级', en: 'in the current level' },
  positionSince: { zh: '任现职位', en: 'in the current position' },
  hiredOn: { zh: '入职', en: 'since hire' },
};

const verdict = (pass: boolean): Bilingual => (pass ? { zh: '达标', en: 'met' } : { zh: '未达标', en: 'not met' });
const percent = (rate: Decimal) => `${formatDecimal(rate.times(100).toDecimalPlaces(2))}%`;

function requirementFor(rules: PromotionRules, target: PromotionTarget): { requirement?: PromotionRequirement; check: EligibilityCheck } {
  const name = PROMOTION_INDICATOR_NAMES.target;
  const fail = (zh: string, en: string): { check: EligibilityCheck } => ({
    check: {
      indicator: 'target',
      value: target.to,
      threshold: '',
      pass: false,
      explain: { zh: `${name.zh}:${zh}`, en: `${name.en}: ${en}` },
    },
  });
  if (target.track === 'level') {
    if (!target.to || target.to === target.from)
      return fail('须申请与现等级不同的等级', 'the level applied for must differ from the current one');
    return {
      requirement: rules.level,
      check: {
        indicator: 'target',
        value: target.to,
        threshold: 'level',
        pass: true,
        explain: {
          zh: `${name.zh}:由 ${target.from ?? '—'} 跳级至 ${target.to}`,
          en: `${name.en}: level jump from ${target.from ?? '—'} to ${target.to}`,
        },
      },
    };
  }
  const index = rules.positions.findIndex((p) => p.code === target.to);
  const position = rules.positions[index];
  if (!position) {
    return fail(
      `${target.to} 不是管理序列的职位(${rules.positions.map((p) => p.code).join('、')})`,
      `${target.to} is not a position of the management track (${rules.positions.map((p) => p.code).join(', ')})`,
    );
  }
  const previous = index === 0 ? undefined : rules.positions[index - 1];
  const expectedFrom = previous?.code ?? null;
  if (target.from !== expectedFrom) {
    const need = previous
      ? { zh: `现任${previous.name.zh}`, en: `a ${previous.name.en}` }
      : { zh: '未任管理职位者', en: 'someone holding no position' };
    return fail(`${position.name.zh}须由${need.zh}申请,逐级晋升`, `${position.name.en} is applied for by ${need.en}, one step at a time`);
  }
  return {
    requirement: position.requires,
    check: {
      indicator: 'target',
      value: target.to,
      threshold: 'position',
      pass: true,
      explain: { zh: `${name.zh}:晋升为${position.name.zh}`, en: `${name.en}: promotion to ${position.name.en}` },
    },
  };
}

function missing(indicator: PromotionIndicator, threshold: string): EligibilityCheck {
  const name = PROMOTION_INDICATOR_NAMES[indicator];
  return {
    indicator,
    value: null,
    threshold,
    pass: false,
    explain: { zh: `${name.zh}:无数据(需 ${threshold}):未达标`, en: `${name.en}: no figure (needs ${threshold}): not met` },
  };
}

function compare(
  indicator: PromotionIndicator,
  value: Decimal | undefined,
  bound: Decimal,
  atLeast: boolean,
  show: (d: Decimal) => string,
): EligibilityCheck {
  const threshold = `${atLeast ? '≥' : '≤'} ${show(bound)}`;
  if (value === undefined) return missing(indicator, threshold);
  const pass = atLeast ? value.greaterThanOrEqualTo(bound) : value.lessThanOrEqualTo(bound);
  const name = PROMOTION_INDICATOR_NAMES[indicator];
  return {
    indicator,
    value: show(value),
    threshold,
    pass,
    explain: {
      zh: `${name.zh} ${show(value)},需 ${threshold}:${verdict(pass).zh}`,
      en: `${name.en} ${show(value)}, needs ${threshold}: ${verdict(pass).en}`,
    },
  };
}

function tenureCheck(tenure: NonNullable<PromotionRequirement['tenure']>, facts: ApplicantFacts, on: IsoDate): EligibilityCheck {
  const threshold = `≥ ${tenure.months} months ${tenure.since}`;
  const since = facts[tenure.since];
  if (since === undefined) return missing('tenure', threshold);
  const reached = addMonthsToDate(since, tenure.months);
  const pass = reached <= on;
  const from = SINCE_NAMES[tenure.since] ?? { zh: tenure.since, en: tenure.since };
  return {
    indicator: 'tenure',
    value: since,
    threshold,
    pass,
    explain: {
      zh: `任职时间:${since} 起${from.zh},满 ${tenure.months} 个月之日为 ${reached},${pass ? '不晚于' : '晚于'}申请日 ${on}:${verdict(pass).zh}`,
      en: `time in post: ${from.en} since ${since}; ${tenure.months} months are complete on ${reached}, ${pass ? 'on or before' : 'after'} the application on ${on}: ${verdict(pass).en}`,
    },
  };
}

/** R-APP-1: every indicator of the requirement for the target, on the day of submission. */
export function checkEligibility(rules: PromotionRules, target: PromotionTarget, facts: ApplicantFacts, on: IsoDate): Eligibility {
  const { requirement, check } = requirementFor(rules, target);
  const checks: EligibilityCheck[] = [check];
  if (requirement) {
    for (const indicator of PROMOTION_INDICATORS) {
      switch (indicator) {
        case 'tenure':
          if (requirement.tenure) checks.push(tenureCheck(requirement.tenure, facts, on));
          break;
        case 'csat':
        case 'complaintResolutionRate':
          if (requirement[indicator]) checks.push(compare(indicator, facts[indicator], requirement[indicator].atLeast, true, percent));
          break;
        case 'handleTime':
          if (requirement.handleTime)
            checks.push(compare(indicator, facts.handleTime, requirement.handleTime.atMost, false, (d) => `${formatDecimal(d)}s`));
          break;
        case 'testScore':
          if (requirement.testScore) checks.push(compare(indicator, facts.testScore, requirement.testScore.atLeast, true, formatDecimal));
          break;
        case 'internalComplaints':
          if (requirement.internalComplaints) {
            const value = facts.internalComplaints === undefined ? undefined : new Decimal(facts.internalComplaints);
            checks.push(compare(indicator, value, new Decimal(requirement.internalComplaints.atMost), false, formatDecimal));
          }
          break;
      }
    }
  }
  const failed = checks.filter((c) => !c.pass);
  return {
    eligible: failed.length === 0,
    checks,
    explain:
      failed.length === 0
        ? { zh: '符合申请条件', en: 'eligible' }
        : {
            zh: `不符合申请条件:${failed.map((c) => c.explain.zh).join(';')}`,
            en: `not eligible: ${failed.map((c) => c.explain.en).join('; ')}`,
          },
  };
}
