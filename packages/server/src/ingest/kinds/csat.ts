/** `csat`: customer satisfaction ratings, one per rated conversation or ticket. */
import { reason } from '../problems.js';
import { parseRating } from '../values.js';
import { agentField, dayField, defineKind, sourceField, textOf } from './spec.js';
import { parseExternalId } from './conversations.js';

export const csat = defineKind<'csat'>({
  kind: 'csat',
  title: reason('Satisfaction ratings', '满意度评价'),
  fields: {
    source: sourceField,
    externalId: {
      zh: '会话/工单ID',
      en: 'externalId',
      aliases: ['会话ID', '工单ID', '会话编号', '工单编号', 'conversation id', 'ticket id', 'external id', 'id'],
      required: true,
      example: '1187',
      parse: parseExternalId,
    },
    agent: agentField,
    day: dayField(),
    rating: {
      zh: '评分',
      en: 'rating',
      aliases: ['满意度评分', '星级', 'score', 'csat'],
      required: true,
      example: '5',
      parse: parseRating,
    },
    comment: {
      zh: '评价内容',
      en: 'comment',
      aliases: ['评价', '留言', '客户留言', 'feedback', 'feedback comment'],
      required: false,
      example: '回复很快',
      parse: textOf(2000),
      empty: null,
    },
  },
});
