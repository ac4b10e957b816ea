/**
 * The indicators of R-LVL-3…5, each measured into a check that carries its value, threshold,
 * pass/fail, its explanation and — when it fails — what is missing (R-LVL-7). The explanation is
 * produced by the same code that makes the comparison.
 */
import { Decimal } from '../money/decimal.js';
import { addMonthsToDate, compareDates, type IsoDate, type Month } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import type { LevelMonth, LevelPerson, QuarterInput } from './input.js';
import type { CollectionRequirement, LevelRules, MonthlyIndicator, Requirement, RequirementIndicator } from './policy.js';
import { REQUIREMENT_INDICATORS } from './policy.js';
import { type Comparison, indicatorName, joinEn, joinZh, meets, placesFor, quantity, showNumber, showPair, sign } from './text.js';

export interface LevelCheck {
  indicator: string;
  /** Set for a check of one month; absent for the quarter. */
  month?: Month;
  /** The level whose threshold is applied; absent for the basic indicator and probation. */
  level?: string;
  /** The measured value as text; null when there is no figure (no record that month). */
  value: string | null;
  /** The threshold with its comparison: "≥ 2016.67", "≤ 30", "≤ 2026-10-01". */
  threshold: string;
  pass: boolean;
  explain: Bilingual;
  /** What is missing to pass, when it fails: "23 more conversations in 2026-08". */
  missing?: Bilingual;
}

const verdict = (pass: boolean): Bilingual => (pass ? { zh: '达标', en: 'met' } : { zh: '未达标', en: 'not met' });

/** R-LVL-3: the group's conversations in a month, over the file's employees of that group with a record for it. */
export interface PeerAverage {
  sum: Decimal;
  count: number;
}

export function peerAverages(input: QuarterInput): Map<string, PeerAverage> {
  const result = new Map<string, PeerAverage>();
  for (const person of input.employees) {
    for (const record of person.months) {
      const key = `${person.group}|${record.month}`;
      const entry = result.get(key) ?? { sum: new Decimal(0), count: 0 };
      result.set(key, { sum: entry.sum.plus(record.conversations), count: entry.count + 1 });
    }
  }
  return result;
}

export function recordOf(person: LevelPerson, month: Month): LevelMonth | undefined {
  return person.months.find((m) => m.month === month);
}

/** R-LVL-3, one month: conversations at least the group's average that month (compared exactly: c × n ≥ sum). */
export function basicIndicatorCheck(person: LevelPerson, month: Month, peers: Map<string, PeerAverage>, group: Bilingual): LevelCheck {
  const record = recordOf(person, month);
  const peer = peers.get(`${person.group}|${month}`);
  if (!record || !peer) {
    return {
      indicator: 'conversations',
      month,
      value: null,
      threshold: peer ? `≥ ${showNumber(peer.sum.dividedBy(peer.count))}` : '—',
      pass: false,
      explain: {
        zh: `${month} 无记录(${person.hiredOn} 入职):基本指标不成立`,
        en: `${month}: no record (hired on ${person.hiredOn}): the basic indicator does not hold`,
      },
      missing: { zh: `${month} 无记录`, en: `no record for ${month}` },
    };
  }
  const average = peer.sum.dividedBy(peer.count);
  const pass = record.conversations.times(peer.count).greaterThanOrEqualTo(peer.sum);
  const shown = showPair(record.conversations, average, 'atLeast');
  const check: LevelCheck = {
    indicator: 'conversations',
    month,
    value: shown.value,
    threshold: `≥ ${shown.threshold}`,
    pass,
    explain: {
      zh: `${month} 接待量 ${shown.value} ${sign('atLeast', pass)} ${group.zh}组当月平均 ${shown.threshold}(${peer.count} 人):基本指标${verdict(pass).zh}`,
      en: `${month}: ${shown.value} conversations ${sign('atLeast', pass)} the ${group.en} group's average ${shown.threshold} (${peer.count} people): the basic indicator is ${verdict(pass).en}`,
    },
  };
  if (!pass) {
    // the smallest whole count at or above the exact average
    const short = average.ceil().minus(record.conversations);
    check.missing = {
      zh: `${month} 还需多接待 ${showNumber(short)} 个会话(同组平均 ${shown.threshold})`,
      en: `${showNumber(short)} more conversations in ${month} (group average ${shown.threshold})`,
    };
  }
  return check;
}

function comparisonOf(threshold: { atLeast: Decimal } | { atMost: Decimal }): { op: Comparison; bound: Decimal } {
  return 'atLeast' in threshold ? { op: 'atLeast', bound: threshold.atLeast } : { op: 'atMost', bound: threshold.atMost };
}

