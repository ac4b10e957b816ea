/** `agent-period`: a help desk's per-agent summary over a period (Chatwoot's agent report). */
import { compareDates } from '@ladder/core';
import { reason } from '../problems.js';
import { parseCount, parseSeconds } from '../values.js';
import { agentField, dayField, defineKind, sourceField } from './spec.js';

export const agentPeriod = defineKind<'agent-period'>({
  kind: 'agent-period',
  title: reason('Agent period summary', '客服周期汇总'),
  fields: {
    source: sourceField,
    agent: agentField,
    from: dayField('开始日期', 'from', ['起始日期', 'since', 'from date']),
    to: dayField('结束日期', 'to', ['截止日期', 'until', 'to date']),
    conversations: { zh: '会话量', en: 'conversations', aliases: ['分配会话', '接待量'], required: true, example: '42', parse: parseCount },
    resolved: {
      zh: '已解决',
      en: 'resolved',
      aliases: ['解决数', '解决量', 'resolution count'],
      required: false,
      example: '37',
      parse: parseCount,
      empty: null,
    },
    avgFirstResponseSeconds: {
      zh: '平均首次响应时长(秒)',
      en: 'avgFirstResponseSeconds',
      aliases: ['avg first response seconds'],
      required: false,
      example: '725',
      parse: parseSeconds,
      empty: null,
    },
    avgResolutionSeconds: {
      zh: '平均解决时长(秒)',
      en: 'avgResolutionSeconds',
      aliases: ['avg resolution seconds'],
      required: false,
      example: '12000',
      parse: parseSeconds,
      empty: null,
    },
  },
  finish(row) {
    return compareDates(row.to, row.from) < 0 ? [{ field: 'to', reason: reason('is before the start date', '早于开始日期') }] : [];
  },
  key: ['source', 'agent', 'from', 'to'],
});
