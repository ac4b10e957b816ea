/** `attendance`: HR's month per employee — unpaid days, lateness, overtime, leave (R-PAY-2, R-PAY-3). */
import { Decimal, daysInMonth, monthParts } from '@ladder/core';
import { reason } from '../problems.js';
import { parseCount, parseDecimalText } from '../values.js';
import { type FieldSpec, type RowFields, defineKind, employeeNoField, monthField } from './spec.js';

const days = (zh: string, en: string, aliases: readonly string[], example = '0'): FieldSpec<string> => ({
  zh,
  en,
  aliases,
  required: false,
  example,
  note: reason('days, halves allowed; empty: 0', '天数,可为半天;留空为 0'),
  parse: (text) => parseDecimalText(text, { min: '0', max: '31', places: 2 }),
  empty: '0',
});

const hours = (zh: string, en: string, aliases: readonly string[], example = '0'): FieldSpec<string> => ({
  zh,
  en,
  aliases,
  required: false,
  example,
  note: reason('hours; empty: 0', '小时;留空为 0'),
  parse: (text) => parseDecimalText(text, { min: '0', max: '744', places: 2 }),
  empty: '0',
});

type Fields = RowFields<'attendance'>;
const DAY_FIELDS = ['unpaidDays', 'sickDays', 'annualDays', 'marriageDays', 'maternityDays', 'personalDays'] as const;

export const attendance = defineKind<'attendance'>({
  kind: 'attendance',
  title: reason('Attendance', '考勤'),
  fields: {
    employeeNo: employeeNoField,
    month: monthField,
    unpaidDays: days('缺勤天数', 'unpaidDays', ['缺勤', '缺勤(天)', '旷工天数', '无薪假天数', 'unpaid days', 'absence days'], '1'),
    lateCount: {
      zh: '迟到次数',
      en: 'lateCount',
      aliases: ['迟到', '迟到(次)', 'late count', 'late'],
      required: false,
      example: '0',
      note: reason('times late; empty: 0', '迟到次数;留空为 0'),
      parse: parseCount,
      empty: 0,
    },
    overtimeWorkday: hours('工作日加班(小时)', 'overtimeWorkday', ['工作日加班', '平时加班', '平时加班(小时)', 'overtime workday'], '4'),
    overtimeRestDay: hours('休息日加班(小时)', 'overtimeRestDay', ['休息日加班', '周末加班', '周末加班(小时)', 'overtime rest day']),
    overtimeHoliday: hours('节假日加班(小时)', 'overtimeHoliday', [
      '节假日加班',
      '法定节假日加班',
      '法定节假日加班(小时)',
      'overtime holiday',
    ]),
    sickDays: days('病假天数', 'sickDays', ['病假', '病假(天)', 'sick days']),
    annualDays: days('年假天数', 'annualDays', ['年假', '年假(天)', 'annual days', 'annual leave days']),
    marriageDays: days('婚假天数', 'marriageDays', ['婚假', '婚假(天)', 'marriage days']),
    maternityDays: days('产假天数', 'maternityDays', ['产假', '产假(天)', 'maternity days']),
    personalDays: days('事假天数', 'personalDays', ['事假', '事假(天)', 'personal days']),
  },
  finish(row) {
    const { year, month } = monthParts(row.month);
    const total = DAY_FIELDS.reduce((sum, field) => sum.plus(row[field]), new Decimal(0));
    const limit = daysInMonth(year, month);
    if (total.greaterThan(limit)) {
      return [
        {
          field: 'unpaidDays' as keyof Fields & string,
          reason: reason(
            `unpaid and leave days add up to ${total.toFixed()}, more than the ${limit} days of ${row.month}`,
            `缺勤与各类假期合计 ${total.toFixed()} 天,超过 ${row.month} 的 ${limit} 天`,
          ),
        },
      ];
    }
    return [];
  },
  key: ['employeeNo', 'month'],
});
