/** `special-deductions`: 专项附加扣除 declared per person and month (R-NET). */
import { reason } from '../problems.js';
import { parseYuan } from '../values.js';
import { defineKind, employeeNoField, monthField, textOf } from './spec.js';

export const specialDeductions = defineKind<'special-deductions'>({
  kind: 'special-deductions',
  title: reason('Special additional deductions', '专项附加扣除'),
  fields: {
    employeeNo: employeeNoField,
    month: monthField,
    amount: {
      zh: '专项附加扣除',
      en: 'amount',
      aliases: ['扣除金额', '专项附加扣除合计', '金额', 'special additional'],
      required: true,
      example: '2000',
      note: reason('yuan for the month (children, elderly, housing, education…)', '当月合计,元(子女教育、赡养老人、住房等)'),
      parse: (text) => parseYuan(text, { min: 0 }),
    },
    note: { zh: '备注', en: 'note', aliases: ['说明', 'remark'], required: false, example: '子女教育', parse: textOf(200), empty: null },
  },
  key: ['employeeNo', 'month'],
});
