/**
 * The ladder view: for each person, where they stand on every indicator of the next level and
 * what is missing ("23 more conversations in 2026-08", "average deductions 24 → needs ≤ 20").
 * Pure, from the same measurements as the decision.
 */
import type { Month } from '../period/period.js';
import type { Bilingual } from '../policy/model.js';
import { type LevelCheck, peerAverages } from './checks.js';
import { measurePerson } from './evaluate.js';
import type { QuarterInput } from './input.js';
import type { LevelCatalog, LevelRules } from './policy.js';
import { levelName } from './text.js';

export interface LadderItem {
  indicator: string;
  month?: Month;
  value: string | null;
  threshold: string;
  pass: boolean;
  explain: Bilingual;
  /** What is missing; null when the indicator is met. */
  missing: Bilingual | null;
}

export interface LadderStanding {
  employeeId: string;
  group: string;
  level: string;
  /** The next level up; null at the top of the track. */
  next: string | null;
  nextName: Bilingual | null;
  /** Every indicator of the next level is met this quarter (promotion also needs a whole quarter on record). */
  ready: boolean;
  items: LadderItem[];
  /** One line: what is missing, or that everything is met. */
  summary: Bilingual;
}

function item(check: LevelCheck): LadderItem {
  const result: LadderItem = {
    indicator: check.indicator,
    value: check.value,
    threshold: check.threshold,
    pass: check.pass,
    explain: check.explain,
    missing: check.pass ? null : (check.missing ?? { zh: check.explain.zh, en: check.explain.en }),
  };
  if (check.month !== undefined) result.month = check.month;
  return result;
}

export function ladderView(rules: LevelRules, catalog: LevelCatalog, input: QuarterInput): LadderStanding[] {
  const peers = peerAverages(input);
  return input.employees.map((person) => {
    const m = measurePerson(rules, catalog, person, input.quarter, peers);
    const { placement } = m;
    const current = levelName(catalog, placement.trackName, person.level);
    if (placement.next === undefined) {
      return {
        employeeId: person.id,
        group: person.group,
        level: person.level,
        next: null,
        nextName: null,
        ready: false,
        items: [],
        summary: { zh: `${current.zh}是本序列最高等级`, en: `${current.en} is the top of the track` },
      };
    }
    const next = levelName(catalog, placement.trackName, placement.next);
    const checks = [...(m.probation ? [m.probation] : []), ...m.basic, ...m.nextChecks];
    const items = checks.map(item);
    const missing = items.filter((i) => i.missing !== null).map((i) => i.missing as Bilingual);
    const ready = missing.length === 0;
    return {
      employeeId: person.id,
      group: person.group,
      level: person.level,
      next: placement.next,
      nextName: next,
      ready,
      items,
      summary: ready
        ? { zh: `本季度已达到${next.zh}的全部指标`, en: `Meets every indicator of ${next.en} this quarter` }
        : {
            zh: `距${next.zh}还差:${missing.map((x) => x.zh).join(';')}`,
            en: `To reach ${next.en}: ${missing.map((x) => x.en).join('; ')}`,
          },
    };
  });
}
