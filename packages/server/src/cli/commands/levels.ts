/**
 * `ladder levels evaluate|show|approve|reject|view QUARTER [--employee NO] [--note TEXT] [--reason TEXT]
 * [--format table|json] [--lang zh|en]`: the quarterly level review from the database.
 */
import { type Bilingual, LEVEL_INDICATOR_NAMES, type LevelDecision } from '@ladder/core';
import {
  approveQuarter,
  decideProposal,
  evaluateLevels,
  ladderStandings,
  levelOverview,
  levelReview,
  levelReviewJson,
  type LevelProposalView,
  type LevelReviewOverview,
  type QuarterApproval,
  quarterArgument,
  type StoredLadderStanding,
} from '../../services/levels/index.js';
import { CliError } from '../errors.js';
import { renderTable } from '../text-table.js';
import { type StoreOptions, withStore } from './payroll.js';

export type LevelsStep = 'evaluate' | 'show' | 'approve' | 'reject' | 'view';
type Lang = 'zh' | 'en';

export interface LevelsArgs {
  quarter?: string;
  employee?: string;
  note?: string;
  reason?: string;
  format?: string;
  lang?: string;
}

const STEPS: readonly LevelsStep[] = ['evaluate', 'show', 'approve', 'reject', 'view'];

const DECISIONS: Record<LevelDecision, Bilingual> = {
  promote: { zh: '晋升', en: 'promote' },
  keep: { zh: '保持', en: 'keep' },
  demote: { zh: '降级', en: 'demote' },
  review_dismissal: { zh: '复核辞退', en: 'dismissal review' },
};

const STATUS: Record<string, Bilingual> = {
  proposed: { zh: '待审', en: 'proposed' },
  reviewed: { zh: '审核中', en: 'reviewed' },
  approved: { zh: '已批准', en: 'approved' },
  rejected: { zh: '已驳回', en: 'rejected' },
};

const text = (b: Bilingual | undefined, lang: Lang, fallback = '') => b?.[lang] ?? fallback;

function describeReview(summary: LevelReviewOverview, lang: Lang): string {
  const s = summary;
  const head =
    lang === 'zh'
      ? `${s.quarter} 等级评定 · ${text(STATUS[s.status], lang, s.status)} · 第 ${s.revision} 版 · 政策 ${s.policy.id} ${s.policy.version} · ${s.effectiveFrom} 起生效`
      : `Level review ${s.quarter} · ${s.status} · revision ${s.revision} · policy ${s.policy.id} ${s.policy.version} · effective ${s.effectiveFrom}`;
  const rows = s.proposals.map((p) => [
    p.employeeNo,
    p.name,
    p.group,
    p.from,
    text(DECISIONS[p.decision], lang, p.decision),
    p.to === p.from ? '' : p.to,
    text(STATUS[p.status], lang, p.status),
    p.reviewedBy ?? '',
  ]);
  const columns =
    lang === 'zh'
      ? ['工号', '姓名', '客服组', '当前等级', '决定', '新等级', '状态', '审核人']
      : ['Employee', 'Name', 'Group', 'Level', 'Decision', 'New level', 'Status', 'Reviewer'];
  let out = `${head}\n\n${renderTable(
    columns.map((title) => ({ title })),
    rows,
  )}`;
  const counts = (Object.keys(DECISIONS) as LevelDecision[])
    .filter((d) => s.counts[d] > 0)
    .map((d) => (lang === 'zh' ? `${DECISIONS[d].zh} ${s.counts[d]} 人` : `${s.counts[d]} ${DECISIONS[d].en}`))
    .join(lang === 'zh' ? ',' : ', ');
  if (counts !== '') out += `${lang === 'zh' ? '共' : 'In all:'} ${counts}\n`;
  if (s.notEvaluated.length > 0) {
    out += `\n${lang === 'zh' ? '未参加评定' : 'Not evaluated'}:\n`;
    for (const n of s.notEvaluated) out += `  ${n.employeeNo}: ${n[lang]}\n`;
  }
  if (s.approvedBy)
    out += `\n${lang === 'zh' ? '批准' : 'Approved by'} ${s.approvedBy} · ${s.approvedAt ?? ''}${s.approvalNote ? ` · ${s.approvalNote}` : ''}\n`;
  return out;
}

