import {
  Decimal,
  type EmployeeMonth,
  fen,
  fenToYuan,
  firstDayOf,
  isQuarterEnd,
  isYearEnd,
  lastDayOf,
  type Month,
  monthParts,
  monthsOfQuarter,
  type Policy,
  quarterOf,
  rememberText,
  type SalesTarget,
} from '@ladder/core';
import type { Db } from '../context.js';
import { type EmployeeRange, employeesOnPayroll, type PayrollEmployee } from '../employees.js';
import { rowArrays, type SqliteConnection } from '../row-arrays.js';

/** Something that keeps a run from being approved until someone fixes the data. */
export interface RunProblem {
  employeeNo: string;
  code:
    | 'attendance_missing'
    | 'sales_missing'
    | 'sales_target_missing'
    | 'level_unknown'
    | 'group_unknown'
    | 'pay_profile_missing'
    | 'net_history_missing'
    | 'net_data_missing';
  message: string;
}

export interface MonthInputs {
  employees: { employee: PayrollEmployee; input: EmployeeMonth }[];
  problems: RunProblem[];
}

const ZERO = rememberText(new Decimal(0));
// Decimals never change, so the same text read for many people (0, 8, 1.5 …) is one object, its
// text for payslips made once: a run of 100,000 people makes a few thousand decimals instead of a
// couple of million.
const known = new Map<string, Decimal>();
function dec(value: string | number | null | undefined): Decimal {
  if (value === null || value === undefined || value === '') return ZERO;
  const text = String(value);
  let decimal = known.get(text);
  if (!decimal) {
    decimal = new Decimal(text);
    if (known.size < 100_000) known.set(text, rememberText(decimal));
  }
  return decimal;
}

// Contractual base pay repeats too (many people earn the same), so each amount is one decimal.
const knownBasePay = new Map<number, Decimal>();
function basePayOf(amount: number): Decimal {
  let decimal = knownBasePay.get(amount);
  if (!decimal) {
    decimal = fenToYuan(fen(amount));
    if (knownBasePay.size < 100_000) knownBasePay.set(amount, rememberText(decimal));
  }
  return decimal;
}

/**
 * Reads everything the pay engine needs for a month: a few set-wise queries for the whole
 * department, or for the employees of one id range.
 */
