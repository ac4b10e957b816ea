/**
 * Scoring with a scorecard (R-QA-2), the month's deduction points (R-QA-4) and where they stand in
 * the group's coefficient bands (R-PAY-6, R-QA-5). Each result carries its explanation in zh and
 * en, built by the same code from the same values.
 */
import { Decimal, formatDecimal } from '../money/decimal.js';
import { describeBand, findBand } from '../pay/bands.js';
import { type Month, parseDate, parseMonth } from '../period/period.js';
import type { Band, Bilingual } from '../policy/model.js';
import { type Problem, ValidationError } from '../validate/problems.js';
import type { QaCategory, ScorecardVersion } from './policy.js';

const num = formatDecimal;

/** One item found in an inspected conversation; `count` occurrences (default 1). */
export interface ItemHit {
  item: string;
  count?: number;
}

export interface DeductionLine {
  item: string;
  category: QaCategory;
  description: Bilingual;
  /** Points per occurrence, from the scorecard. */
  points: Decimal;
  count: number;
  subtotal: Decimal;
  critical: boolean;
}

export interface InspectionDeductions {
  scorecardVersion: string;
  /** One line per item hit, in the scorecard's order. */
  lines: DeductionLine[];
  total: Decimal;
  /** Codes of the critical items hit. */
  critical: string[];
  explain: Bilingual;
}

/** An inspection's deductions from its item hits; unknown items and bad counts are refused, all at once. */
export function inspectionDeductions(version: ScorecardVersion, hits: readonly ItemHit[]): InspectionDeductions {
  const problems: Problem[] = [];
  const counts = new Map<string, number>();
  hits.forEach((hit, index) => {
    const known = version.items.some((i) => i.code === hit.item);
    if (!known)
      problems.push({ path: `hits[${index}].item`, message: `"${hit.item}" is not an item of scorecard version ${version.version}` });
    const count = hit.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1 || count > 1000) {
      problems.push({ path: `hits[${index}].count`, message: `must be a whole number from 1 to 1000, got ${String(count)}` });
    }
    if (known) counts.set(hit.item, (counts.get(hit.item) ?? 0) + count);
  });
  if (problems.length > 0) throw new ValidationError(problems, 'the inspection is invalid');
  const lines: DeductionLine[] = [];
  for (const item of version.items) {
    const count = counts.get(item.code);
    if (count === undefined) continue;
    lines.push({
      item: item.code,
      category: item.category,
      description: item.description,
      points: item.points,
      count,
      subtotal: item.points.times(count),
      critical: item.critical,
    });
  }
  const total = lines.reduce((sum, line) => sum.plus(line.subtotal), new Decimal(0));
  const critical = lines.filter((l) => l.critical).map((l) => l.item);
  const term = (line: DeductionLine, lang: 'zh' | 'en') =>
    `${line.description[lang]} ${num(line.points)}${line.count > 1 ? ` × ${line.count}` : ''}`;
  return {
    scorecardVersion: version.version,
    lines,
    total,
    critical,
    explain:
      lines.length === 0
        ? { zh: '未发现扣分项,扣 0 分', en: 'no item found: 0 points deducted' }
        : {
            zh: `扣分:${lines.map((l) => term(l, 'zh')).join(' + ')} = ${num(total)} 分${critical.length > 0 ? `;含致命项 ${critical.join('、')}` : ''}`,
            en: `deducted: ${lines.map((l) => term(l, 'en')).join(' + ')} = ${num(total)} points${critical.length > 0 ? `; critical items: ${critical.join(', ')}` : ''}`,
          },
  };
}

/** Where a QA deduction stands after its dispute, if any (R-DSP-2/3). */
export type DeductionDispute =
  { status: 'pending' } | { status: 'upheld' } | { status: 'overturned' } | { status: 'changed'; points: Decimal };

/** A published QA deduction: one item line of a published inspection. */
export interface QaDeduction {
  /** The day of the inspected conversation; it counts in that day's month. */
  day: string;
  inspectionId: string;
  item: string;
  points: Decimal;
  critical?: boolean;
  /** Absent when not disputed: a published deduction stands. */
  dispute?: DeductionDispute;
}

