/**
 * Chatwoot's CSAT report download (Reports → CSAT → Download, csat_report.csv, UTF-8 with BOM) → csat.
 * Headers in English or Chatwoot's zh_CN; the period line at the end is skipped. The conversation is
 * named only by its link, so externalId is the per-account display id (…/conversations/1187 → "1187").
 * The agent is the e-mail in "Name (email)"; responses with no agent are skipped (nobody to credit).
 */
import type { IsoDate } from '@ladder/core';
import { reason } from '../problems.js';
import type { TableSpec } from '../kinds/spec.js';
import { sheetRecords } from '../sheet.js';
import { readTable } from '../table.js';
import type { CsatRow } from '../types.js';
import { type Parsed, chinaDay, fail, ok, parseInstant, parseRating, parseText } from '../values.js';
import type { AdapterSpec } from './adapter.js';
import { chatwootAgentAccount, readPeriodLine } from './chatwoot-common.js';

interface Native {
  agent: string | null;
  rating: number;
  comment: string | null;
  conversation: string;
  day: IsoDate;
}

export function parseConversationLink(text: string): Parsed<string> {
  const m = /\/conversations\/(\d+)\/?(?:[?#].*)?$/.exec(text.trim());
  return m
    ? ok(m[1] as string)
    : fail('must be a link to a Chatwoot conversation (…/conversations/1187)', '必须是 Chatwoot 会话链接(…/conversations/1187)');
}

const native: TableSpec<Native> = {
  fields: {
    agent: {
      zh: '客服名称',
      en: 'Agent Name',
      required: false, // the column must be there (checkHeader), but a response may have no agent
      example: 'Alice Chen (alice@acme.io)',
      parse: (text) => {
        const parsed = parseText(text, 300);
        return parsed.ok ? ok(chatwootAgentAccount(parsed.value)) : parsed;
      },
      empty: null,
    },
    rating: { zh: '评分', en: 'Rating', required: true, example: '5', parse: parseRating },
    comment: { zh: '意见反馈', en: 'Feedback Comment', required: false, example: '', parse: (text) => parseText(text, 2000), empty: null },
    conversation: { zh: '链接到会话', en: 'Link to the conversation', required: true, example: '', parse: parseConversationLink },
    day: {
      zh: '录制日期',
      en: 'Recorded date',
      required: true,
      example: '2024-05-03 17:05:41 UTC',
      parse: (text) => {
        const instant = parseInstant(text);
        return instant.ok ? ok(chinaDay(instant.value)) : instant;
      },
    },
  },
  ignorable: [
    'Contact Name',
    'Contact Email Address',
    'Contact Phone Number',
    'Review Notes',
    '联系人名称',
    '联系人邮箱地址',
    '联系人电话号码',
  ],
  skipRow: (cells) => readPeriodLine(cells) !== 'not-a-period',
  checkHeader: (headers) =>
    headers.agent === undefined
      ? [{ column: 'Agent Name', reason: reason('missing required column Agent Name (客服名称)', '缺少必需的列 客服名称(Agent Name)') }]
      : [],
};

export const chatwootCsat: AdapterSpec = {
  title: reason('Chatwoot CSAT report', 'Chatwoot 满意度报告'),
  reads: reason('the CSV of Reports → CSAT → Download', '报表 → CSAT → 下载 的 CSV'),
  formats: ['csv', 'xlsx'],
  produces: ['csat'],
  async *read(ctx) {
    const source = ctx.source ?? 'chatwoot';
    const records = sheetRecords(ctx.file, ctx.format === 'xlsx' ? 'xlsx' : 'csv', ctx.progress);
    for await (const batch of readTable(records, native, { file: ctx.label, batchSize: ctx.batchSize, onRows: ctx.onRows })) {
      const rows: CsatRow[] = [];
      for (const r of batch.rows) {
        if (r.agent === null) continue;
        rows.push({ row: r.row, source, externalId: r.conversation, agent: r.agent, day: r.day, rating: r.rating, comment: r.comment });
      }
      const headers: Partial<Record<keyof CsatRow & string, string>> = {};
      if (batch.headers.agent) headers.agent = batch.headers.agent;
      if (batch.headers.rating) headers.rating = batch.headers.rating;
      if (batch.headers.comment) headers.comment = batch.headers.comment;
      if (batch.headers.conversation) headers.externalId = batch.headers.conversation;
      if (batch.headers.day) headers.day = batch.headers.day;
      yield { kind: 'csat', rows, problems: batch.problems, headers };
    }
  },
};