export async function gatherMonthInputs(
  db: Db,
  month: Month,
  policy: Policy,
  range?: EmployeeRange,
  sqlite?: SqliteConnection,
): Promise<MonthInputs> {
  const first = firstDayOf(month);
  const last = lastDayOf(month);
  const people = await employeesOnPayroll(db, month, range, sqlite);
  const from = range?.from ?? 0;
  const to = range?.to ?? Number.MAX_SAFE_INTEGER;

  type AttendanceRow = [
    employeeId: number,
    unpaidDays: string,
    lateCount: number,
    workday: string,
    restDay: string,
    holiday: string,
    leaveDays: string,
  ];
  const attendance = new Map(
    (
      await rowArrays<AttendanceRow>(
        sqlite,
        db
          .selectFrom('attendance_months')
          .select(['employee_id', 'unpaid_days', 'late_count', 'overtime_workday', 'overtime_rest_day', 'overtime_holiday', 'leave_days'])
          .where('employee_id', '>=', from)
          .where('employee_id', '<=', to)
          .where('month', '=', month),
      )
    ).map((r) => [r[0], r]),
  );
  const conversations = new Map<number, number>();
  const dayTotals = await rowArrays<[employeeId: number, total: number | string]>(
    sqlite,
    db
      .selectFrom('agent_month_stats')
      .select(['employee_id', (eb) => eb.fn.sum<number>('conversations').as('total')])
      .where('employee_id', '>=', from)
      .where('employee_id', '<=', to)
      .where('month', '=', month)
      .groupBy('employee_id'),
  );
  for (const [employeeId, total] of dayTotals) conversations.set(employeeId, Number(total));
  // A platform that only reports whole periods counts when its period is exactly this month.
  const periodTotals = await db
    .selectFrom('agent_period_stats')
    .select(['employee_id', (eb) => eb.fn.sum<number>('conversations').as('total')])
    .where('employee_id', '>=', from)
    .where('employee_id', '<=', to)
    .where('from_day', '=', first)
    .where('to_day', '=', last)
    .groupBy('employee_id')
    .execute();
  for (const row of periodTotals) conversations.set(row.employee_id, (conversations.get(row.employee_id) ?? 0) + Number(row.total));

  const tickets = new Map<number, { total: number; wrong: number }>();
  const ticketTotals = await rowArrays<[employeeId: number, total: number | string, wrong: number | string | null]>(
    sqlite,
    db
      .selectFrom('tickets')
      .select(['employee_id', (eb) => eb.fn.countAll<number>().as('total'), (eb) => eb.fn.sum<number>('wrong').as('wrong')])
      .where('employee_id', '>=', from)
      .where('employee_id', '<=', to)
      .where('day', '>=', first)
      .where('day', '<=', last)
      .groupBy('employee_id'),
  );
  for (const [employeeId, total, wrong] of ticketTotals) tickets.set(employeeId, { total: Number(total), wrong: Number(wrong ?? 0) });

  // Points are exact decimals kept as text; they are added here, not by the database, to stay exact.
  const deductions = new Map<number, Decimal>();
  const deductionRows = await rowArrays<[employeeId: number, points: string]>(
    sqlite,
    db
      .selectFrom('deductions')
      .select(['employee_id', 'points'])
      .where('employee_id', '>=', from)
      .where('employee_id', '<=', to)
      .where('day', '>=', first)
      .where('day', '<=', last)
      .where('revoked_at', 'is', null),
  );
  for (const [employeeId, points] of deductionRows) deductions.set(employeeId, (deductions.get(employeeId) ?? ZERO).plus(dec(points)));

  // R-QA-2: a critical item that stands (not voided by a dispute) forfeits the month when the policy said so.
  const criticalHits = new Set(
    (
      await db
        .selectFrom('qa_forfeitures')
        .select('employee_id')
        .where('employee_id', '>=', from)
        .where('employee_id', '<=', to)
        .where('month', '=', month)
        .where('status', '!=', 'void')
        .execute()
    ).map((r) => r.employee_id),
  );
  type LeadRow = [employeeId: number, execution: string, rewards: string, excellentCases: number, extra: string];
  const leadPoints = new Map(
    (
      await rowArrays<LeadRow>(
        sqlite,
        db
          .selectFrom('lead_points')
          .select(['employee_id', 'execution', 'rewards', 'excellent_cases', 'extra'])
          .where('employee_id', '>=', from)
          .where('employee_id', '<=', to)
          .where('month', '=', month),
      )
    ).map((r) => [r[0], r]),
  );

  const { year } = monthParts(month);
  const salesMonths = new Map<string, { amount: string; target: string; csat: string; complaint_rate: string; teamwork: string }>();
  const salesTargets = new Map<string, string>();
  if (people.some((p) => policy.groups[p.group]?.scheme === 'sales')) {
    const monthRows = await db
      .selectFrom('sales_months')
      .select(['employee_id', 'month', 'amount', 'target', 'csat', 'complaint_rate', 'teamwork'])
      .where('employee_id', '>=', from)
      .where('employee_id', '<=', to)
      .where('month', '>=', `${year}-01`)
      .where('month', '<=', month)
      .execute();
    for (const row of monthRows) salesMonths.set(`${row.employee_id}/${row.month}`, row);
    const targetRows = await db
      .selectFrom('sales_targets')
      .select(['employee_id', 'period', 'target'])
      .where('employee_id', '>=', from)
      .where('employee_id', '<=', to)
      .where('period', 'in', [quarterOf(month), String(year)])
      .execute();
    for (const row of targetRows) salesTargets.set(`${row.employee_id}/${row.period}`, row.target);
  }

  const problems: RunProblem[] = [];
  const employees: MonthInputs['employees'] = [];
  for (const person of people) {
    const group = policy.groups[person.group];
    if (!group) {
      problems.push({ employeeNo: person.employeeNo, code: 'group_unknown', message: `group ${person.group} is not in the policy` });
      continue;
    }
    if (!policy.tracks[group.track]?.levels.some((l) => l.code === person.level)) {
      problems.push({
        employeeNo: person.employeeNo,
        code: 'level_unknown',
        message: `level ${person.level} is not in the ${person.group} track`,
      });
      continue;
    }
    const a = attendance.get(person.id);
    if (!a)
      problems.push({
        employeeNo: person.employeeNo,
        code: 'attendance_missing',
        message: `no attendance for ${month}; computed as a month without absence`,
      });
    const leave = !a || a[6] === '{}' ? {} : (JSON.parse(a[6]) as Record<string, string>);
    const input: EmployeeMonth = {
      id: person.employeeNo,
      group: person.group,
      level: person.level,
      attendance: {
        unpaidDays: dec(a?.[1]),
        lateCount: dec(a?.[2]),
        overtimeHours: { workday: dec(a?.[3]), restDay: dec(a?.[4]), holiday: dec(a?.[5]) },
        leaveDays: Object.fromEntries(Object.entries(leave).map(([type, days]) => [type, dec(days)])),
      },
    };
    if (person.basePayFen !== null) input.basePay = basePayOf(person.basePayFen);
    if (group.scheme === 'score') {
      const points = leadPoints.get(person.id);
      const handled = tickets.get(person.id);
      input.metrics = {
        conversations: dec(conversations.get(person.id)),
        tickets: dec(handled?.total),
        wrongTickets: dec(handled?.wrong),
        deductions: deductions.get(person.id) ?? ZERO,
        execution: dec(points?.[1]),
        rewards: dec(points?.[2]),
        excellentCases: dec(points?.[3]),
        extra: dec(points?.[4]),
        qaCriticalHit: criticalHits.has(person.id),
      };
    } else {
      const current = salesMonths.get(`${person.id}/${month}`);
      if (!current) {
        problems.push({
          employeeNo: person.employeeNo,
          code: 'sales_missing',
          message: `no sales figures for ${month}; no payslip computed`,
        });
        continue;
      }
      const periodFigures = (period: string, months: readonly string[]): SalesTarget | null => {
        const target = salesTargets.get(`${person.id}/${period}`);
        if (!target) {
          problems.push({
            employeeNo: person.employeeNo,
            code: 'sales_target_missing',
            message: `no sales target for ${period}; its bonus is not paid`,
          });
          return null;
        }
        const amount = months.reduce((sum, m) => sum.plus(dec(salesMonths.get(`${person.id}/${m}`)?.amount)), ZERO);
        return { amount, target: dec(target) };
      };
      const yearMonths = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
      input.sales = {
        month: { amount: dec(current.amount), target: dec(current.target) },
        quarter: isQuarterEnd(month) ? periodFigures(quarterOf(month), monthsOfQuarter(quarterOf(month))) : null,
        year: isYearEnd(month) ? periodFigures(String(year), yearMonths) : null,
        csat: dec(current.csat),
        complaintRate: dec(current.complaint_rate),
        teamwork: dec(current.teamwork),
      };
    }
    employees.push({ employee: person, input });
  }
  return { employees, problems };
}