/** One month's figure against the threshold of the level held (R-LVL-5, "a month holds"). */
export function monthFigureCheck(
  indicator: MonthlyIndicator,
  month: Month,
  record: LevelMonth | undefined,
  threshold: { atLeast: Decimal } | { atMost: Decimal },
  level: string,
  levelText: Bilingual,
): LevelCheck {
  const { op, bound } = comparisonOf(threshold);
  const name = indicatorName(indicator);
  const figure = record?.[indicator];
  if (figure === undefined) {
    return {
      indicator,
      month,
      level,
      value: null,
      threshold: `${sign(op)} ${showNumber(bound)}`,
      pass: false,
      explain: {
        zh: `${month} 无${name.zh}数据:${levelText.zh}的月度要求不成立`,
        en: `${month}: no ${name.en} figure: does not hold for ${levelText.en}`,
      },
    };
  }
  const pass = meets(figure, bound, op);
  const shown = showPair(figure, bound, op, placesFor(indicator));
  return {
    indicator,
    month,
    level,
    value: shown.value,
    threshold: `${sign(op)} ${shown.threshold}`,
    pass,
    explain: {
      zh: `${month} ${name.zh} ${quantity(indicator, shown.value, 'zh')} ${sign(op, pass)} ${quantity(indicator, shown.threshold, 'zh')}(${levelText.zh}):${verdict(pass).zh}`,
      en: `${month}: ${name.en} ${quantity(indicator, shown.value, 'en')} ${sign(op, pass)} ${quantity(indicator, shown.threshold, 'en')} (${levelText.en}): ${verdict(pass).en}`,
    },
  };
}

/** The quarter's view of one indicator of a target level (R-LVL-5, "the quarter meets L"). */
export interface QuarterContext {
  person: LevelPerson;
  rules: LevelRules;
  quarterMonths: readonly Month[];
  dayAfter: IsoDate;
  level: string;
  levelText: Bilingual;
}

const capitalise = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function valueCheck(
  ctx: QuarterContext,
  indicator: RequirementIndicator,
  figure: Decimal | undefined,
  threshold: { atLeast: Decimal } | { atMost: Decimal },
  detail?: Bilingual,
  label?: Bilingual,
): LevelCheck {
  const { op, bound } = comparisonOf(threshold);
  const name = indicatorName(indicator);
  const subject = label ?? { zh: name.zh, en: name.en };
  const boundText = showNumber(bound);
  if (figure === undefined) {
    return {
      indicator,
      level: ctx.level,
      value: null,
      threshold: `${sign(op)} ${boundText}`,
      pass: false,
      explain: {
        zh: `未提供${name.zh}:${ctx.levelText.zh}的该项指标${verdict(false).zh}`,
        en: `No ${name.en} given: ${ctx.levelText.en}'s indicator is ${verdict(false).en}`,
      },
      missing: {
        zh: `未提供${name.zh}(需 ${sign(op)} ${quantity(indicator, boundText, 'zh')})`,
        en: `no ${name.en} given (needs ${sign(op)} ${quantity(indicator, boundText, 'en')})`,
      },
    };
  }
  const pass = meets(figure, bound, op);
  const shown = showPair(figure, bound, op, placesFor(indicator));
  const v = (lang: 'zh' | 'en') => quantity(indicator, shown.value, lang);
  const t = (lang: 'zh' | 'en') => quantity(indicator, shown.threshold, lang);
  const check: LevelCheck = {
    indicator,
    level: ctx.level,
    value: shown.value,
    threshold: `${sign(op)} ${shown.threshold}`,
    pass,
    explain: {
      zh: `${subject.zh} ${v('zh')}${detail ? `(${detail.zh})` : ''} ${sign(op, pass)} ${t('zh')}(${ctx.levelText.zh}):${verdict(pass).zh}`,
      en: capitalise(
        `${subject.en} ${v('en')}${detail ? ` (${detail.en})` : ''} ${sign(op, pass)} ${t('en')} (${ctx.levelText.en}): ${verdict(pass).en}`,
      ),
    },
  };
  if (!pass) {
    const short = label ? { zh: `平均${name.zh}`, en: `average ${name.en}` } : subject;
    check.missing = {
      zh: `${short.zh} ${v('zh')} → 需 ${sign(op)} ${t('zh')}`,
      en: `${short.en} ${v('en')} → needs ${sign(op)} ${t('en')}`,
    };
  }
  return check;
}

