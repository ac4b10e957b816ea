/**
 * A Chinese platform's per-agent-per-day customer-service sheet (千牛/赤兔, 飞鸽, 拼多多, 七鱼, V5KF …)
 * → agent-daily. No platform publishes its export format; the header variants are the ones public
 * importers of these exports use (docs/research/helpdesk-export-formats.md §3). Where a sheet has
 * several columns for one figure, the first of each list below wins and the others are ignored:
 *  - agent: 客服账号 > 账号名称 > 账户名 > 旺旺 > 子账号, else the nickname 客服昵称 > 旺旺昵称 > 客服 > 客服名称;
 *  - conversations: 接待量 > 人工已接待会话量 > 接待会话量 > 总会话数量 > 接待人数 > 人工已接待人数 > 人工接待人数 > 总接待客户数;
 *  - first response: (秒) columns, then minutes (分), then a unit-less column ("23秒", "1分23秒", 0:01:23 or seconds);
 *  - satisfaction: 满意率 > 满意度 > 客户满意率 > 客户满意度 > 客户满意比 > 售后满意度 ("96.30%" or 0.963).
 * "-" is an empty cell; 平均/总计/合计/汇总 summary rows are skipped; other known platform columns are ignored.
 */
import type { IsoDate } from '@ladder/core';
import type { TableSpec } from '../kinds/spec.js';
import { parseSource } from '../kinds/spec.js';
import { reason } from '../problems.js';
import { sheetRecords } from '../sheet.js';
import { readTable } from '../table.js';
import type { AgentDailyRow } from '../types.js';
import { type Parsed, fail, fold, ok, parseCount, parseDay, parseDecimalText, parseRate, parseSeconds, parseText } from '../values.js';
import type { AdapterSpec } from './adapter.js';

interface Native {
  source: string | null;
  day: IsoDate;
  account: string | null;
  nickname: string | null;
  conversations: number;
  validConversations: number | null;
  frtSeconds: number | null;
  frtMinutes: number | null;
  frtText: number | null;
  satisfaction: string | null;
}

const DASHES = new Set(['-', '--', '—', '/', 'n/a', 'na', '无']);

/** Optional platform figures: a dash means "none". */
function orDash<T>(parse: (text: string) => Parsed<T>): (text: string) => Parsed<T | null> {
  return (text) => (DASHES.has(fold(text).toLowerCase()) ? ok(null) : parse(text));
}

/** "23秒", "1分23秒", "2分钟", "1小时2分", "0:01:23", "23.5s" or a bare number of seconds. */
export function parseCnDuration(text: string): Parsed<number> {
  const t = fold(text).toLowerCase().replace(/\s+/g, '');
  const m = /^(?:(\d+(?:\.\d+)?)(?:小时|时|h))?(?:(\d+(?:\.\d+)?)(?:分钟|分|min|m))?(?:(\d+(?:\.\d+)?)(?:秒|s))?$/.exec(t);
  if (m && (m[1] ?? m[2] ?? m[3]) !== undefined) return ok(Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0));
  const seconds = parseSeconds(t);
  return seconds.ok ? seconds : fail('must be a duration: seconds, 23秒, 1分23秒 or 0:01:23', '必须是时长:秒数、23秒、1分23秒 或 0:01:23');
}

function parseMinutes(text: string): Parsed<number> {
  const t = fold(text).replace(/(分钟|分)$/, '');
  const minutes = parseDecimalText(t, { min: '0' });
  return minutes.ok ? ok(Number(minutes.value) * 60) : fail('must be a number of minutes ≥ 0', '必须是 ≥ 0 的分钟数');
}

const SUMMARY = /^(平均|均值|总计|合计|汇总|总和|小计|average|total|sum)$/i;

