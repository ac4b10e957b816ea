/** `annual-bonuses`: the year's one-time bonus and how the person chose to have it taxed (R-NET). */
import { reason } from '../problems.js';
import { enumParser, parseYuan } from '../values.js';
import { defineKind, employeeNoField, monthField } from './spec.js';

export const annualBonuses = defineKind<'annual-bonuses'>({
  kind: 'annual-bonuses',
  title: reason('Annual one-time bonuses', '全年一次性奖金'),
  fields: {
    employeeNo: employeeNoField,
    month: { ...monthField, zh: '发放月份', aliases: ['月份', '发放月', 'month'] },
    amount: {
      zh: '年终奖',
      en: 'amount',
      aliases: ['全年一次性奖金', '奖金', '金额', 'bonus'],
      required: true,
      example: '36000',
      note: reason('yuan, greater than 0', '元,大于 0'),
      parse: (text) => parseYuan(text, { positive: true }),
    },
    method: {
      zh: '计税方式',
      en: 'method',
      aliases: ['计税', 'tax method'],
      required: true,
      example: '单独计税',
      note: reason('separate (单独计税) or merged (并入综合所得)', '单独计税 或 并入综合所得'),
      parse: enumParser(
        { separate: ['单独计税', '单独', 'separate', 'separately'], merged: ['并入综合所得', '并入', '合并', 'merged'] },
        reason('separate or merged', '单独计税 或 并入综合所得'),
      ),
    },
  },
  key: ['employeeNo', 'month'],
});
