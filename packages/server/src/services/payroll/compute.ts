/** One payslip from its inputs: the engine's lines plus any retro lines, and the row the writer stores. */
import {
  addFen,
  calculatePayslip,
  type Decimal,
  type EmployeeMonth,
  type Fen,
  type Month,
  num,
  type PayLine,
  type Payslip,
  performanceToJson,
  type Policy,
  type SalesTarget,
} from '@ladder/core';
import type { PayrollEmployee } from '../employees.js';
import type { RetroLine } from './retro.js';
import type { PayslipRow } from './write.js';

/** What one payslip is computed from. */
export interface SlipJob {
  employee: PayrollEmployee;
  input: EmployeeMonth;
  retro?: RetroLine[];
}

export interface ComputedRow {
  row: PayslipRow;
  gross: Fen;
}

export function computeRow(policy: Policy, month: Month, job: SlipJob): ComputedRow {
  const payslip = calculatePayslip(policy, month, job.input);
  const lines: (PayLine & { cause?: string })[] = job.retro ? [...payslip.lines, ...job.retro] : payslip.lines;
  const gross: Fen = job.retro ? addFen(...lines.map((l) => l.amount)) : payslip.gross;
  return {
    gross,
    row: {
      employeeId: job.employee.id,
      group: payslip.group,
      level: payslip.level,
      gross,
      fullAttendance: payslip.fullAttendance,
      performance: JSON.stringify(storedPerformance(payslip)),
      inputs: inputSnapshot(job.input),
      lines: lines.map((line) => ({
        code: line.code,
        amount: line.amount,
        rule: line.rule,
        formula: line.formula,
        inputs: inputsText(line.inputs),
        explainZh: line.explain.zh,
        explainEn: line.explain.en,
        cause: line.cause ?? null,
      })),
    },
  };
}

/**
 * The performance summary as stored: its explanation is left out when the performance line
 * carries the very same one (read back from the line), so it is not written twice per payslip.
 */
function storedPerformance(payslip: Payslip): Record<string, unknown> {
  const explain = payslip.performance.explain;
  const onItsLine = payslip.lines.some((line) => line.code === 'performance' && line.explain === explain);
  return performanceToJson(payslip.performance, !onItsLine);
}

// Lines the engine hands out again (attendance and overtime of the same case) share their inputs.
const writtenInputs = new WeakMap<object, string>();
function inputsText(inputs: Record<string, string>): string {
  let written = writtenInputs.get(inputs);
  if (written === undefined) {
    written = JSON.stringify(inputs);
    if (Object.isFrozen(inputs)) writtenInputs.set(inputs, written);
  }
  return written;
}

/** The same keys in the same order, decimals as text (plain loops: this runs for every payslip). */
function textOfEach(values: object): Record<string, string | boolean> {
  const texts: Record<string, string | boolean> = {};
  for (const key in values) {
    const value = (values as Record<string, Decimal | boolean>)[key] as Decimal | boolean;
    texts[key] = typeof value === 'boolean' ? value : num(value);
  }
  return texts;
}

/**
 * The input a payslip was computed from, as stable JSON: compared later to find retro changes.
 * Inputs share their decimals (the gather makes one per distinct text and remembers its text).
 */
export function inputSnapshot(input: EmployeeMonth): string {
  const a = input.attendance;
  const snapshot: Record<string, unknown> = {
    group: input.group,
    level: input.level,
    basePay: input.basePay ? num(input.basePay) : null,
    unpaidDays: num(a.unpaidDays),
    lateCount: num(a.lateCount),
    overtime: [num(a.overtimeHours.workday), num(a.overtimeHours.restDay), num(a.overtimeHours.holiday)],
    leaveDays: textOfEach(a.leaveDays),
  };
  if (input.metrics) snapshot.metrics = textOfEach(input.metrics);
  if (input.sales) {
    const s = input.sales;
    const pair = (t: SalesTarget | null) => (t ? [num(t.amount), num(t.target)] : null);
    snapshot.sales = {
      month: pair(s.month),
      quarter: pair(s.quarter),
      year: pair(s.year),
      csat: num(s.csat),
      complaintRate: num(s.complaintRate),
      teamwork: num(s.teamwork),
    };
  }
  return JSON.stringify(snapshot);
}