/** Columns of the documented platform sheets that Ladder does not read. */
const IGNORED = [
  // 千牛 / 赤兔 (§3.1)
  '店铺',
  '咨询人数',
  '询单人数',
  '询单->最终付款人数',
  '询单->最终付款成功率',
  '询单->次日付款人数',
  '询单->次日付款成功率',
  '询单->最终下单人数',
  '下单->最终付款成功率',
  '平均响应(秒)',
  '平均响应时间',
  '平均接待(秒)',
  '平均接待时长',
  '平均接待时长(秒)',
  '回复率',
  '客服回复率',
  '旺旺回复率',
  '上班天数',
  '评价发送率',
  'E客服评价发送率',
  '很满意',
  '满意',
  '一般',
  '不满意',
  '很不满意',
  '直接接待人数',
  '转入人数',
  '转出人数',
  '总消息',
  '买家消息',
  '客服消息',
  '买家消息数',
  '客服消息数',
  '答问比',
  '客服答问比',
  '客服字数',
  '最大同时接待',
  '未回复人数',
  '慢响应人数',
  '长接待人数',
  '销售额',
  '销售量',
  '销售人数',
  '订单数',
  '客件数',
  '客单价',
  '邮费总额',
  '手工折扣率',
  '静默下单本人落实付款-人数',
  '静默下单本人落实付款-金额',
  '全静默单本人跟进-人数',
  '协助跟进人数',
  '协助下单人数',
  '退款率',
  '成交笔数',
  '退款笔数',
  '完成退款金额',
  '询单人数延',
  '询单->最终付款人数延',
  '询单->最终付款成功率延',
  // 飞鸽 (§3.2)
  '店铺id',
  '店铺名称',
  'CPD',
  '不满意率',
  '3分钟人工回复率(会话)',
  '3分钟人工回复率',
  '平均响应时长(秒)',
  '新平均响应时长(秒)',
  '客服销售额(元)',
  '下单人数',
  '支付人数',
  '询单转化率',
  '预警会话量',
  'PC在线时长(时)',
  'PC小休时长(时)',
  'PC离线时长(时)',
  // 拼多多 (§3.3)
  '序号',
  '客服服务分',
  '最终成团人数',
  '客服销售额',
  '去退销售额',
  '需要人工回复的咨询人数',
  '3分钟未回复人数',
  '30秒应答率',
  '3分钟人工回复率(8-23点)',
  '30秒应答率(8-23点)',
  '平均人工响应时长',
  '平均响应时长(分)',
  '评分≤3订单数',
  '纠纷退款数',
  '投诉数',
  // 七鱼, 京东, V5KF (§3.4–3.6)
  '首响X秒应答率',
  '平均响应时长',
  'X秒应答率',
  '平均排队时长',
  '最长排队时长',
  '平均放弃时长',
  '访客消息数',
  '会话回复率',
  '排队率',
  '接入会话量',
  '留言率',
  '留言回复率',
  '咚咚首次30秒应答率',
  '咚咚30秒应答率',
  '咚咚平均响应时长',
  '30s应答率',
  '总会话数',
  '平均客户对话量',
  '客户发送消息数',
  '客服应答数',
  '平均应答数',
  '平均会话时长',
  '排队对话数',
  '平均接入人工排队时长',
  '评星总数',
  '好评数',
  '一般数',
  '差评数',
  '总评数',
  '评价标签',
];