function describeProposal(p: LevelProposalView, lang: Lang): string {
  let out = `${p.employeeNo} ${p.name} · ${p.group} · ${p.from} → ${text(DECISIONS[p.decision], lang, p.decision)}${p.to === p.from ? '' : ` ${p.to}`} · ${text(STATUS[p.status], lang, p.status)}`;
  if (p.reviewedBy) out += ` · ${p.reviewedBy}${p.note ? `: ${p.note}` : ''}`;
  out += `\n${p.explain[lang]}\n`;
  const effect = p.payEffect?.explain as Bilingual | undefined;
  if (effect) out += `${effect[lang]}\n`;
  const f = p.figures;
  out += `\n${lang === 'zh' ? '数据' : 'Figures'}: ${lang === 'zh' ? '入职' : 'hired'} ${f.hiredOn} · ${lang === 'zh' ? '任现等级自' : 'level since'} ${f.levelSince}`;
  if (f.juniorSince) out += ` · ${lang === 'zh' ? '首次达到初级' : 'junior since'} ${f.juniorSince}`;
  if (f.knowledgeTest)
    out += ` · ${lang === 'zh' ? '知识考试' : 'knowledge test'} ${f.knowledgeTest.score} (${f.knowledgeTest.exam}, ${f.knowledgeTest.takenOn})`;
  out += '\n';
  out += renderTable(
    (lang === 'zh'
      ? ['月份', '整月在岗', '接待量', '扣分', '满意度']
      : ['Month', 'Whole month', 'Conversations', 'Deductions', 'CSAT']
    ).map((title, i) => ({ title, align: i >= 2 ? ('right' as const) : ('left' as const) })),
    f.months.map((m) => [m.month, m.wholeMonth ? '✓' : '✗', m.conversations ?? '—', m.deductions ?? '—', m.csat ?? '—']),
  );
  for (const m of f.months) if (m.csatSource) out += `  ${m.csatSource[lang]}\n`;
  for (const note of f.notes) out += `  ! ${note[lang]}\n`;
  out += '\n';
  out += renderTable(
    (lang === 'zh'
      ? ['指标', '月份', '等级', '数值', '标准', '结果', '说明']
      : ['Indicator', 'Month', 'Level', 'Value', 'Threshold', 'Pass', 'Explanation']
    ).map((title, i) => ({ title, align: i === 3 || i === 4 ? ('right' as const) : ('left' as const) })),
    p.checks.map((c) => [
      LEVEL_INDICATOR_NAMES[String(c.indicator)]?.[lang] ?? String(c.indicator),
      typeof c.month === 'string' ? c.month : '',
      typeof c.level === 'string' ? c.level : '',
      typeof c.value === 'string' ? c.value : '—',
      String(c.threshold),
      c.pass ? '✓' : '✗',
      (c.explain as Bilingual)[lang],
    ]),
  );
  return out;
}

function describeApproval(a: QuarterApproval, lang: Lang): string {
  let out =
    lang === 'zh'
      ? `${a.quarter} 等级评定已批准 · ${a.approvedBy} · 批准 ${a.approved} 项,驳回 ${a.rejected} 项 · ${a.changes.length} 人等级自 ${a.effectiveFrom} 起变动\n`
      : `Level review ${a.quarter} approved by ${a.approvedBy} · ${a.approved} approved, ${a.rejected} rejected · ${a.changes.length} level change(s) from ${a.effectiveFrom}\n`;
  if (a.changes.length > 0)
    out += renderTable(
      (lang === 'zh'
        ? ['工号', '姓名', '决定', '原等级', '新等级', '基本工资']
        : ['Employee', 'Name', 'Decision', 'From', 'To', 'Base pay']
      ).map((title, i) => ({ title, align: i === 5 ? ('right' as const) : ('left' as const) })),
      a.changes.map((c) => [c.employeeNo, c.name, text(DECISIONS[c.decision], lang, c.decision), c.from, c.to, c.basePay ?? '']),
    );
  for (const w of a.warnings) out += `! ${w}\n`;
  return out;
}

