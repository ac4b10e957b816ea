/** `sales`: a sales agent's month (R-SAL-2): sales against target, CSAT, complaint rate, teamwork. */
import { reason } from '../problems.js';
import { parseDecimalText, parseRate, parseYuan } from '../values.js';
import { defineKind, employeeNoField, monthField } from './spec.js';

export const sales = defineKind<'sales'>({
  kind: 'sales',
  title: reason('Sales results', '销售业绩'),
  fields: {
    employeeNo: employeeNoField,
    month: monthField,
    amount: {
      zh: '销售额',
      en: 'amount',
      aliases: ['销售额(元)', '销售金额', 'sales', 'sales amount'],
      required: true,
      example: '120000',
      note: reason('yuan', '元'),
      parse: (text) => parseYuan(text),
    },
    target: {
      zh: '月目标',
      en: 'target',
      aliases: ['月目标(元)', '销售目标', '月度目标', 'monthly target'],
      required: true,
      example: '100000',
      note: reason('yuan, greater than 0', '元,大于 0'),
      parse: (text) => parseYuan(text, { positive: true }),
    },
    csat: {
      zh: '客户满意度',
      en: 'csat',
      aliases: ['满意度', '满意率', 'customer satisfaction'],
      required: true,
      example: '95%',
      parse: parseRate,
    },
    complaintRate: {
      zh: '客户投诉率',
      en: 'complaintRate',
      aliases: ['投诉率', 'complaint rate'],
      required: true,
      example: '2%',
      parse: parseRate,
    },
    teamwork: {
      zh: '团队协作',
      en: 'teamwork',
      aliases: ['团队协作评分', '协作评分'],
      required: true,
      example: '90',
      note: reason('a rating from 0 to 100', '0–100 的评分'),
      parse: (text) => parseDecimalText(text, { min: '0', max: '100', places: 2 }),
    },
  },
  key: ['employeeNo', 'month'],
});
