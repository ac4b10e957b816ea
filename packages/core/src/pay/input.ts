import { Decimal } from '../money/decimal.js';
import { parseMonth, type Month } from '../period/period.js';
import type { OvertimeKind, Policy } from '../policy/model.js';
import { ValidationError } from '../validate/problems.js';
import {
  boolean,
  count,
  decimal,
  describeValue,
  type Field,
  nonNegative,
  nullable,
  object,
  Reader,
  record,
  text,
} from '../validate/schema.js';

export interface Attendance {
  unpaidDays: Decimal;
  lateCount: Decimal;
  overtimeHours: Record<OvertimeKind, Decimal>;
  /** Days of paid or partly paid leave by leave type of the policy. */
  leaveDays: Record<string, Decimal>;
}

/** The month's figures of the 2017 scheme (R-PAY-5). */
export interface ScoreMetrics {
  conversations: Decimal;
  tickets: Decimal;
  wrongTickets: Decimal;
  deductions: Decimal;
  execution: Decimal;
  rewards: Decimal;
  excellentCases: Decimal;
  extra: Decimal;
  /** A critical QA item stands this month and the policy forfeits the month for it (R-QA-2). */
  qaCriticalHit: boolean;
}

export interface SalesTarget {
  amount: Decimal;
  target: Decimal;
}

export interface SalesFigures {
  month: SalesTarget;
  quarter: SalesTarget | null;
  year: SalesTarget | null;
  csat: Decimal;
  complaintRate: Decimal;
  teamwork: Decimal;
}

export interface EmployeeMonth {
  id: string;
  group: string;
  level: string;
  /** Overrides the level's base pay from the policy (a person's own contract). */
  basePay?: Decimal;
  attendance: Attendance;
  metrics?: ScoreMetrics;
  sales?: SalesFigures;
}

export interface MonthInput {
  period: Month;
  employees: EmployeeMonth[];
}

const period: Field<Month> = (reader, value, path) => {
  if (typeof value !== 'string' || parseMonth(value) === undefined) {
    reader.report(path, `must be a month YYYY-MM (01–12), got ${JSON.stringify(value)}`);
    return undefined;
  }
  return value as Month;
};

const zero = () => new Decimal(0);

const overtimeHours = object(
  { workday: nonNegative(), restDay: nonNegative(), holiday: nonNegative() },
  { optional: ['workday', 'restDay', 'holiday'] },
);

const attendance = object(
  {
    unpaidDays: nonNegative(),
    lateCount: count(),
    overtimeHours,
    leaveDays: record(nonNegative()),
  },
  { optional: ['overtimeHours', 'leaveDays'] },
);

const metrics = object(
  {
    conversations: count(),
    tickets: count(),
    wrongTickets: count(),
    deductions: nonNegative(),
    execution: nonNegative(),
    rewards: nonNegative(),
    excellentCases: count(),
    extra: decimal(),
    qaCriticalHit: boolean(),
  },
  { optional: ['qaCriticalHit'] },
);

const salesTarget = object({ amount: nonNegative(), target: decimal({ min: 0, minExclusive: true }) });

const sales = object(
  {
    month: salesTarget,
    quarter: nullable(salesTarget),
    year: nullable(salesTarget),
    csat: decimal({ min: 0, max: 1 }),
    complaintRate: decimal({ min: 0, max: 1 }),
    teamwork: nonNegative(),
  },
  { optional: ['quarter', 'year'] },
);

const employee = object(
  { id: text(), group: text(), level: text(), basePay: nonNegative(), attendance, metrics, sales },
  { optional: ['basePay', 'metrics', 'sales'] },
);

const rawList: Field<unknown[]> = (reader, value, path) => {
  if (!Array.isArray(value)) {
    reader.report(path, `must be a list, got ${describeValue(value)}`);
    return undefined;
  }
  if (value.length === 0) {
    reader.report(path, 'must not be empty');
    return undefined;
  }
  return value;
};

const monthInput = object({ period, employees: rawList });

/** Reads and validates a month's calc input against the policy; throws ValidationError with every problem. */
export function readMonthInput(data: unknown, policyFor: (month: Month) => Policy): { input: MonthInput; policy: Policy } {
  const reader = new Reader();
  const raw = monthInput(reader, data, []);
  if (raw === undefined) throw new ValidationError(reader.problems, 'input is invalid');
  const policy = policyFor(raw.period);
  // Each employee is read on its own, so one bad record does not hide the problems of the others.
  const people = raw.employees.map((item, index) => employee(reader, item, ['employees', index]));
  const seen = new Map<string, number>();
  people.forEach((person, index) => {
    if (!person) return;
    const path = ['employees', index];
    const earlier = seen.get(person.id);
    if (earlier !== undefined) reader.report([...path, 'id'], `duplicate employee id "${person.id}" (also employees[${earlier}])`);
    else seen.set(person.id, index);
    const group = policy.groups[person.group];
    if (!group) {
      reader.report([...path, 'group'], `unknown group "${person.group}" (groups: ${Object.keys(policy.groups).join(', ')})`);
      return;
    }
    const track = policy.tracks[group.track];
    const levels = track?.levels.map((level) => level.code) ?? [];
    if (!levels.includes(person.level)) {
      reader.report([...path, 'level'], `"${person.level}" is not a level of the ${person.group} group's track (${levels.join(', ')})`);
    }
    if (group.scheme === 'score') {
      if (!person.metrics) reader.report([...path, 'metrics'], `is required for the ${person.group} group`);
      if (person.sales) reader.report([...path, 'sales'], `is not read for the ${person.group} group (score scheme); remove it`);
    } else {
      if (!person.sales) reader.report([...path, 'sales'], `is required for the ${person.group} group`);
      if (person.metrics) reader.report([...path, 'metrics'], `is not read for the ${person.group} group (sales scheme); remove it`);
    }
    for (const leaveType of Object.keys(person.attendance.leaveDays ?? {})) {
      if (!(leaveType in policy.attendance.leave)) {
        reader.report(
          [...path, 'attendance', 'leaveDays', leaveType],
          `unknown leave type (policy has: ${Object.keys(policy.attendance.leave).join(', ')})`,
        );
      }
    }
  });
  reader.throwIfProblems('input is invalid');

  const employees: EmployeeMonth[] = people.map((person) => {
    if (!person) throw new Error('unreachable: problems were reported');
    const hours = person.attendance.overtimeHours;
    const result: EmployeeMonth = {
      id: person.id,
      group: person.group,
      level: person.level,
      attendance: {
        unpaidDays: person.attendance.unpaidDays,
        lateCount: person.attendance.lateCount,
        overtimeHours: {
          workday: hours?.workday ?? zero(),
          restDay: hours?.restDay ?? zero(),
          holiday: hours?.holiday ?? zero(),
        },
        leaveDays: person.attendance.leaveDays ?? {},
      },
    };
    if (person.basePay) result.basePay = person.basePay;
    if (person.metrics) result.metrics = { ...person.metrics, qaCriticalHit: person.metrics.qaCriticalHit ?? false };
    if (person.sales) result.sales = { ...person.sales, quarter: person.sales.quarter ?? null, year: person.sales.year ?? null };
    return result;
  });
  return { input: { period: raw.period, employees }, policy };
}