/** An efficiency or discipline deduction entered by a team lead (R-QA-4). */
export interface OtherDeduction {
  day: string;
  kind: 'efficiency' | 'discipline';
  points: Decimal;
}

export interface MonthDeductionsInput {
  month: string;
  qa: readonly QaDeduction[];
  other: readonly OtherDeduction[];
  /** The policy's qa.criticalForfeitsMonth. */
  criticalForfeitsMonth: boolean;
}

export interface MonthDeductions {
  month: Month;
  /** qa + efficiency + discipline: the month's deduction points (R-QA-4, read by R-PAY-6). */
  total: Decimal;
  qa: Decimal;
  efficiency: Decimal;
  discipline: Decimal;
  /** Deductions under a dispute not yet decided: counted as published, so the total is provisional. */
  pending: { count: number; points: Decimal };
  /** Deductions a dispute overturned: not counted. */
  overturned: { count: number; points: Decimal };
  /** Critical items that stand (not overturned). */
  criticalHits: { inspectionId: string; item: string }[];
  /** True when a critical hit stands and the policy lets it forfeit the month's performance pay. */
  forfeit: boolean;
  provisional: boolean;
  /** Entries of other months, left out. */
  outsideMonth: number;
  explain: Bilingual;
}

/**
 * R-QA-4: the month's deductions = upheld QA deductions + efficiency/discipline deductions, over
 * the calendar month of the days they concern. A deduction changed by a dispute counts with its
 * new points; an overturned one not at all; a pending one as published (and the total says so).
 */
export function monthDeductions(input: MonthDeductionsInput): MonthDeductions {
  const month = parseMonth(input.month);
  if (month === undefined) throw new RangeError(`month must be YYYY-MM, got ${JSON.stringify(input.month)}`);
  const inMonth = (day: string) => {
    if (parseDate(day) === undefined) throw new RangeError(`a deduction's day must be a date YYYY-MM-DD, got ${JSON.stringify(day)}`);
    return day.startsWith(`${month}-`);
  };
  const zero = new Decimal(0);
  let qa = zero;
  let efficiency = zero;
  let discipline = zero;
  const pending = { count: 0, points: zero };
  const overturned = { count: 0, points: zero };
  const criticalHits: { inspectionId: string; item: string }[] = [];
  let outsideMonth = 0;
  for (const d of input.qa) {
    if (d.points.isNegative()) throw new RangeError(`deduction points must not be negative (inspection ${d.inspectionId}, ${d.item})`);
    if (!inMonth(d.day)) {
      outsideMonth += 1;
      continue;
    }
    const status = d.dispute?.status;
    if (status === 'overturned') {
      overturned.count += 1;
      overturned.points = overturned.points.plus(d.points);
      continue;
    }
    const points = d.dispute?.status === 'changed' ? d.dispute.points : d.points;
    if (status === 'pending') {
      pending.count += 1;
      pending.points = pending.points.plus(points);
    }
    qa = qa.plus(points);
    if (d.critical) criticalHits.push({ inspectionId: d.inspectionId, item: d.item });
  }
  for (const d of input.other) {
    if (d.points.isNegative()) throw new RangeError(`deduction points must not be negative (${d.kind} on ${d.day})`);
    if (!inMonth(d.day)) {
      outsideMonth += 1;
      continue;
    }
    if (d.kind === 'efficiency') efficiency = efficiency.plus(d.points);
    else discipline = discipline.plus(d.points);
  }
  const total = qa.plus(efficiency).plus(discipline);
  const forfeit = input.criticalForfeitsMonth && criticalHits.length > 0;
  const zh = [`${month} 扣分合计 ${num(total)} = 质检 ${num(qa)} + 效率 ${num(efficiency)} + 纪律 ${num(discipline)}`];
  const en = [`${month} deductions ${num(total)} = QA ${num(qa)} + efficiency ${num(efficiency)} + discipline ${num(discipline)}`];
  if (overturned.count > 0) {
    zh.push(`申诉撤销 ${overturned.count} 项(${num(overturned.points)} 分)不计`);
    en.push(`${overturned.count} overturned on dispute (${num(overturned.points)} points) not counted`);
  }
  if (pending.count > 0) {
    zh.push(`${pending.count} 项(${num(pending.points)} 分)申诉未决,暂按已发布计入`);
    en.push(`${pending.count} under dispute (${num(pending.points)} points) counted as published for now`);
  }
  if (criticalHits.length > 0) {
    zh.push(forfeit ? `致命项 ${criticalHits.length} 项成立:本月绩效工资取消` : `致命项 ${criticalHits.length} 项成立(政策未设取消绩效)`);
    en.push(
      forfeit
        ? `${criticalHits.length} critical item(s) stand: no performance pay this month`
        : `${criticalHits.length} critical item(s) stand (the policy does not forfeit for them)`,
    );
  }
  return {
    month,
    total,
    qa,
    efficiency,
    discipline,
    pending,
    overturned,
    criticalHits,
    forfeit,
    provisional: pending.count > 0,
    outsideMonth,
    explain: { zh: zh.join(';'), en: en.join('; ') },
  };
}

