import { Decimal, divideRounded } from '../money/decimal.js';
import { type Fen, divideToFen, fen, yuanToFen } from '../money/fen.js';
import { OVERTIME_KINDS, type OvertimeKind, type Policy } from '../policy/model.js';
import type { Attendance } from './input.js';
import { money, num, type PayLine, yuan } from './line.js';

const OVERTIME_NAMES: Record<OvertimeKind, { zh: string; en: string }> = {
  workday: { zh: '工作日加班', en: 'workday overtime' },
  restDay: { zh: '休息日加班', en: 'rest-day overtime' },
  holiday: { zh: '法定节假日加班', en: 'statutory-holiday overtime' },
};

/*
 * Attendance lines depend on a handful of values that repeat across a department (the same base,
 * the same 16 hours of overtime): each distinct case is computed once per policy and its lines —
 * frozen, so no caller can change what another payslip shares — handed out again.
 */
const computed = new WeakMap<Policy, Map<string, readonly PayLine[]>>();
const REMEMBERED_CASES = 10_000;

function remembered(policy: Policy, key: string, make: () => PayLine[]): readonly PayLine[] {
  let cases = computed.get(policy);
  if (!cases) computed.set(policy, (cases = new Map()));
  let lines = cases.get(key);
  if (!lines) {
    if (cases.size >= REMEMBERED_CASES) cases.clear();
    lines = Object.freeze(
      make().map((line) => Object.freeze({ ...line, inputs: Object.freeze(line.inputs), explain: Object.freeze(line.explain) })),
    );
    cases.set(key, lines);
  }
  return lines;
}

const NONE: readonly PayLine[] = Object.freeze([]);

/** R-PAY-2: deductions for unpaid days and partly paid leave, never more than the base pay in all. */
export function attendanceDeductions(policy: Policy, basePay: Decimal, attendance: Attendance): readonly PayLine[] {
  const leave = Object.entries(attendance.leaveDays);
  if (attendance.unpaidDays.isZero() && leave.length === 0) return NONE;
  // Fields apart by NUL, which no decimal and no policy's leave code holds.
  const key = `deductions\0${basePay.toString()}\0${attendance.unpaidDays.toString()}\0${leave.map(([type, days]) => `${type}\0${days.toString()}`).join('\0')}`;
  return remembered(policy, key, () => deductionsOf(policy, basePay, attendance));
}

function deductionsOf(policy: Policy, basePay: Decimal, attendance: Attendance): PayLine[] {
  const days = policy.attendance.paidDaysPerMonth;
  const baseFen = yuanToFen(basePay);
  let remaining: number = baseFen;
  const lines: PayLine[] = [];

  const deduct = (code: string, wanted: Fen, formula: string, inputs: Record<string, string>, zh: string, en: string) => {
    const amount = Math.min(wanted, remaining);
    if (amount <= 0) return;
    remaining -= amount;
    const capped = amount < wanted;
    const cappedZh = capped ? `,以剩余基本工资 ${yuan(fen(amount))} 元为限` : '';
    const cappedEn = capped ? `, limited to the remaining base pay ${yuan(fen(amount))}` : '';
    lines.push({
      code,
      amount: fen(-amount),
      rule: 'R-PAY-2',
      formula: `-(${formula})`,
      inputs,
      explain: {
        zh: `${zh} = ${yuan(fen(wanted))} 元${cappedZh}`,
        en: `${en} = ${yuan(fen(wanted))} yuan${cappedEn}`,
      },
    });
  };

  if (attendance.unpaidDays.greaterThan(0)) {
    const formula = `${money(basePay)} × ${num(attendance.unpaidDays)} ÷ ${num(days)}`;
    deduct(
      'unpaid_days',
      divideToFen(basePay.times(attendance.unpaidDays), days),
      formula,
      { basePay: money(basePay), unpaidDays: num(attendance.unpaidDays), paidDaysPerMonth: num(days) },
      `缺勤/无薪假 ${num(attendance.unpaidDays)} 天扣款:${formula}`,
      `Unpaid days: ${num(attendance.unpaidDays)} day(s) deducted, ${formula}`,
    );
  }
  for (const [type, leaveDays] of Object.entries(attendance.leaveDays)) {
    const leave = policy.attendance.leave[type];
    if (!leave || leaveDays.isZero() || leave.payRate.equals(1)) continue;
    const unpaidShare = new Decimal(1).minus(leave.payRate);
    const formula = `${money(basePay)} × ${num(leaveDays)} × (1 − ${num(leave.payRate)}) ÷ ${num(days)}`;
    deduct(
      `leave_${type}`,
      divideToFen(basePay.times(leaveDays).times(unpaidShare), days),
      formula,
      { basePay: money(basePay), leaveDays: num(leaveDays), payRate: num(leave.payRate), paidDaysPerMonth: num(days) },
      `${leave.name.zh} ${num(leaveDays)} 天,按 ${num(leave.payRate.times(100))}% 发放,扣款:${formula}`,
      `${leave.name.en}: ${num(leaveDays)} day(s) paid at ${num(leave.payRate.times(100))}%, deducted ${formula}`,
    );
  }
  return lines;
}