function describeLadder(standings: StoredLadderStanding[], quarter: string, lang: Lang, detail: boolean): string {
  const head = lang === 'zh' ? `${quarter} 晋升阶梯` : `Ladder ${quarter}`;
  if (!detail) {
    return `${head}\n\n${renderTable(
      (lang === 'zh'
        ? ['工号', '姓名', '当前等级', '下一级', '已达标', '现状']
        : ['Employee', 'Name', 'Level', 'Next level', 'Ready', 'Where they stand']
      ).map((title) => ({ title })),
      standings.map((s) => [s.employeeNo, s.name, s.levelName[lang], s.nextName?.[lang] ?? '—', s.ready ? '✓' : '', s.summary[lang]]),
    )}`;
  }
  let out = `${head}\n`;
  for (const s of standings) {
    out += `\n${s.employeeNo} ${s.name} · ${s.levelName[lang]} → ${s.nextName?.[lang] ?? '—'}\n${s.summary[lang]}\n`;
    if (s.items.length > 0)
      out += renderTable(
        (lang === 'zh'
          ? ['指标', '月份', '数值', '标准', '结果', '还差']
          : ['Indicator', 'Month', 'Value', 'Threshold', 'Pass', 'Missing']
        ).map((title, i) => ({ title, align: i === 2 || i === 3 ? ('right' as const) : ('left' as const) })),
        s.items.map((i) => [
          LEVEL_INDICATOR_NAMES[i.indicator]?.[lang] ?? i.indicator,
          i.month ?? '',
          i.value ?? '—',
          i.threshold,
          i.pass ? '✓' : '✗',
          i.missing?.[lang] ?? '',
        ]),
      );
    for (const note of s.figures.notes) out += `  ! ${note[lang]}\n`;
  }
  return out;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Runs one `ladder levels` step against the store and returns its whole output. */
export async function runLevelsCommand(step: LevelsStep, args: LevelsArgs, options: StoreOptions): Promise<string> {
  if (!STEPS.includes(step)) throw new CliError([`unknown levels command: ${String(step)} (expected ${STEPS.join(', ')})`]);
  if (args.quarter === undefined) throw new CliError([`levels ${step} needs a quarter YYYY-Qn`]);
  const format = args.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new CliError([`--format must be table or json, got ${format}`]);
  const lang = args.lang ?? 'zh';
  if (lang !== 'zh' && lang !== 'en') throw new CliError([`--lang must be zh or en, got ${lang}`]);
  let quarter: string;
  try {
    quarter = quarterArgument(args.quarter);
  } catch (error) {
    throw new CliError([(error as Error).message]);
  }
  if (step === 'reject' && args.employee === undefined) throw new CliError([`levels reject needs --employee NO (the proposal to reject)`]);

  return withStore(options, async (ctx) => {
    switch (step) {
      case 'evaluate': {
        const overview = await evaluateLevels(ctx, quarter, args.reason ?? 'evaluated from the command line');
        return format === 'json' ? json(levelReviewJson(await levelReview(ctx.store.db, quarter))) : describeReview(overview, lang);
      }
      case 'show': {
        if (format !== 'json' && args.employee === undefined) return describeReview(await levelOverview(ctx.store.db, quarter), lang);
        const summary = await levelReview(ctx.store.db, quarter, args.employee);
        if (format === 'json') return json(levelReviewJson(summary));
        return summary.proposals.map((p) => describeProposal(p, lang)).join('\n');
      }
      case 'approve': {
        if (args.employee !== undefined) {
          await decideProposal(ctx, quarter, args.employee, 'approved', args.note);
          const summary = await levelReview(ctx.store.db, quarter, args.employee);
          return format === 'json' ? json(levelReviewJson(summary)) : summary.proposals.map((p) => describeProposal(p, lang)).join('\n');
        }
        const approval = await approveQuarter(ctx, quarter, args.note);
        return format === 'json' ? json(approval) : describeApproval(approval, lang);
      }
      case 'reject': {
        const employee = args.employee as string;
        await decideProposal(ctx, quarter, employee, 'rejected', args.note);
        const summary = await levelReview(ctx.store.db, quarter, employee);
        return format === 'json' ? json(levelReviewJson(summary)) : summary.proposals.map((p) => describeProposal(p, lang)).join('\n');
      }
      case 'view': {
        const standings = await ladderStandings(ctx, quarter, args.employee);
        return format === 'json' ? json({ quarter, standings }) : describeLadder(standings, quarter, lang, args.employee !== undefined);
      }
    }
  });
}