function meanCheck(ctx: QuarterContext, indicator: MonthlyIndicator, threshold: { atLeast: Decimal } | { atMost: Decimal }): LevelCheck {
  const figures = ctx.person.months.map((m) => m[indicator]).filter((f): f is Decimal => f !== undefined);
  if (figures.length === 0) return valueCheck(ctx, indicator, undefined, threshold);
  const mean = figures.reduce((sum, f) => sum.plus(f), new Decimal(0)).dividedBy(figures.length);
  const name = indicatorName(indicator);
  const listed = (lang: 'zh' | 'en') => figures.map((f) => quantity(indicator, showNumber(f), lang));
  return valueCheck(
    ctx,
    indicator,
    mean,
    threshold,
    { zh: `${joinZh(listed('zh'))} 的平均`, en: `mean of ${joinEn(listed('en'))}` },
    { zh: `季度平均${name.zh}`, en: `the quarter's average ${name.en}` },
  );
}

const SINCE_TEXT = {
  levelSince: { zh: '任现等级', en: 'the current level since' },
  juniorSince: { zh: '首次达到初级', en: 'first reaching junior on' },
  hiredOn: { zh: '入职', en: 'the hire on' },
} as const;

/** Tenure of N months holds when since + N calendar months is on or before the day after the quarter. */
export function tenureCheck(ctx: QuarterContext, tenure: NonNullable<Requirement['tenure']>): LevelCheck {
  const person = ctx.person;
  const fallback = tenure.since === 'juniorSince' && person.juniorSince === undefined;
  const since =
    tenure.since === 'levelSince'
      ? person.levelSince
      : tenure.since === 'juniorSince'
        ? (person.juniorSince ?? person.hiredOn)
        : person.hiredOn;
  const from = fallback ? { zh: '入职(未给出首次达到初级的日期)', en: 'the hire (no juniorSince given) on' } : SINCE_TEXT[tenure.since];
  const reached = addMonthsToDate(since, tenure.months);
  const pass = compareDates(reached, ctx.dayAfter) <= 0;
  const check: LevelCheck = {
    indicator: 'tenure',
    level: ctx.level,
    value: reached,
    threshold: `≤ ${ctx.dayAfter}`,
    pass,
    explain: {
      zh: `任职年限:自${from.zh} ${since} 起满 ${tenure.months} 个月之日为 ${reached},${pass ? '不晚于' : '晚于'}季度结束次日 ${ctx.dayAfter}(${ctx.levelText.zh}):${verdict(pass).zh}`,
      en: `Tenure: ${tenure.months} months from ${from.en} ${since} are complete on ${reached}, ${pass ? 'on or before' : 'after'} the day after the quarter ${ctx.dayAfter} (${ctx.levelText.en}): ${verdict(pass).en}`,
    },
  };
  if (!pass) {
    check.missing = {
      zh: `任职年限要到 ${reached} 才满 ${tenure.months} 个月(需不晚于 ${ctx.dayAfter})`,
      en: `${tenure.months} months since ${since} are complete only on ${reached} (needed by ${ctx.dayAfter})`,
    };
  }
  return check;
}

/** The probation (R-LVL-5): it has ended when hiredOn + the probation months is on or before the day after the quarter. */
export function probationCheck(person: LevelPerson, months: number, dayAfter: IsoDate): LevelCheck {
  const ends = addMonthsToDate(person.hiredOn, months);
  const pass = compareDates(ends, dayAfter) <= 0;
  const check: LevelCheck = {
    indicator: 'probation',
    value: ends,
    threshold: `≤ ${dayAfter}`,
    pass,
    explain: {
      zh: `${person.hiredOn} 入职,试用期 ${months} 个月至 ${ends} 结束,${pass ? '不晚于' : '晚于'}季度结束次日 ${dayAfter}:试用期${pass ? '已结束' : '未结束'}`,
      en: `Hired on ${person.hiredOn}; the ${months}-month probation ends on ${ends}, ${pass ? 'on or before' : 'after'} the day after the quarter ${dayAfter}: probation ${pass ? 'has ended' : 'has not ended'}`,
    },
  };
  if (!pass) check.missing = { zh: `试用期到 ${ends} 才结束`, en: `probation ends only on ${ends}` };
  return check;
}

