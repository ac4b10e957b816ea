/** `sales-targets`: quarterly and yearly sales targets (R-SAL-3). */
import { reason } from '../problems.js';
import { parsePeriod, parseYuan } from '../values.js';
import { defineKind, employeeNoField } from './spec.js';

export const salesTargets = defineKind<'sales-targets'>({
  kind: 'sales-targets',
  title: reason('Sales targets', '销售目标'),
  fields: {
    employeeNo: employeeNoField,
    period: {
      zh: '周期',
      en: 'period',
      aliases: ['考核周期', '季度', '年度'],
      required: true,
      example: '2026-Q3',
      note: reason('a quarter (2026-Q3) or a year (2026)', '季度(2026-Q3)或年度(2026)'),
      parse: parsePeriod,
    },
    target: {
      zh: '目标',
      en: 'target',
      aliases: ['目标(元)', '销售目标', '目标金额'],
      required: true,
      example: '300000',
      note: reason('yuan, greater than 0', '元,大于 0'),
      parse: (text) => parseYuan(text, { positive: true }),
    },
  },
  key: ['employeeNo', 'period'],
});
