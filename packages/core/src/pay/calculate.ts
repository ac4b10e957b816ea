import { addFen, type Fen } from '../money/fen.js';
import type { LevelDefinition, Policy } from '../policy/model.js';
import { attendanceDeductions, baseLine, hasFullAttendance, overtimeLines } from './attendance.js';
import { componentLines } from './components.js';
import type { EmployeeMonth, MonthInput } from './input.js';
import { type PayLine, rememberPolicyValues } from './line.js';
import { type SalesPerformance, salesPerformance, targetBonusLines } from './sales-scheme.js';
import { type ScorePerformance, scorePerformance } from './score-scheme.js';

export interface Payslip {
  employeeId: string;
  group: string;
  level: string;
  fullAttendance: boolean;
  /** The sum of the lines, each already rounded to the fen (R-RUN-4). */
  gross: Fen;
  performance: ScorePerformance | SalesPerformance;
  lines: PayLine[];
}

export interface MonthResult {
  period: string;
  policy: { id: string; version: string; effectiveFrom: string };
  payslips: Payslip[];
}

function levelOf(policy: Policy, employee: EmployeeMonth): LevelDefinition {
  const group = policy.groups[employee.group];
  const level = group ? policy.tracks[group.track]?.levels.find((l) => l.code === employee.level) : undefined;
  if (!level) throw new Error(`level ${employee.level} is not in group ${employee.group}'s track`);
  return level;
}

/** One employee's month under one policy version: every line rounded once, gross their sum. */
export function calculatePayslip(policy: Policy, period: MonthInput['period'], employee: EmployeeMonth): Payslip {
  rememberPolicyValues(policy);
  const group = policy.groups[employee.group];
  if (!group) throw new Error(`unknown group ${employee.group}`);
  const level = levelOf(policy, employee);
  const basePay = employee.basePay ?? level.basePay;
  const fullAttendance = hasFullAttendance(policy, employee.attendance);
  const lines: PayLine[] = [];
  const base = baseLine(basePay, level.name, group.scheme === 'sales' ? 'R-SAL-1' : 'R-PAY-2', employee.basePay !== undefined);
  if (base) lines.push(base);
  lines.push(...attendanceDeductions(policy, basePay, employee.attendance));
  lines.push(...overtimeLines(policy, basePay, employee.attendance));

  let performance: ScorePerformance | SalesPerformance;
  if (group.scheme === 'score') {
    if (!employee.metrics) throw new Error(`employee ${employee.id} has no metrics`);
    const result = scorePerformance(policy, employee.group, level, employee.metrics, fullAttendance);
    performance = result.performance;
    if (result.line) lines.push(result.line);
  } else {
    if (!employee.sales) throw new Error(`employee ${employee.id} has no sales figures`);
    const result = salesPerformance(policy, basePay, employee.sales);
    performance = result.performance;
    if (result.line) lines.push(result.line);
    lines.push(...targetBonusLines(policy, basePay, employee.sales, period));
  }
  lines.push(...componentLines(policy, employee));

  return {
    employeeId: employee.id,
    group: employee.group,
    level: employee.level,
    fullAttendance,
    gross: addFen(...lines.map((line) => line.amount)),
    performance,
    lines,
  };
}

export function calculateMonth(policy: Policy, input: MonthInput): MonthResult {
  return {
    period: input.period,
    policy: { id: policy.policy, version: policy.version, effectiveFrom: policy.effectiveFrom },
    payslips: input.employees.map((employee) => calculatePayslip(policy, input.period, employee)),
  };
}
