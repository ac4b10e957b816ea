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

/**
 * Consecutive id ranges covering every employee, each holding about `size` of them — but the
 * last two, cut in four each: two threads taking ranges from one source then end within a
 * quarter of a range of each other (whole ranges left one of them idle ≈ 0.2 s of a 5 s run).
 */
export async function employeeRanges(db: Db, size = SLICE_PEOPLE): Promise<EmployeeRange[]> {
  const found = await db
    .selectFrom('employees')
    .select((eb) => [eb.fn.min<number>('id').as('first'), eb.fn.max<number>('id').as('last'), eb.fn.countAll<number>().as('count')])
    .executeTakeFirstOrThrow();
  if (found.first === null || found.last === null) return [];
  const first = Number(found.first);
  const last = Number(found.last);
  const slices = Math.max(1, Math.ceil(Number(found.count) / size));
  const span = Math.ceil((last - first + 1) / slices);
  const tailFrom = slices > 2 ? first + (slices - 2) * span : last + 1;
  const ranges: EmployeeRange[] = [];
  for (let from = first; from <= last;) {
    const step = from < tailFrom ? span : Math.ceil(span / 4);
    ranges.push({ from, to: Math.min(from + step - 1, last) });
    from += step;
  }
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

/** Slices of people done, the ids they span, and payslips computed, counted as computed slices go by (one range may come in several parts). */
export class SliceProgress {
  slices = 0;
  /** Employee ids the finished ranges span: a share of the run that the smaller last ranges do not skew. */
  ids = 0;
  payslips = 0;
  #range: EmployeeRange | undefined;

  add(slice: Pick<ComputedSlice, 'range' | 'grosses'>): void {
    if (slice.range.from !== this.#range?.from) {
      this.#finishRange();
      this.#range = slice.range;
    }
    this.payslips += slice.grosses.length;
  }

  /** The last range is done too. */
  end(): void {
    this.#finishRange();
    this.#range = undefined;
  }

  #finishRange(): void {
    if (!this.#range) return;
    this.slices += 1;
    this.ids += this.#range.to - this.#range.from + 1;
  }
}

/** The ids a run's consecutive ranges span together. */
export function idsSpanned(ranges: readonly EmployeeRange[]): number {
  const first = ranges[0];
  const last = ranges.at(-1);
  return first && last ? last.to - first.from + 1 : 0;
}
