import { formatDecimal } from '../money/decimal.js';
import { formatYuan } from '../money/fen.js';
import type { MonthResult, Payslip } from './calculate.js';

/**
 * The performance part of a payslip in the JSON shape of CALC-FORMAT.md; without its explanation
 * when a store keeps that elsewhere.
 */
export function performanceToJson(p: Payslip['performance'], withExplanation = true): Record<string, unknown> {
  const json: Record<string, unknown> =
    p.scheme === 'score'
      ? {
          deductions: formatDecimal(p.deductions),
          band: p.band,
          coefficient: p.coefficient === null ? null : formatDecimal(p.coefficient),
          forfeited: p.forfeited,
          grade: p.grade,
          score: p.score === null ? null : formatDecimal(p.score),
          pay: formatYuan(p.pay),
        }
      : {
          coefficient: formatDecimal(p.coefficient),
          kpis: Object.fromEntries(p.kpis.map((k) => [k.code, formatDecimal(k.score)])),
          pay: formatYuan(p.pay),
        };
  if (withExplanation) json.explain = p.explain;
  return json;
}

/** The JSON shape of CALC-FORMAT.md: money as two-place yuan strings, decimals without trailing zeros. */
export function payslipToJson(payslip: Payslip): Record<string, unknown> {
  return {
    employeeId: payslip.employeeId,
    group: payslip.group,
    level: payslip.level,
    gross: formatYuan(payslip.gross),
    fullAttendance: payslip.fullAttendance,
    performance: performanceToJson(payslip.performance),
    lines: payslip.lines.map((line) => ({
      code: line.code,
      amount: formatYuan(line.amount),
      rule: line.rule,
      formula: line.formula,
      inputs: line.inputs,
      explain: line.explain,
    })),
  };
}

export function monthResultToJson(result: MonthResult): Record<string, unknown> {
  return { period: result.period, policy: result.policy, payslips: result.payslips.map(payslipToJson) };
}
