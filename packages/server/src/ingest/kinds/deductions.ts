/** `deductions`: efficiency and discipline deductions entered by team leads (R-QA-4). */
import type { DeductionCategory } from '../types.js';
import { reason } from '../problems.js';
import { parseDecimalText } from '../values.js';
import { dayField, defineKind, employeeNoField, enumParser, textOf } from './spec.js';

export const parseCategory = enumParser<DeductionCategory>(
  { efficiency: ['效能', '效率', '工作效能'], discipline: ['纪律', '劳动纪律'] },
  reason('must be efficiency or discipline (效能/纪律)', '必须是 效能 或 纪律(efficiency/discipline)'),
);

export const deductions = defineKind<'deductions'>({
  kind: 'deductions',
  title: reason('Efficiency and discipline deductions', '效能与纪律扣分'),
  fields: {
    employeeNo: employeeNoField,
    day: dayField(),
    points: {
      zh: '扣分',
      en: 'points',
      aliases: ['扣分分值', '分值', '扣除分数'],
      required: true,
      example: '0.5',
      note: reason('points ≥ 0, halves allowed', '≥ 0 的分数,可为 0.5'),
      parse: (text) => parseDecimalText(text, { min: '0', max: '1000', places: 2 }),
    },
    category: { zh: '类别', en: 'category', aliases: ['扣分类别', '类型'], required: true, example: '效能', parse: parseCategory },
    reason: { zh: '原因', en: 'reason', aliases: ['扣分原因', '说明', '事由'], required: true, example: '超时未回复', parse: textOf(500) },
    enteredBy: {
      zh: '录入人',
      en: 'enteredBy',
      aliases: ['entered by', '记录人', '登记人'],
      required: true,
      example: '李组长',
      parse: textOf(100),
    },
  },
});
