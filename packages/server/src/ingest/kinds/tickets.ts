/** `tickets`: tickets handled per agent (工单量, 错误工单, R-PAY-5). */
import { reason } from '../problems.js';
import { parseBoolean } from '../values.js';
import { agentField, dayField, defineKind, sourceField } from './spec.js';
import { parseExternalId } from './conversations.js';

export const tickets = defineKind<'tickets'>({
  kind: 'tickets',
  title: reason('Tickets', '工单'),
  fields: {
    source: sourceField,
    externalId: {
      zh: '工单ID',
      en: 'externalId',
      aliases: ['工单编号', '工单号', 'ticket id', 'ticket_id', 'external id', 'id'],
      required: true,
      example: '35436',
      parse: parseExternalId,
    },
    agent: agentField,
    day: dayField(),
    wrong: {
      zh: '错误工单',
      en: 'wrong',
      aliases: ['是否错误', '错误', 'is wrong'],
      required: false,
      example: '否',
      note: reason('是/否; empty: not wrong', '是/否;留空为否'),
      parse: parseBoolean,
      empty: false,
    },
  },
});
