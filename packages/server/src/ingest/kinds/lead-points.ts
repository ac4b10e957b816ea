/** `lead-points`: points a team lead enters for the month (R-PAY-5): execution, rewards, excellent cases, extra. */
import { reason } from '../problems.js';
import { parseCount, parseDecimalText } from '../values.js';
import { type FieldSpec, defineKind, employeeNoField, monthField, textOf } from './spec.js';

/** Points with a minimum, or without one (`null`: the extra points a lead may take away). */
const points = (zh: string, en: string, aliases: readonly string[], example: string, min: string | null = '0'): FieldSpec<string> => ({
  zh,
  en,
  aliases,
  required: false,
  example,
  note:
    min === undefined
      ? reason('points, may be negative; empty: 0', '分数,可为负;留空为 0')
      : reason('points ≥ 0; empty: 0', '≥ 0 的分数;留空为 0'),
  parse: (text) => parseDecimalText(text, min === null ? { places: 2 } : { min, places: 2 }),
  empty: '0',
});

export const leadPoints = defineKind<'lead-points'>({
  kind: 'lead-points',
  title: reason('Team-lead points', '组长评分'),
  fields: {
    employeeNo: employeeNoField,
    month: monthField,
    execution: points('执行力', 'execution', ['执行力分', '执行力得分'], '50'),
    rewards: points('奖励', 'rewards', ['奖励分', '奖励加分'], '0'),
    excellentCases: {
      zh: '优秀案例',
      en: 'excellentCases',
      aliases: ['优秀案例数', '优秀案例(个)', 'excellent cases'],
      required: false,
      example: '1',
      note: reason('accepted cases; empty: 0', '被采纳的优秀案例数;留空为 0'),
      parse: parseCount,
      empty: 0,
    },
    extra: points('额外加分', 'extra', ['额外分', '其他加分', '调整分'], '0', null),
    note: { zh: '备注', en: 'note', aliases: ['说明', 'remark', 'comment'], required: false, example: '', parse: textOf(500), empty: null },
  },
  key: ['employeeNo', 'month'],
});