const spec: TableSpec<Native> = {
  fields: {
    source: { zh: '来源', en: 'source', aliases: ['平台'], required: false, example: 'qianniu', parse: parseSource, empty: null },
    day: {
      zh: '日期',
      en: 'day',
      aliases: ['统计日期', '日期(天)', '时间', 'date'],
      alternatives: true,
      required: true,
      example: '2024-05-03',
      parse: parseDay,
    },
    account: {
      zh: '客服账号',
      en: 'account',
      aliases: ['账号名称', '账户名', '旺旺', '子账号', '客服子账号'],
      alternatives: true,
      required: false,
      example: 'acme旗舰店:小美',
      parse: orDash((text) => parseText(text, 200)),
      empty: null,
    },
    nickname: {
      zh: '客服昵称',
      en: 'nickname',
      aliases: ['旺旺昵称', '客服', '客服名称', '客服姓名', '昵称'],
      alternatives: true,
      required: false,
      example: '小美',
      parse: orDash((text) => parseText(text, 200)),
      empty: null,
    },
    conversations: {
      zh: '接待量',
      en: 'conversations',
      aliases: ['人工已接待会话量', '接待会话量', '总会话数量', '接待人数', '人工已接待人数', '人工接待人数', '总接待客户数'],
      alternatives: true,
      required: true,
      example: '128',
      parse: parseCount,
    },
    validConversations: {
      zh: '有效会话量',
      en: 'validConversations',
      aliases: ['有效会话', '有效会话数', '有效对话数'],
      alternatives: true,
      required: false,
      example: '121',
      parse: orDash(parseCount),
      empty: null,
    },
    frtSeconds: {
      zh: '首次响应时长(秒)',
      en: 'firstResponseSeconds',
      aliases: ['首次响应(秒)', '首次响应时间(秒)', '首响时长(秒)', '平均首响时长(秒)', '平均首次响应时长(秒)', '首次响应时长（秒）'],
      alternatives: true,
      required: false,
      example: '11.2',
      parse: orDash(parseCnDuration),
      empty: null,
    },
    frtMinutes: {
      zh: '首次响应时长(分)',
      en: 'firstResponseMinutes',
      aliases: ['首次响应(分)', '首次响应时间(分)', '首次响应时长(分钟)', '平均首响时长(分)'],
      alternatives: true,
      required: false,
      example: '0.2',
      parse: orDash(parseMinutes),
      empty: null,
    },
    frtText: {
      zh: '首次响应时长',
      en: 'firstResponse',
      aliases: ['首次响应时间', '平均首响时长', '首次响应', '平均首次响应时长'],
      alternatives: true,
      required: false,
      example: '11秒',
      parse: orDash(parseCnDuration),
      empty: null,
    },
    satisfaction: {
      zh: '满意率',
      en: 'satisfactionRate',
      aliases: ['满意度', '客户满意率', '客户满意度', '客户满意比', '售后满意度'],
      alternatives: true,
      required: false,
      example: '96.30%',
      parse: orDash(parseRate),
      empty: null,
    },
  },
  ignorable: IGNORED,
  skipRow: (cells) => cells.slice(0, 3).some((cell) => SUMMARY.test(cell.trim())),
  checkHeader: (headers) =>
    headers.account === undefined && headers.nickname === undefined
      ? [
          {
            column: '客服账号',
            reason: reason(
              'missing the agent: a column 客服账号 (or 账号名称, 旺旺) or 客服昵称 (or 客服)',
              '缺少客服列:需要 客服账号(或 账号名称、旺旺)或 客服昵称(或 客服)',
            ),
          },
        ]
      : [],
  finish: (row, headers) => {
    const agentColumn = headers.account !== undefined || headers.nickname !== undefined; // else one problem for the file
    if (agentColumn && row.account === null && row.nickname === null)
      return [{ field: 'account', reason: reason('no agent account or nickname in this row', '此行没有客服账号或昵称') }];
    if (row.validConversations !== null && row.validConversations > row.conversations)
      return [{ field: 'validConversations', reason: reason('is more than the conversations (接待量)', '多于接待量') }];
    return [];
  },
  key: ['source', 'account', 'nickname', 'day'],
};

export const cnAgentDaily: AdapterSpec = {
  title: reason('Chinese platform daily agent sheet', '国内平台客服日数据表'),
  reads: reason(
    'a per-agent-per-day sheet exported from 千牛/赤兔, 飞鸽, 拼多多, 七鱼 and similar',
    '千牛/赤兔、飞鸽、拼多多、七鱼等导出的客服日数据表',
  ),
  formats: ['csv', 'xlsx'],
  produces: ['agent-daily'],
  async *read(ctx) {
    const fallbackSource = ctx.source ?? 'cn';
    const records = sheetRecords(ctx.file, ctx.format === 'xlsx' ? 'xlsx' : 'csv', ctx.progress);
    for await (const batch of readTable(records, spec, { file: ctx.label, batchSize: ctx.batchSize, onRows: ctx.onRows })) {
      const rows: AgentDailyRow[] = batch.rows.map((r) => ({
        row: r.row,
        source: r.source ?? fallbackSource,
        agent: (r.account ?? r.nickname) as string,
        day: r.day,
        conversations: r.conversations,
        validConversations: r.validConversations,
        avgFirstResponseSeconds: r.frtSeconds ?? r.frtMinutes ?? r.frtText,
        satisfactionRate: r.satisfaction,
      }));
      const h = batch.headers;
      const headers: Partial<Record<keyof AgentDailyRow & string, string>> = {};
      if (h.source) headers.source = h.source;
      const agent = h.account ?? h.nickname;
      if (agent) headers.agent = agent;
      if (h.day) headers.day = h.day;
      if (h.conversations) headers.conversations = h.conversations;
      if (h.validConversations) headers.validConversations = h.validConversations;
      const frt = h.frtSeconds ?? h.frtMinutes ?? h.frtText;
      if (frt) headers.avgFirstResponseSeconds = frt;
      if (h.satisfaction) headers.satisfactionRate = h.satisfaction;
      yield { kind: 'agent-daily', rows, problems: batch.problems, headers };
    }
  },
};