export interface BandStanding {
  deductions: Decimal;
  /** Index of the current band in the table. */
  index: number;
  band: Band;
  /** The band's range as a person reads it: "≤ 20", "20 < d ≤ 30", "≥ 70". */
  range: string;
  /** null when the band forfeits the month's performance pay. */
  coefficient: Decimal | null;
  grade: string;
  /** The next band down, or null in the last band. */
  next: { index: number; range: string; coefficient: Decimal | null; grade: string } | null;
  /**
   * The band's upper edge: with `inclusive` the edge itself still belongs to the band (upTo),
   * otherwise reaching it moves to the next band (below). null in the last band.
   */
  edge: { at: Decimal; inclusive: boolean } | null;
  /** edge − deductions: how many more points the band allows (upTo), or how many reach the next (below). */
  pointsToEdge: Decimal | null;
  explain: Bilingual;
}

function coefficientText(coefficient: Decimal | null): Bilingual {
  return coefficient === null
    ? { zh: '不发绩效工资', en: 'no performance pay' }
    : { zh: `系数 ${num(coefficient)}`, en: `coefficient ${num(coefficient)}` };
}

/**
 * R-QA-5: the band the month's deductions fall in and the points to its edge, e.g. basic at 18:
 * band ≤ 20 (1.2), 2 points left before 1.0.
 */
export function bandStanding(bands: readonly Band[], deductions: Decimal): BandStanding {
  if (deductions.isNegative()) throw new RangeError(`deductions must not be negative, got ${num(deductions)}`);
  const { band, index } = findBand(bands, deductions);
  const range = describeBand(bands, index);
  const nextBand = bands[index + 1];
  const next = nextBand
    ? { index: index + 1, range: describeBand(bands, index + 1), coefficient: nextBand.coefficient, grade: nextBand.grade }
    : null;
  const bound = band.upTo ?? band.below;
  const edge = bound === undefined ? null : { at: bound, inclusive: band.upTo !== undefined };
  const pointsToEdge = edge === null ? null : edge.at.minus(deductions);
  const here = coefficientText(band.coefficient);
  const zh = [`扣分 ${num(deductions)},处于 ${range} 档(${here.zh})`];
  const en = [`${num(deductions)} deduction points: band ${range} (${here.en})`];
  if (edge && pointsToEdge && next) {
    const there = coefficientText(next.coefficient);
    if (edge.inclusive) {
      zh.push(`距档位上限 ${num(edge.at)} 还有 ${num(pointsToEdge)} 分,超过即降为${there.zh}`);
      en.push(`${num(pointsToEdge)} points left to the edge ${num(edge.at)}; beyond it, ${there.en}`);
    } else {
      zh.push(`再扣 ${num(pointsToEdge)} 分达到 ${num(edge.at)} 即降为${there.zh}`);
      en.push(`${num(pointsToEdge)} more points reach ${num(edge.at)}, which means ${there.en}`);
    }
  } else {
    zh.push('已是最低一档');
    en.push('this is the last band');
  }
  return {
    deductions,
    index,
    band,
    range,
    coefficient: band.coefficient,
    grade: band.grade,
    next,
    edge,
    pointsToEdge,
    explain: { zh: zh.join(';'), en: en.join('; ') },
  };
}
