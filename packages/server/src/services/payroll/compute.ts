/** One payslip from its inputs: the engine's lines plus any retro lines, and the row the writer stores. */
import {
  addFen,
  calculatePayslip,
  type Decimal,
  type EmployeeMonth,
  type Fen,
  type Month,
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
  const { explain, ...rest } = performanceToJson(payslip.performance);
  return payslip.lines.some((line) => line.code === 'performance' && line.explain === explain) ? rest : { ...rest, explain };
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

// Inputs share their decimals (the gather makes one per distinct text): each is written out once.
const decimalText = new WeakMap<Decimal, string>();
function text(value: Decimal): string {
  let written = decimalText.get(value);
  if (written === undefined) {
    written = value.toFixed();
    decimalText.set(value, written);
  }
  return written;
}

/** The input a payslip was computed from, as stable JSON: compared later to find retro changes. */
export function inputSnapshot(input: EmployeeMonth): string {
  const a = input.attendance;
  const snapshot: Record<string, unknown> = {
    group: input.group,
    level: input.level,
    basePay: input.basePay ? text(input.basePay) : null,
    unpaidDays: text(a.unpaidDays),
    lateCount: text(a.lateCount),
    overtime: [text(a.overtimeHours.workday), text(a.overtimeHours.restDay), text(a.overtimeHours.holiday)],
    leaveDays: Object.fromEntries(Object.entries(a.leaveDays).map(([k, v]) => [k, text(v)])),
  };
  if (input.metrics) {
    snapshot.metrics = Object.fromEntries(
      Object.entries(input.metrics).map(([k, v]) => [k, typeof v === 'boolean' ? v : text(v as Decimal)]),
    );
  }
  if (input.sales) {
    const s = input.sales;
    const pair = (t: SalesTarget | null) => (t ? [text(t.amount), text(t.target)] : null);
    snapshot.sales = {
      month: pair(s.month),
      quarter: pair(s.quarter),
      year: pair(s.year),
      csat: text(s.csat),
      complaintRate: text(s.complaintRate),
      teamwork: text(s.teamwork),
    };
  }
  return JSON.stringify(snapshot);
}