function collectionCheck(
  ctx: QuarterContext,
  indicator: 'trainingCourses' | 'certificates',
  requirement: CollectionRequirement,
): LevelCheck {
  const name = indicatorName(indicator);
  const given = ctx.person[indicator];
  const parts: string[] = [];
  if (requirement.atLeast !== undefined) parts.push(`≥ ${requirement.atLeast}`);
  if (requirement.include !== undefined) parts.push(`includes ${joinEn(requirement.include)}`);
  const threshold = parts.join('; ');
  const needZh = [
    requirement.atLeast !== undefined ? `至少 ${requirement.atLeast} 项` : '',
    requirement.include ? `包含 ${joinZh(requirement.include)}` : '',
  ]
    .filter((s) => s !== '')
    .join(',');
  if (given === undefined) {
    return {
      indicator,
      level: ctx.level,
      value: null,
      threshold,
      pass: false,
      explain: { zh: `未提供${name.zh}:${ctx.levelText.zh}需${needZh}`, en: `no ${name.en} given: ${ctx.levelText.en} needs ${threshold}` },
      missing: { zh: `未提供${name.zh}(需${needZh})`, en: `no ${name.en} given (needs ${threshold})` },
    };
  }
  const have = new Set(given);
  const short = requirement.atLeast !== undefined ? Math.max(0, requirement.atLeast - have.size) : 0;
  const absent = (requirement.include ?? []).filter((c) => !have.has(c));
  const pass = short === 0 && absent.length === 0;
  const listed = have.size > 0 ? [...have] : [];
  const check: LevelCheck = {
    indicator,
    level: ctx.level,
    value: String(have.size),
    threshold,
    pass,
    explain: {
      zh: `${name.zh} ${have.size} 项${listed.length > 0 ? `(${joinZh(listed)})` : ''},${ctx.levelText.zh}需${needZh}:${verdict(pass).zh}`,
      en: `${have.size} ${name.en}${listed.length > 0 ? ` (${joinEn(listed)})` : ''}; ${ctx.levelText.en} needs ${threshold}: ${verdict(pass).en}`,
    },
  };
  if (!pass) {
    const zh: string[] = [];
    const en: string[] = [];
    if (short > 0) {
      zh.push(`还需 ${short} 项${name.zh}`);
      en.push(`${short} more ${name.en}`);
    }
    if (absent.length > 0) {
      zh.push(`缺少 ${joinZh(absent)}`);
      en.push(`missing ${joinEn(absent)}`);
    }
    check.missing = { zh: zh.join(';'), en: en.join('; ') };
  }
  return check;
}

function review360Check(ctx: QuarterContext, threshold: { atLeast: Decimal }): LevelCheck {
  const ratings = ctx.person.review360;
  const weights = ctx.rules.review360?.weights;
  if (!ratings || !weights) return valueCheck(ctx, 'review360', undefined, threshold);
  const total = ratings.self.times(weights.self).plus(ratings.manager.times(weights.manager)).plus(ratings.peers.times(weights.peers));
  const n = showNumber;
  return valueCheck(ctx, 'review360', total, threshold, {
    zh: `自评 ${n(ratings.self)}×${n(weights.self)} + 上级 ${n(ratings.manager)}×${n(weights.manager)} + 同事 ${n(ratings.peers)}×${n(weights.peers)}`,
    en: `self ${n(ratings.self)}×${n(weights.self)} + manager ${n(ratings.manager)}×${n(weights.manager)} + peers ${n(ratings.peers)}×${n(weights.peers)}`,
  });
}

/** Every indicator of a target level's requirement, in the order of REQUIREMENT_INDICATORS. */
export function requirementChecks(ctx: QuarterContext, requirement: Requirement): LevelCheck[] {
  const checks: LevelCheck[] = [];
  for (const indicator of REQUIREMENT_INDICATORS) {
    switch (indicator) {
      case 'tenure':
        if (requirement.tenure) checks.push(tenureCheck(ctx, requirement.tenure));
        break;
      case 'deductions':
      case 'csat':
      case 'complaintResolutionRate':
      case 'handleTime': {
        const threshold = requirement[indicator];
        if (threshold) checks.push(meanCheck(ctx, indicator, threshold));
        break;
      }
      case 'knowledgeTest':
        if (requirement.knowledgeTest) checks.push(valueCheck(ctx, 'knowledgeTest', ctx.person.knowledgeTest, requirement.knowledgeTest));
        break;
      case 'internalComplaints':
        if (requirement.internalComplaints)
          checks.push(valueCheck(ctx, 'internalComplaints', ctx.person.internalComplaints, requirement.internalComplaints));
        break;
      case 'review360':
        if (requirement.review360) checks.push(review360Check(ctx, requirement.review360));
        break;
      case 'trainingCourses':
      case 'certificates': {
        const c = requirement[indicator];
        if (c) checks.push(collectionCheck(ctx, indicator, c));
        break;
      }
    }
  }
  return checks;
}
