import { describe, expect, it } from 'vitest';
import { Decimal } from '../money/decimal.js';
import type { Policy } from '../policy/model.js';
import { parsePolicy } from '../policy/read.js';
import { defaultPolicyText } from '../policy/test-support.js';
import { attendanceDeductions, overtimeLines } from './attendance.js';
import type { Attendance } from './input.js';

const policy = parsePolicy(defaultPolicyText()).policy;
const d = (text: string) => new Decimal(text);

function attendance(workday: string, unpaid = '0', leave: Record<string, string> = {}): Attendance {
  return {
    unpaidDays: d(unpaid),
    lateCount: d('0'),
    overtimeHours: { workday: d(workday), restDay: d('0'), holiday: d('0') },
    leaveDays: Object.fromEntries(Object.entries(leave).map(([k, v]) => [k, d(v)])),
  };
}

describe('attendance lines computed once per case', () => {
  it('hands the same case the same frozen lines, and each other case its own', () => {
    const first = overtimeLines(policy, d('3000'), attendance('16'));
    const again = overtimeLines(policy, d('3000.00'), attendance('16.0'));
    expect(again).toBe(first);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ code: 'overtime_workday', amount: 41379 });
    expect(Object.isFrozen(first) && Object.isFrozen(first[0]) && Object.isFrozen(first[0]?.inputs)).toBe(true);
    expect(() => {
      (first[0] as { amount: number }).amount = 1;
    }).toThrow(TypeError);

    expect(overtimeLines(policy, d('3000'), attendance('8'))[0]?.amount).toBe(20690);
    expect(overtimeLines(policy, d('4000'), attendance('16'))[0]?.amount).toBe(55172);
    const other: Policy = { ...policy, attendance: { ...policy.attendance, hoursPerDay: d('10') } };
    expect(overtimeLines(other, d('3000'), attendance('16'))[0]?.amount).toBe(33103);
    expect(overtimeLines(policy, d('3000'), attendance('0'))).toEqual([]);
  });

  it('keeps unpaid days and each leave type apart in the case', () => {
    const leaveType = Object.entries(policy.attendance.leave).find(([, l]) => !l.payRate.equals(1))?.[0] as string;
    const unpaid = attendanceDeductions(policy, d('3000'), attendance('0', '2'));
    const onLeave = attendanceDeductions(policy, d('3000'), attendance('0', '0', { [leaveType]: '2' }));
    expect(unpaid.map((l) => l.code)).toEqual(['unpaid_days']);
    expect(onLeave.map((l) => l.code)).toEqual([`leave_${leaveType}`]);
    expect(attendanceDeductions(policy, d('3000'), attendance('0', '2'))).toBe(unpaid);
    expect(attendanceDeductions(policy, d('3000'), attendance('0'))).toEqual([]);
  });
});
