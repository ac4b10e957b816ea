import { formatDecimal, formatPlaces } from '../money/decimal.js';
import type { LevelCheck } from './checks.js';
import type { LevelEvaluation, LevelPayEffect, QuarterEvaluation } from './evaluate.js';

export function levelCheckToJson(check: LevelCheck): Record<string, unknown> {
  const json: Record<string, unknown> = { indicator: check.indicator };
  if (check.month !== undefined) json.month = check.month;
  if (check.level !== undefined) json.level = check.level;
  json.value = check.value;
  json.threshold = check.threshold;
  json.pass = check.pass;
  json.explain = check.explain;
  return json;
}

function payEffectToJson(effect: LevelPayEffect | null): Record<string, unknown> | null {
  if (effect === null) return null;
  if (effect.mode === 'raise') {
    return {
      mode: 'raise',
      rule: 'R-LVL-6',
      levels: effect.levels,
      rate: effect.rate === null ? null : formatDecimal(effect.rate),
      explain: effect.explain,
    };
  }
  const json: Record<string, unknown> = {
    mode: 'levelPay',
    rule: 'R-LVL-6',
    basePay: { from: formatPlaces(effect.basePay.from, 2), to: formatPlaces(effect.basePay.to, 2) },
  };
  if (effect.levelBonus) json.levelBonus = { from: formatDecimal(effect.levelBonus.from), to: formatDecimal(effect.levelBonus.to) };
  json.explain = effect.explain;
  return json;
}

export function levelEvaluationToJson(e: LevelEvaluation): Record<string, unknown> {
  return {
    employeeId: e.employeeId,
    group: e.group,
    decision: e.decision,
    from: e.from,
    to: e.to,
    effectiveFrom: e.effectiveFrom,
    rule: e.rule,
    explain: e.explain,
    payEffect: payEffectToJson(e.payEffect),
    checks: e.checks.map(levelCheckToJson),
  };
}

/** The JSON shape of CALC-FORMAT.md (evaluate), with the policy it was computed under. */
export function quarterEvaluationToJson(
  result: QuarterEvaluation,
  policy: { id: string; version: string; effectiveFrom: string },
): Record<string, unknown> {
  return { quarter: result.quarter, policy, decisions: result.evaluations.map(levelEvaluationToJson) };
}
