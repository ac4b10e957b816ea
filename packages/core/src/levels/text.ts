/** How numbers, thresholds and names of the level evaluation are shown in checks and explanations. */
import { Decimal, formatDecimal } from '../money/decimal.js';
import type { Bilingual } from '../policy/model.js';
import type { LevelCatalog } from './policy.js';

export type Comparison = 'atLeast' | 'atMost';

export function meets(value: Decimal, threshold: Decimal, op: Comparison): boolean {
  return op === 'atLeast' ? value.greaterThanOrEqualTo(threshold) : value.lessThanOrEqualTo(threshold);
}

export function sign(op: Comparison, pass = true): string {
  if (op === 'atLeast') return pass ? '≥' : '<';
  return pass ? '≤' : '>';
}

/** Values with at most this many places are shown exactly; longer ones (a mean of 1/3s) are rounded. */
const EXACT_PLACES = 6;

function shown(value: Decimal, places: number): string {
  return formatDecimal(value.decimalPlaces() <= EXACT_PLACES ? value : value.toDecimalPlaces(places));
}

/**
 * A value and its threshold as text: exact when short, else rounded half-up to 2 places — or to
 * more, when 2 places would make the shown numbers disagree with the exact comparison (a mean of
 * 0.94966… shown as "0.95" against "≥ 0.95" would look like a pass).
 */
export function showPair(value: Decimal, threshold: Decimal, op: Comparison, minPlaces = 2): { value: string; threshold: string } {
  const pass = meets(value, threshold, op);
  for (let places = minPlaces; places <= 40; places += 1) {
    const v = shown(value, places);
    const t = shown(threshold, places);
    if (meets(new Decimal(v), new Decimal(t), op) === pass) return { value: v, threshold: t };
  }
  return { value: formatDecimal(value), threshold: formatDecimal(threshold) };
}

export function showNumber(value: Decimal, places = 2): string {
  return shown(value, places);
}

/** Rates (0–1) keep two places of their percentage. */
export function placesFor(indicator: string): number {
  return LEVEL_INDICATOR_NAMES[indicator]?.percent ? 4 : 2;
}

/** "0.955" → "95.5%". */
export function percentText(shownValue: string): string {
  return `${formatDecimal(new Decimal(shownValue).times(100))}%`;
}

export interface IndicatorName {
  zh: string;
  en: string;
  percent?: boolean;
  unit?: Bilingual;
}

/** Names of every indicator a check may carry. */
export const LEVEL_INDICATOR_NAMES: Record<string, IndicatorName> = {
  probation: { zh: '试用期', en: 'probation' },
  conversations: { zh: '接待量', en: 'conversations' },
  basicMonths: { zh: '基本指标达标月数', en: 'months the basic indicator holds' },
  monthHolds: { zh: '当月达到当前等级', en: 'month holds for the level' },
  monthsHolding: { zh: '达到当前等级的月数', en: 'months holding for the level' },
  tenure: { zh: '任职年限', en: 'tenure' },
  deductions: { zh: '扣分', en: 'deductions' },
  csat: { zh: '满意度', en: 'CSAT', percent: true },
  knowledgeTest: { zh: '知识考试', en: 'knowledge test' },
  complaintResolutionRate: { zh: '投诉解决率', en: 'complaint resolution rate', percent: true },
  handleTime: { zh: '处理时长', en: 'handle time', unit: { zh: ' 秒', en: ' s' } },
  trainingCourses: { zh: '培训课程', en: 'training courses' },
  certificates: { zh: '证书', en: 'certificates' },
  review360: { zh: '360 评分', en: '360 score' },
  internalComplaints: { zh: '内部投诉', en: 'internal complaints' },
};

export function indicatorName(indicator: string): IndicatorName {
  return LEVEL_INDICATOR_NAMES[indicator] ?? { zh: indicator, en: indicator };
}

/** A shown value with its unit in one language: "95.5%", "240 s", "13.33". */
export function quantity(indicator: string, shownValue: string, lang: 'zh' | 'en'): string {
  const name = indicatorName(indicator);
  if (name.percent) return percentText(shownValue);
  return `${shownValue}${name.unit?.[lang] ?? ''}`;
}

export function levelName(catalog: LevelCatalog, trackName: string, code: string): Bilingual {
  return catalog.tracks[trackName]?.levels.find((level) => level.code === code)?.name ?? { zh: code, en: code };
}

export function groupName(catalog: LevelCatalog, group: string): Bilingual {
  return catalog.groups[group]?.name ?? { zh: group, en: group };
}

export function joinZh(parts: readonly string[]): string {
  return parts.join('、');
}

export function joinEn(parts: readonly string[]): string {
  return parts.join(', ');
}
