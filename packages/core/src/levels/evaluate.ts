/**
 * The quarterly level evaluation (R-LVL-2…7): pure — (level rules, tracks, a quarter's figures)
 * → one decision per person with every check that explains it.
 *
 * Where the spec is silent, this code decides (and the checks say so):
 * - "A month holds for the current level" applies the current level's own requirement (what it
 *   took to reach it) to the month's deductions and CSAT, plus the basic indicator. The track's
 *   first level has no requirement: a month holds for it on the basic indicator alone. A person
 *   at the probation level is never judged month by month (never demoted); the floor is judged
 *   and shown, but a person at or below the floor stays.
 * - Promotion looks only at the quarter (the means) and the basic indicator; a month failing the
 *   current level does not block it when the means meet the next level.
 * - A person not employed the whole quarter (hired after its first month) is kept, whatever the
 *   figures: neither three months to promote on nor three failing months to demote on. This
 *   includes a trainee whose (short) probation ended within the quarter.
 * - When both could apply, promotion wins (R-LVL-5 lists it first); with the sample values they
 *   exclude each other.
 * - Means and the group average are compared exactly (c × n ≥ Σ for the average) and shown
 *   rounded only as far as the shown numbers still agree with the exact comparison.
 */
import { type Decimal, formatDecimal, formatPlaces } from '../money/decimal.js';
import { type IsoDate, type Month, monthOf, monthsOfQuarter, type Quarter } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import {
  basicIndicatorCheck,
  type LevelCheck,
  monthFigureCheck,
  type PeerAverage,
  peerAverages,
  probationCheck,
  type QuarterContext,
  recordOf,
  requirementChecks,
} from './checks.js';
import { dayAfterQuarter, type LevelPerson, placementOf, type Placement, type QuarterInput } from './input.js';
import type { LevelCatalog, LevelRules } from './policy.js';
import { MONTH_HOLD_INDICATORS } from './policy.js';
import { groupName, indicatorName, joinEn, joinZh, levelName } from './text.js';

export type LevelDecision = 'promote' | 'keep' | 'demote' | 'review_dismissal';

/** R-LVL-6: what a level change does to pay. */
export type LevelPayEffect =
  | {
      mode: 'levelPay';
      basePay: { from: Decimal; to: Decimal };
      /** Only for groups paid by the score scheme (R-PAY-5). */
      levelBonus?: { from: Decimal; to: Decimal };
      explain: Bilingual;
    }
  | {
      mode: 'raise';
      /** Levels gained (negative for a demotion). */
      levels: number;
      /** The raise on the base pay; null for a demotion, whose pay HR sets. */
      rate: Decimal | null;
      explain: Bilingual;
    };

export interface LevelEvaluation {
  employeeId: string;
  group: string;
  track: string;
  decision: LevelDecision;
  from: string;
  to: string;
  /** First day of the month after the quarter (R-LVL-6). */
  effectiveFrom: IsoDate;
  rule: 'R-LVL-5';
  explain: Bilingual;
  checks: LevelCheck[];
  payEffect: LevelPayEffect | null;
}

export interface QuarterEvaluation {
  quarter: Quarter;
  effectiveFrom: IsoDate;
  evaluations: LevelEvaluation[];
}

/** Everything measured for one person, shared by the decision and the ladder view. */
export interface Measured {
  person: LevelPerson;
  placement: Placement;
  quarterMonths: readonly [Month, Month, Month];
  dayAfter: IsoDate;
  /** The whole quarter is on record: hired in or before the quarter's first month. */
  wholeQuarter: boolean;
  probation?: LevelCheck;
  basic: LevelCheck[];
  /** Per month, the checks of the month's figures against the current level, and whether the month holds. */
  monthChecks: { month: Month; figures: LevelCheck[]; holds: LevelCheck }[];
  /** The quarter against the next level; empty at the top of the track. */
  nextChecks: LevelCheck[];
}

function monthHoldsCheck(month: Month, level: string, levelText: Bilingual, basic: LevelCheck, figures: LevelCheck[]): LevelCheck {
  const parts = [basic, ...figures];
  const met = parts.filter((c) => c.pass).length;
  const pass = met === parts.length;
  const names = (lang: 'zh' | 'en') =>
    parts.map((c) =>
      c.indicator === 'conversations' ? (lang === 'zh' ? '基本指标' : 'basic indicator') : indicatorName(c.indicator)[lang],
    );
  const failing = (lang: 'zh' | 'en') => names(lang).filter((_, i) => !parts[i]?.pass);
  return {
    indicator: 'monthHolds',
    month,
    level,
    value: `${met}/${parts.length}`,
    threshold: `${parts.length}/${parts.length}`,
    pass,
    explain: pass
      ? {
          zh: `${month} 达到${levelText.zh}的月度要求(${joinZh(names('zh'))})`,
          en: `${month} holds for ${levelText.en} (${joinEn(names('en'))})`,
        }
      : {
          zh: `${month} 未达到${levelText.zh}的月度要求:${joinZh(failing('zh'))}未达标`,
          en: `${month} does not hold for ${levelText.en}: ${joinEn(failing('en'))} not met`,
        },
  };
}

