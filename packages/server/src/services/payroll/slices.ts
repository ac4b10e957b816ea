/**
 * A run's payslips computed slice by slice — the employees of one id range at a time — so a run
 * never holds a whole department's inputs and explained rows: each slice is written before the
 * next is read.
 */
import type { Month, Policy } from '@ladder/core';
import type { Db } from '../context.js';
import { computeRow } from './compute.js';
import type { EmployeeRange } from '../employees.js';
import type { SqliteConnection } from '../row-arrays.js';
import { gatherMonthInputs, type RunProblem } from './inputs.js';
import { gatherNetInputs, type GrossOfMonth, type NetInputs, netOfSlip } from './net.js';
import type { RetroLine } from './retro.js';
import type { PayslipRow } from './write.js';

/** About this many people are read at once: enough for set-wise queries to pay. */
export const SLICE_PEOPLE = 5000;
/** Computed payslips are handed on this many at a time. */
export const SLICE_ROWS = 500;

export interface ComputedSlice {
  /** The range of employee ids the slice belongs to. */
  range: EmployeeRange;
  rows: PayslipRow[];
  grosses: GrossOfMonth[];
  problems: RunProblem[];
  /** Problems of gross to net, listed after all the others. */
  netProblems: RunProblem[];
}

/** What every slice of a run is computed from. */
export interface RunBasis {
  month: Month;
  policy: Policy;
  retro: ReadonlyMap<string, RetroLine[]>;
  /** Gross to net too (R-NET): someone in the department has a pay profile. */
  netPay: boolean;
}

/** Consecutive id ranges covering every employee, each holding about `size` of them. */
export async function employeeRanges(db: Db, size = SLICE_PEOPLE): Promise<EmployeeRange[]> {
  const { first, last, count } = await db
    .selectFrom('employees')
    .select((eb) => [eb.fn.min<number>('id').as('first'), eb.fn.max<number>('id').as('last'), eb.fn.countAll<number>().as('count')])
    .executeTakeFirstOrThrow();
  if (first === null || last === null) return [];
  const slices = Math.max(1, Math.ceil(Number(count) / size));
  const span = Math.ceil((Number(last) - Number(first) + 1) / slices);
  const ranges: EmployeeRange[] = [];
  for (let from = Number(first); from <= Number(last); from += span) ranges.push({ from, to: Math.min(from + span - 1, Number(last)) });
  return ranges;
}

/**
 * The month's payslips of the given ranges, in employee-id order within each range, handed on
 * SLICE_ROWS at a time: rows handed on soon are let go while young, which the garbage collector
 * frees for almost nothing (holding 5,000 explained rows at once cost a run of 100,000 ≈ 2 s).
 * Ranges are taken from `ranges` one at a time, as they are reached (another thread may be taking
 * from the same source). Retro lines are added to their person's payslip, net pay to its row.
 * `sqlite`: the connection under `db`, when it is SQLite (its rows are read as arrays).
 */
export async function* computeSlices(
  db: Db,
  basis: RunBasis,
  ranges: Iterator<EmployeeRange>,
  rowsPerSlice = SLICE_ROWS,
  sqlite?: SqliteConnection,
): AsyncGenerator<ComputedSlice> {
  const { month, policy, retro } = basis;
  for (let next = ranges.next(); !next.done; next = ranges.next()) {
    const range = next.value;
    const inputs = await gatherMonthInputs(db, month, policy, range, sqlite);
    const netInputs: NetInputs | undefined = basis.netPay ? await gatherNetInputs(db, month, range) : undefined;
    const start = (problems: RunProblem[]): ComputedSlice => ({ range, rows: [], grosses: [], problems, netProblems: [] });
    let slice = start(inputs.problems);
    for (const { employee, input } of inputs.employees) {
      const retroLines = retro.get(employee.employeeNo);
      const { row, gross } = computeRow(policy, month, retroLines ? { employee, input, retro: retroLines } : { employee, input });
      const ofMonth: GrossOfMonth = { employeeId: employee.id, employeeNo: employee.employeeNo, hiredOn: employee.hiredOn, gross };
      if (netInputs) {
        const net = netOfSlip(netInputs, ofMonth);
        if ('row' in net) row.net = net.row;
        else slice.netProblems.push(net.problem);
      }
      slice.rows.push(row);
      slice.grosses.push(ofMonth);
      if (slice.rows.length === rowsPerSlice) {
        yield slice;
        slice = start([]);
      }
    }
    if (slice.rows.length > 0 || slice.problems.length > 0 || slice.netProblems.length > 0) yield slice;
  }
}

/** Slices of people done and payslips computed, counted as computed slices go by (one range may come in several parts). */
export class SliceProgress {
  slices = 0;
  payslips = 0;
  #range: number | undefined;

  add(slice: Pick<ComputedSlice, 'range' | 'grosses'>): void {
    if (slice.range.from !== this.#range) {
      if (this.#range !== undefined) this.slices += 1;
      this.#range = slice.range.from;
    }
    this.payslips += slice.grosses.length;
  }

  /** The last range is done too. */
  end(): void {
    if (this.#range !== undefined) this.slices += 1;
    this.#range = undefined;
  }
}
