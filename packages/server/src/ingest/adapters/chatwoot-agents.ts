/**
 * Chatwoot's agent report download (Reports → Agents → Download, agents_report.csv) → agent-period.
 * The "Reporting period A to B" line (first in current versions, last in old ones) gives from/to;
 * durations are Chatwoot's text ("12 minutes 5 seconds", two units kept), read as lower bounds;
 * the old 4-column report's "(Minutes)" columns are whole minutes. Headers in English or zh_CN.
 */
import type { IsoDate } from '@ladder/core';
import type { TableSpec } from '../kinds/spec.js';
import { type RowProblem, problem, reason } from '../problems.js';
import { sheetRecords } from '../sheet.js';
import { readTable } from '../table.js';
import type { AgentPeriodRow } from '../types.js';
import { ok, parseCount, parseText } from '../values.js';
import { type AdapterSpec, chunked } from './adapter.js';
import { parseChatwootDuration, readPeriodLine } from './chatwoot-common.js';

interface Native {
  agent: string;
  conversations: number;
  avgFirstResponse: number | null;
  avgResolution: number | null;
  resolved: number | null;
  avgFirstResponseMinutes: number | null;
  avgResolutionMinutes: number | null;
}

const minutes = (text: string) => {
  const count = parseCount(text.replace(/^'/, ''));
  return count.ok ? ok(count.value * 60) : count;
};

function nativeSpec(onPeriod: (cells: readonly string[], row: number) => boolean): TableSpec<Native> {
  return {
    fields: {
      agent: { zh: '客服名称', en: 'Agent name', required: true, example: 'Alice Chen', parse: (text) => parseText(text, 200) },
      conversations: { zh: '分配的对话数量', en: 'Assigned conversations', required: true, example: '42', parse: parseCount },
      avgFirstResponse: {
        zh: '平均首次响应时间',
        en: 'Avg first response time',
        required: false,
        example: '12 minutes 5 seconds',
        parse: parseChatwootDuration,
        empty: null,
      },
      avgResolution: {
        zh: '平均解决时间',
        en: 'Avg resolution time',
        required: false,
        example: '3 hours 20 minutes',
        parse: parseChatwootDuration,
        empty: null,
      },
      resolved: { zh: '已解决的数量', en: 'Resolution Count', required: false, example: '37', parse: parseCount, empty: null },
      avgFirstResponseMinutes: {
        zh: '平均首次响应时间(分钟)',
        en: 'Avg first response time (Minutes)',
        required: false,
        example: '12',
        parse: minutes,
        empty: null,
      },
      avgResolutionMinutes: {
        zh: '平均解决时间(分钟)',
        en: 'Avg resolution time (Minutes)',
        required: false,
        example: '200',
        parse: minutes,
        empty: null,
      },
    },
    ignorable: ['Avg customer waiting time', '平均客户等待时间'],
    skipRow: onPeriod,
  };
}

export const chatwootAgents: AdapterSpec = {
  title: reason('Chatwoot agent report', 'Chatwoot 客服报告'),
  reads: reason('the CSV of Reports → Agents → Download', '报表 → 客服 → 下载 的 CSV'),
  formats: ['csv', 'xlsx'],
  produces: ['agent-period'],
  async *read(ctx) {
    const source = ctx.source ?? 'chatwoot';
    let period: { from: IsoDate; to: IsoDate } | null = null;
    const problems: RowProblem[] = [];
    const spec = nativeSpec((cells, row) => {
      const found = readPeriodLine(cells);
      if (found === 'not-a-period') return false;
      if (found === 'bad-period') {
        problems.push(
          problem(
            ctx.label,
            row,
            '',
            cells.join(',').trim(),
            reason('is not a period like "Reporting period 2024-05-01 to 2024-05-31"', '不是有效的报告周期'),
            'invalid',
          ),
        );
      } else period = found;
      return true;
    });
    // The report has one row per agent: it is read whole, since its period line may come last.
    const natives: (Native & { row: number })[] = [];
    let headers: Record<string, string> = {};
    const records = sheetRecords(ctx.file, ctx.format === 'xlsx' ? 'xlsx' : 'csv', ctx.progress);
    for await (const batch of readTable(records, spec, { file: ctx.label, batchSize: ctx.batchSize, onRows: ctx.onRows })) {
      natives.push(...batch.rows);
      problems.push(...batch.problems);
      headers = batch.headers;
    }
    const known = period as { from: IsoDate; to: IsoDate } | null;
    if (!known && !problems.some((p) => p.code === 'invalid' && p.column === '')) {
      problems.push(
        problem(
          ctx.label,
          0,
          '',
          null,
          reason('no "Reporting period … to …" line: the report\'s dates are unknown', '没有“报告周期 … 至 …”一行:无法确定报告的日期'),
          'missing_column',
        ),
      );
    }
    const rows: AgentPeriodRow[] = known
      ? natives.map((n) => ({
          row: n.row,
          source,
          agent: n.agent,
          from: known.from,
          to: known.to,
          conversations: n.conversations,
          resolved: n.resolved,
          avgFirstResponseSeconds: n.avgFirstResponse ?? n.avgFirstResponseMinutes,
          avgResolutionSeconds: n.avgResolution ?? n.avgResolutionMinutes,
        }))
      : [];
    const names: Partial<Record<keyof AgentPeriodRow & string, string>> = {};
    if (headers.agent) names.agent = headers.agent;
    if (headers.conversations) names.conversations = headers.conversations;
    if (headers.resolved) names.resolved = headers.resolved;
    const frt = headers.avgFirstResponse ?? headers.avgFirstResponseMinutes;
    if (frt) names.avgFirstResponseSeconds = frt;
    const res = headers.avgResolution ?? headers.avgResolutionMinutes;
    if (res) names.avgResolutionSeconds = res;
    let first = true;
    for (const part of chunked(rows, ctx.batchSize)) {
      yield { kind: 'agent-period', rows: part, problems: first ? problems : [], headers: names };
      first = false;
    }
    if (first) yield { kind: 'agent-period', rows: [], problems, headers: names };
  },
};