/** Measures one person: probation, the basic indicator per month, the months against the current level, the quarter against the next. */
export function measurePerson(
  rules: LevelRules,
  catalog: LevelCatalog,
  person: LevelPerson,
  quarter: Quarter,
  peers: Map<string, PeerAverage>,
): Measured {
  const placement = placementOf(rules, catalog, person.group, person.level);
  if (!placement) throw new Error(`${person.id}: no track or level rules for group ${person.group}, level ${person.level}`);
  const quarterMonths = monthsOfQuarter(quarter);
  const dayAfter = dayAfterQuarter(quarter);
  const group = groupName(catalog, person.group);
  const current = placement.rules.requirements[person.level];
  const currentText = levelName(catalog, placement.trackName, person.level);

  const measured: Measured = {
    person,
    placement,
    quarterMonths,
    dayAfter,
    wholeQuarter: monthOf(person.hiredOn) <= quarterMonths[0],
    basic: [],
    monthChecks: [],
    nextChecks: [],
  };
  const probation = placement.rules.probation;
  if (placement.onProbationLevel && probation) measured.probation = probationCheck(person, probation.months, dayAfter);

  for (const month of quarterMonths) {
    const basic = basicIndicatorCheck(person, month, peers, group);
    measured.basic.push(basic);
    if (placement.onProbationLevel) continue;
    const record = recordOf(person, month);
    const figures: LevelCheck[] = [];
    for (const indicator of MONTH_HOLD_INDICATORS) {
      const threshold = current?.[indicator];
      if (threshold) figures.push(monthFigureCheck(indicator, month, record, threshold, person.level, currentText));
    }
    measured.monthChecks.push({ month, figures, holds: monthHoldsCheck(month, person.level, currentText, basic, figures) });
  }

  if (placement.next !== undefined) {
    const requirement = placement.rules.requirements[placement.next] ?? {};
    const ctx: QuarterContext = {
      person,
      rules,
      quarterMonths,
      dayAfter,
      level: placement.next,
      levelText: levelName(catalog, placement.trackName, placement.next),
    };
    measured.nextChecks = requirementChecks(ctx, requirement);
  }
  return measured;
}

function payEffectOf(rules: LevelRules, catalog: LevelCatalog, m: Measured, to: string, direction: 1 | -1): LevelPayEffect {
  const { placement } = m;
  const track = catalog.tracks[placement.trackName];
  const fromLevel = track?.levels.find((l) => l.code === m.person.level);
  const toLevel = track?.levels.find((l) => l.code === to);
  if (placement.rules.payEffect === 'raise') {
    if (direction < 0) {
      return {
        mode: 'raise',
        levels: -1,
        rate: null,
        explain: {
          zh: '按本政策,等级调整以加薪比例体现;降级不自动减薪,由人力资源确定薪资(R-LVL-6)',
          en: 'Under this policy a level change is a raise; a demotion cuts no pay automatically — HR sets the pay (R-LVL-6)',
        },
      };
    }
    const raise = rules.raises.find((r) => r.levels === 1);
    const rate = raise?.rate ?? null;
    const shown = rate === null ? '—' : `${formatDecimal(rate.times(100))}%`;
    return {
      mode: 'raise',
      levels: 1,
      rate,
      explain: { zh: `晋升一级:基本工资上调 ${shown}(R-LVL-6)`, en: `One level up: the base pay rises by ${shown} (R-LVL-6)` },
    };
  }
  if (!fromLevel || !toLevel) throw new Error(`${m.person.id}: level ${m.person.level} or ${to} is not in track ${placement.trackName}`);
  const effect: LevelPayEffect = {
    mode: 'levelPay',
    basePay: { from: fromLevel.basePay, to: toLevel.basePay },
    explain: { zh: '', en: '' },
  };
  let zh = `薪资随新等级:基本工资 ${formatPlaces(fromLevel.basePay, 2)} → ${formatPlaces(toLevel.basePay, 2)} 元`;
  let en = `Pay follows the new level: base pay ${formatPlaces(fromLevel.basePay, 2)} → ${formatPlaces(toLevel.basePay, 2)} yuan`;
  if (catalog.groups[m.person.group]?.scheme === 'score') {
    effect.levelBonus = { from: fromLevel.levelBonus, to: toLevel.levelBonus };
    zh += `,等级加分 ${formatDecimal(fromLevel.levelBonus)} → ${formatDecimal(toLevel.levelBonus)}`;
    en += `, level bonus ${formatDecimal(fromLevel.levelBonus)} → ${formatDecimal(toLevel.levelBonus)} points`;
  }
  effect.explain = { zh: `${zh}(R-LVL-6)`, en: `${en} (R-LVL-6)` };
  return effect;
}

