/** `agent-daily`: a help desk's statistics per agent per day (接待量, 有效会话, 首次响应, 满意度). */
import { reason } from '../problems.js';
import { parseCount, parseRate, parseSeconds } from '../values.js';
import { agentField, dayField, defineKind, sourceField } from './spec.js';

export const agentDaily = defineKind<'agent-daily'>({
  kind: 'agent-daily',
  title: reason('Agent daily statistics', '客服每日数据'),
  fields: {
    source: sourceField,
    agent: agentField,
    day: dayField(),
    conversations: {
      zh: '接待量',
      en: 'conversations',
      aliases: ['会话量', '接待人数', '接待会话量', 'conversation count'],
      required: true,
      example: '128',
      parse: parseCount,
    },
    validConversations: {
      zh: '有效会话',
      en: 'validConversations',
      aliases: ['有效会话量', '有效会话数', 'valid conversations'],
      required: false,
      example: '121',
      parse: parseCount,
      empty: null,
    },
    avgFirstResponseSeconds: {
      zh: '平均首次响应时长(秒)',
      en: 'avgFirstResponseSeconds',
      aliases: ['首次响应时长(秒)', '平均首响时长(秒)', 'avg first response seconds'],
      required: false,
      example: '11.2',
      parse: parseSeconds,
      empty: null,
    },
    satisfactionRate: {
      zh: '满意度',
      en: 'satisfactionRate',
      aliases: ['满意率', '客户满意度', 'satisfaction', 'satisfaction rate', 'csat rate'],
      required: false,
      example: '96.5%',
      note: reason('0–1 or a percent like 96.5%', '0–1 的小数或百分数,例如 96.5%'),
      parse: parseRate,
      empty: null,
    },
  },
  finish(row) {
    if (row.validConversations !== null && row.validConversations > row.conversations)
      return [{ field: 'validConversations', reason: reason('is more than the conversations (接待量)', '多于接待量') }];
    return [];
  },
  key: ['source', 'agent', 'day'],
});