/** R-PAY-3: hourly rate = base ÷ paid days ÷ hours per day, times the statutory multiplier. */
export function overtimeLines(policy: Policy, basePay: Decimal, attendance: Attendance): readonly PayLine[] {
  const hours = attendance.overtimeHours;
  if (hours.workday.isZero() && hours.restDay.isZero() && hours.holiday.isZero()) return NONE;
  const key = `overtime\0${basePay.toString()}\0${hours.workday.toString()}\0${hours.restDay.toString()}\0${hours.holiday.toString()}`;
  return remembered(policy, key, () => overtimeOf(policy, basePay, attendance));
}

function overtimeOf(policy: Policy, basePay: Decimal, attendance: Attendance): PayLine[] {
  const { paidDaysPerMonth, hoursPerDay } = policy.attendance;
  const hoursPerMonth = paidDaysPerMonth.times(hoursPerDay);
  const lines: PayLine[] = [];
  for (const kind of OVERTIME_KINDS) {
    const hours = attendance.overtimeHours[kind];
    if (hours.isZero()) continue;
    const multiplier = policy.attendance.overtime[kind];
    const formula = `${money(basePay)} ÷ ${num(paidDaysPerMonth)} ÷ ${num(hoursPerDay)} × ${num(hours)} × ${num(multiplier)}`;
    const amount = divideToFen(basePay.times(hours).times(multiplier), hoursPerMonth);
    if (amount === 0) continue;
    const rate = num(divideRounded(basePay, hoursPerMonth, 4));
    lines.push({
      code: `overtime_${kind === 'restDay' ? 'rest_day' : kind}`,
      amount,
      rule: 'R-PAY-3',
      formula,
      inputs: {
        basePay: money(basePay),
        hours: num(hours),
        multiplier: num(multiplier),
        paidDaysPerMonth: num(paidDaysPerMonth),
        hoursPerDay: num(hoursPerDay),
      },
      explain: {
        zh: `${OVERTIME_NAMES[kind].zh} ${num(hours)} 小时 × ${num(multiplier)} 倍,时薪 ≈ ${rate} 元:${formula} = ${yuan(amount)} 元`,
        en: `${OVERTIME_NAMES[kind].en}: ${num(hours)} h × ${num(multiplier)}, hourly rate ≈ ${rate}: ${formula} = ${yuan(amount)} yuan`,
      },
    });
  }
  return lines;
}

/** Full attendance: no unpaid day, no lateness, no leave that breaks it. */
export function hasFullAttendance(policy: Policy, attendance: Attendance): boolean {
  if (attendance.unpaidDays.greaterThan(0) || attendance.lateCount.greaterThan(0)) return false;
  return Object.entries(attendance.leaveDays).every(
    ([type, days]) => days.isZero() || policy.attendance.leave[type]?.keepsFullAttendance === true,
  );
}

export function baseLine(basePay: Decimal, levelName: { zh: string; en: string }, rule: string, ownContract = false): PayLine | undefined {
  const amount: Fen = yuanToFen(basePay);
  if (amount === 0) return undefined;
  return {
    code: 'base',
    amount,
    rule,
    formula: money(basePay),
    inputs: { basePay: money(basePay) },
    explain: {
      zh: ownContract ? `基本工资:个人合同约定月基本工资 ${yuan(amount)} 元` : `基本工资:${levelName.zh} 月基本工资 ${yuan(amount)} 元`,
      en: ownContract
        ? `Base pay: the person's own contractual monthly base, ${yuan(amount)} yuan`
        : `Base pay: monthly base of ${levelName.en}, ${yuan(amount)} yuan`,
    },
  };
}
