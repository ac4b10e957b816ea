/** `conversations`: one row per conversation a help desk recorded (接待量, R-PAY-5; sampled for QA, R-QA-1). */
import { reason } from '../problems.js';
import { type Parsed, ok, parseBoolean, parseInstant, parseRating, parseSeconds, parseText } from '../values.js';
import { agentField, defineKind, sourceField } from './spec.js';
import { formatChinaTime } from '../values.js';

/** Reads a start time to "2026-10-08T09:12:33+08:00" (China time). */
export function parseStartedAt(text: string): Parsed<string> {
  const instant = parseInstant(text);
  return instant.ok ? ok(formatChinaTime(instant.value)) : instant;
}

export function parseExternalId(text: string): Parsed<string> {
  return parseText(text, 200);
}

export const conversations = defineKind<'conversations'>({
  kind: 'conversations',
  title: reason('Conversations', '会话'),
  fields: {
    source: sourceField,
    externalId: {
      zh: '会话ID',
      en: 'externalId',
      aliases: ['会话编号', '会话id', 'conversation id', 'conversation_id', 'external id', 'id'],
      required: true,
      example: '5521',
      note: reason("the conversation's id in the source", '会话在来源系统中的编号'),
      parse: parseExternalId,
    },
    agent: agentField,
    startedAt: {
      zh: '开始时间',
      en: 'startedAt',
      aliases: ['会话开始时间', '接入时间', 'started at', 'start time', 'created at', 'created_at'],
      required: true,
      example: '2026-10-08 09:12:33',
      note: reason('date and time; China time unless it has an offset (ISO 8601)', '日期时间;不带时区时按北京时间'),
      parse: parseStartedAt,
    },
    firstResponseSeconds: {
      zh: '首次响应时长(秒)',
      en: 'firstResponseSeconds',
      aliases: ['首次响应时长', '首响时长(秒)', '首次响应(秒)', 'first response seconds', 'first response time'],
      required: false,
      example: '35',
      parse: parseSeconds,
      empty: null,
    },
    handleSeconds: {
      zh: '处理时长(秒)',
      en: 'handleSeconds',
      aliases: ['处理时长', '会话时长(秒)', '接待时长(秒)', 'handle seconds', 'handle time'],
      required: false,
      example: '420',
      parse: parseSeconds,
      empty: null,
    },
    valid: {
      zh: '有效会话',
      en: 'valid',
      aliases: ['是否有效', '有效', 'is valid'],
      required: false,
      example: '是',
      note: reason('是/否, 1/0, true/false; empty: valid', '是/否、1/0、true/false;留空为有效'),
      parse: parseBoolean,
      empty: true,
    },
    rating: {
      zh: '满意度评分',
      en: 'rating',
      aliases: ['评分', '满意度', '客户评分', 'csat', 'score'],
      required: false,
      example: '5',
      note: reason('1–5; empty: not rated', '1–5;留空为未评价'),
      parse: parseRating,
      empty: null,
    },
  },
});