/** The checks of a measured person in the order they are explained. */
export function allChecks(m: Measured): LevelCheck[] {
  const checks: LevelCheck[] = [];
  if (m.probation) checks.push(m.probation);
  m.quarterMonths.forEach((month, i) => {
    const basic = m.basic[i];
    if (basic) checks.push(basic);
    const monthly = m.monthChecks.find((c) => c.month === month);
    if (monthly) checks.push(...monthly.figures, monthly.holds);
  });
  return checks;
}

function failingNames(checks: readonly LevelCheck[], lang: 'zh' | 'en'): string[] {
  return [...new Set(checks.filter((c) => !c.pass).map((c) => indicatorName(c.indicator)[lang]))];
}

/** R-LVL-5 for one person. */
export function decide(rules: LevelRules, catalog: LevelCatalog, m: Measured): LevelEvaluation {
  const { person, placement } = m;
  const name = (code: string) => levelName(catalog, placement.trackName, code);
  const cur = name(person.level);
  const effectiveFrom = m.dayAfter;
  const basicMonths = m.basic.filter((c) => c.pass).length;
  const basicAll = basicMonths === m.quarterMonths.length;
  const nextMet = m.nextChecks.every((c) => c.pass);
  const canPromote = placement.next !== undefined && m.wholeQuarter && basicAll && nextMet;

  const checks = allChecks(m);
  checks.push({
    indicator: 'basicMonths',
    value: String(basicMonths),
    threshold: `= ${m.quarterMonths.length}`,
    pass: basicAll,
    explain: basicAll
      ? { zh: '基本指标三个月均达标', en: 'The basic indicator holds in all three months' }
      : {
          zh: `基本指标仅 ${basicMonths}/3 个月达标(晋升需三个月均达标)`,
          en: `The basic indicator holds in only ${basicMonths} of 3 months (promotion needs all three)`,
        },
  });
  const holding = m.monthChecks.filter((c) => c.holds.pass).map((c) => c.month);
  if (!placement.onProbationLevel) {
    checks.push({
      indicator: 'monthsHolding',
      level: person.level,
      value: String(holding.length),
      threshold: '≥ 1',
      pass: holding.length > 0,
      explain:
        holding.length > 0
          ? {
              zh: `${holding.length} 个月达到${cur.zh}的月度要求(${joinZh(holding)})`,
              en: `${holding.length} month(s) hold for ${cur.en} (${joinEn(holding)})`,
            }
          : { zh: `本季度没有一个月达到${cur.zh}的月度要求`, en: `No month of the quarter holds for ${cur.en}` },
    });
  }
  checks.push(...m.nextChecks);

  const base = {
    employeeId: person.id,
    group: person.group,
    track: placement.trackName,
    from: person.level,
    effectiveFrom,
    rule: 'R-LVL-5' as const,
    checks,
  };
  const result = (decision: LevelDecision, to: string, explain: Bilingual, payEffect: LevelPayEffect | null = null): LevelEvaluation => ({
    ...base,
    decision,
    to,
    explain,
    payEffect,
  });

  const notWhole = {
    zh: `${monthOf(person.hiredOn)} 才入职,本季度不满三个月,下季度再评定`,
    en: `hired in ${monthOf(person.hiredOn)}, not a whole quarter on record yet; evaluated next quarter`,
  };

  const nextText = placement.next !== undefined ? name(placement.next) : undefined;
  const promote = (lead: Bilingual) => {
    const to = placement.next as string;
    const text = nextText as Bilingual;
    return result(
      'promote',
      to,
      {
        zh: `${lead.zh}基本指标三个月均达标,季度达到${text.zh}的全部指标:晋升为${text.zh},${effectiveFrom} 起生效`,
        en: `${lead.en}The basic indicator held in all three months and the quarter meets every indicator of ${text.en}: promoted to ${text.en} from ${effectiveFrom}`,
      },
      payEffectOf(rules, catalog, m, to, 1),
    );
  };

  const notPromoted = (): Bilingual => {
    if (placement.next === undefined || nextText === undefined)
      return { zh: `${cur.zh}是本序列最高等级`, en: `${cur.en} is the top of the track` };
    if (!m.wholeQuarter) return notWhole;
    const zh: string[] = [];
    const en: string[] = [];
    if (!basicAll) {
      zh.push(`基本指标仅 ${basicMonths}/3 个月达标`);
      en.push(`the basic indicator held in only ${basicMonths} of 3 months`);
    }
    if (!nextMet) {
      zh.push(`未达到${nextText.zh}的指标:${joinZh(failingNames(m.nextChecks, 'zh'))}`);
      en.push(`misses ${nextText.en} on ${joinEn(failingNames(m.nextChecks, 'en'))}`);
    }
    return { zh: joinZh(zh), en: en.join('; ') };
  };

  // A person at the probation level (R-LVL-5): on probation stays; after it, promoted or flagged — never dismissed automatically.
  if (placement.onProbationLevel && m.probation) {
    const ends = m.probation.value ?? '';
    if (!m.probation.pass) {
      return result('keep', person.level, {
        zh: `试用期至 ${ends} 结束,本季度末尚未结束:保持${cur.zh}`,
        en: `On probation until ${ends}, which has not ended by the quarter's end: stays ${cur.en}`,
      });
    }
    if (placement.next === undefined || nextText === undefined) {
      return result('keep', person.level, { zh: `${cur.zh}是本序列唯一等级:保持`, en: `${cur.en} is the only level of the track: stays` });
    }
    if (!m.wholeQuarter) {
      return result('keep', person.level, {
        zh: `试用期已于 ${ends} 结束,但${notWhole.zh}:保持${cur.zh}`,
        en: `Probation ended on ${ends}, but ${notWhole.en}: stays ${cur.en}`,
      });
    }
    if (canPromote) return promote({ zh: `试用期已于 ${ends} 结束;`, en: `Probation ended on ${ends}. ` });
    const why = notPromoted();
    return result('review_dismissal', person.level, {
      zh: `试用期已于 ${ends} 结束,未达到转为${nextText.zh}的条件(${why.zh}):提交人工复核是否辞退,不会自动辞退`,
      en: `Probation ended on ${ends} and the quarter does not qualify for ${nextText.en} (${why.en}): flagged for a dismissal review — never dismissed automatically`,
    });
  }

  if (canPromote) return promote({ zh: '', en: '' });

  const floorIndex = placement.levels.indexOf(placement.rules.floor);
  const previous = placement.levels[placement.index - 1];
  const noMonthHolds = holding.length === 0;
  if (m.wholeQuarter && noMonthHolds && placement.index > floorIndex && previous !== undefined) {
    const prev = name(previous);
    return result(
      'demote',
      previous,
      {
        zh: `本季度三个月均未达到${cur.zh}的要求(连续三个月不达标):降为${prev.zh},${effectiveFrom} 起生效`,
        en: `No month of the quarter holds for ${cur.en} (three failing months in a row): demoted to ${prev.en} from ${effectiveFrom}`,
      },
      payEffectOf(rules, catalog, m, previous, -1),
    );
  }

  if (!m.wholeQuarter)
    return result('keep', person.level, {
      zh: `${notWhole.zh}:保持${cur.zh}`,
      en: `${notWhole.en[0]?.toUpperCase() ?? ''}${notWhole.en.slice(1)}: stays ${cur.en}`,
    });
  const why = notPromoted();
  let kept: Bilingual;
  if (!noMonthHolds)
    kept = {
      zh: `${holding.length} 个月达到${cur.zh}的要求(${joinZh(holding)})`,
      en: `${holding.length} month(s) hold for ${cur.en} (${joinEn(holding)})`,
    };
  else
    kept = {
      zh: `三个月均未达到${cur.zh}的要求,但${cur.zh}是本序列的最低等级,不降级`,
      en: `no month holds for ${cur.en}, but ${cur.en} is the track's floor: no demotion`,
    };
  return result('keep', person.level, {
    zh: `不晋升:${why.zh};不降级:${kept.zh}。保持${cur.zh}`,
    en: `Not promoted: ${why.en}. Not demoted: ${kept.en}. Stays ${cur.en}.`,
  });
}

/** R-LVL-2…7: evaluates every person of a quarter's input. Input must have passed readQuarterInput. */
export function evaluateQuarter(rules: LevelRules, catalog: LevelCatalog, input: QuarterInput): QuarterEvaluation {
  return { quarter: input.quarter, effectiveFrom: dayAfterQuarter(input.quarter), evaluations: [...evaluatePeople(rules, catalog, input)] };
}

/**
 * The same decisions one person at a time, in input order (the peers' averages are taken first):
 * a department of 100,000 need not hold every explained decision at once.
 */
export function* evaluatePeople(rules: LevelRules, catalog: LevelCatalog, input: QuarterInput): Generator<LevelEvaluation> {
  const peers = peerAverages(input);
  for (const person of input.employees) yield decide(rules, catalog, measurePerson(rules, catalog, person, input.quarter, peers));
}
