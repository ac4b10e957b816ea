/**
 * `ladder qa …`: quality inspection and disputes from the database (R-QA, R-DSP, R-PAY-7).
 * Every command acts as `--as LOGIN` (default: LADDER_USER or the login name); the services check
 * that person's roles. Output is returned whole, so nothing is printed when a command fails.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Bilingual, DisputeOutcome, Role, SignOffEventType } from '@ladder/core';
import {
  acknowledgeForfeiture,
  board,
  type Board,
  boardSheets,
  calibrationReport,
  checkSample,
  closeCalibration,
  createCalibration,
  dailyReport,
  type DailyReport,
  disputeView,
  type DisputeView,
  drawDay,
  enterDeduction,
  fileDispute,
  grantRole,
  hasQaTables,
  inspectionView,
  isoWeek,
  type InspectionStep,
  type ItemEntry,
  listDisputes,
  listInspections,
  listSignOffs,
  listUsers,
  monthPeriod,
  qaBlockers,
  redrawSample,
  registerQaApprovalChecks,
  requestSignOffs,
  requireMonth,
  revokeRole,
  scoreCalibration,
  scoreInspection,
  type SignOffView,
  stepDispute,
  stepInspection,
  stepSignOff,
  writeBoardXlsx,
  writeDailyReportXlsx,
} from '../../services/qa/index.js';
import { CliError } from '../errors.js';
import { renderTable } from '../text-table.js';
import { type StoreOptions, withStore } from './payroll.js';

export const QA_USAGE = `ladder qa — 质检与申诉 / quality inspection and disputes (--as LOGIN says who acts)
  users grant LOGIN ROLE [--team T] [--name N] | users revoke LOGIN ROLE [--team T] [--reason R] | users list
  sample --date D [--team T]            抽检并指派 / draw and assign the day's samples (R-QA-1, R-QA-3)
  sample check EMPLOYEE --date D        按盐重抽核对 / redo a stored sample from the salt
  redraw EMPLOYEE --date D --reason R   重新抽检(审计)/ re-draw after late conversations (audited)
  inspections [--date D] [--employee NO] [--inspector L] [--status S]
  inspection show|start|submit|publish|return|reassign REF [--reason R] [--to LOGIN]   REF = id or SOURCE:EXTERNAL_ID
  score REF ITEM --hit|--miss [--count N] [--note T] [--evidence MSG]
  deduct EMPLOYEE --date D --points P --kind efficiency|discipline --reason R
  dispute file (--inspection REF --item ITEM | --month M) --reason R
  dispute review|escalate|withdraw ID [--reason R] | dispute view ID --outcome O [--points P] --reason R
  dispute decide|director ID --outcome upheld|overturned|changed [--points P] --reason R | dispute show ID | dispute list --month M
  signoff request|list MONTH | signoff sign|return|resubmit|withdraw ID [--reason R]
  forfeit ack ID --note N               总监确认致命项取消绩效 / the director acknowledges a forfeiture
  blockers MONTH                        审批阻塞项 / what holds the month's approval on the QA side
  report daily --team T --date D [--format table|json|xlsx] [--out FILE] [--lang zh|en]
  board weekly --week YYYY-Www | board monthly --month M [--format table|json|xlsx] [--out FILE]
  calibration create --title T --group G --conversations A,B --inspectors X,Y [--date D]
  calibration score ID CONVERSATION --hit ITEM[:N]… [--miss ITEM]… | calibration report|close ID [--format table|json]
`;

const OPTIONS = {
  as: { type: 'string' },
  date: { type: 'string' },
  team: { type: 'string' },
  name: { type: 'string' },
  reason: { type: 'string' },
  to: { type: 'string' },
  employee: { type: 'string' },
  inspector: { type: 'string' },
  status: { type: 'string' },
  hit: { type: 'string', multiple: true },
  miss: { type: 'string', multiple: true },
  count: { type: 'string' },
  note: { type: 'string' },
  evidence: { type: 'string' },
  points: { type: 'string' },
  kind: { type: 'string' },
  inspection: { type: 'string' },
  item: { type: 'string' },
  month: { type: 'string' },
  outcome: { type: 'string' },
  week: { type: 'string' },
  format: { type: 'string', short: 'f' },
  out: { type: 'string', short: 'o' },
  lang: { type: 'string' },
  title: { type: 'string' },
  group: { type: 'string' },
  conversations: { type: 'string' },
  inspectors: { type: 'string' },
} as const;

type Values = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[] : string } & {
  hit?: string[] | boolean;
};

function parse(args: string[]): { values: Values; positionals: string[] } {
  // --hit alone (score REF ITEM --hit) is a flag; --hit ITEM[:N] names calibration items: read both.
  const normalized = args.flatMap((arg, i) =>
    arg === '--hit' && (args[i + 1] === undefined || args[i + 1]?.startsWith('--')) ? ['--hit', ''] : [arg],
  );
  const fixed = normalized.flatMap((arg, i) =>
    arg === '--miss' && (normalized[i + 1] === undefined || normalized[i + 1]?.startsWith('--')) ? ['--miss', ''] : [arg],
  );
  try {
    const { values, positionals } = parseArgs({ args: fixed, options: OPTIONS, allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (error) {
    throw new CliError([(error as Error).message.split('\n')[0] ?? 'invalid arguments', 'run `ladder qa help` for usage']);
  }
}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new CliError([`${what} is required; run \`ladder qa help\` for usage`]);
  return value;
}

function idArgument(value: string | undefined, what: string): number {
  const text = need(value, what);
  if (!/^\d+$/.test(text)) throw new CliError([`${what} must be a number, got ${text}`]);
  return Number(text);
}

function format(values: Values, allowed: readonly string[] = ['table', 'json']): string {
  const f = values.format ?? 'table';
  if (!allowed.includes(f)) throw new CliError([`--format must be one of ${allowed.join(', ')}, got ${f}`]);
  return f;
}

function lang(values: Values): 'zh' | 'en' {
  const l = values.lang ?? 'zh';
  if (l !== 'zh' && l !== 'en') throw new CliError([`--lang must be zh or en, got ${l}`]);
  return l;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
const text = (b: Bilingual, l: 'zh' | 'en') => b[l];

function describeDaily(report: DailyReport, l: 'zh' | 'en'): string {
  const head =
    l === 'zh'
      ? `${report.team} 组质检日报 · ${report.date} · 政策 ${report.policy.id} ${report.policy.version}`
      : `Daily QA report of team ${report.team} · ${report.date} · policy ${report.policy.id} ${report.policy.version}`;
  const columns = (
    l === 'zh'
      ? ['工号', '姓名', '已检', '待检', '今日扣分', '本月累计', '档位', '系数', '距下一档', '预计绩效']
      : ['Employee', 'Name', 'Done', 'Pending', 'Today', 'Month to date', 'Band', 'Coefficient', 'To next band', 'Projected pay']
  ).map((title, i) => ({ title, align: i >= 2 && i !== 6 ? ('right' as const) : ('left' as const) }));
  const rows = report.agents.map((a) => [
    a.employeeNo,
    a.name,
    String(a.inspections.done),
    String(a.inspections.pending),
    a.deductions.today,
    a.deductions.monthToDate,
    a.band?.range ?? '—',
    a.band ? (a.band.coefficient ?? (l === 'zh' ? '无绩效' : 'forfeited')) : '—',
    a.band?.pointsToNextBand ?? '—',
    a.projected.performancePay,
  ]);
  let out = `${head}\n\n${renderTable(columns, rows)}`;
  for (const a of report.agents) {
    const notes = [a.band ? text(a.band.explain, l) : undefined, ...a.notes.map((n) => text(n, l))].filter(Boolean);
    if (notes.length > 0) out += `  ${a.employeeNo}: ${notes.join(l === 'zh' ? ';' : '; ')}\n`;
  }
  return out;
}

function describeBoard(b: Board, l: 'zh' | 'en'): string {
  let out =
    l === 'zh'
      ? `质检榜单 ${b.period.label}(${b.period.from} – ${b.period.to})\n`
      : `Board ${b.period.label} (${b.period.from} – ${b.period.to})\n`;
  for (const sheet of boardSheets(b)) {
    out += `\n${sheet.name}\n`;
    out += renderTable(
      sheet.header.map((title, i) => ({ title, align: i === 0 || (i >= 4 && i <= 7) ? ('right' as const) : ('left' as const) })),
      sheet.rows.map((row) => row.map((cell) => (cell === null ? '' : String(cell)))),
    );
  }
  return out;
}

function describeDispute(d: DisputeView): string {
  const subject =
    d.subject.kind === 'inspection_item'
      ? `质检 inspection #${d.subject.inspectionId} ${d.subject.item} (${d.subject.points})`
      : `月度结果 month result`;
  const lines = [
    `申诉 dispute #${d.id} · ${d.employeeNo} · ${d.month} · ${subject} · ${d.status}${d.belowQualified ? ' · 低于合格 below qualified' : ''}`,
    ...d.views.map((v) => `  ${v.seat} ${v.by}: ${v.view}${v.points ? ` ${v.points}` : ''} — ${v.opinion}`),
    ...d.history.map((h) => `  ${h.on} ${h.event} ${h.from} → ${h.to} · ${h.by} (${h.as})${h.opinion ? ` · ${h.opinion}` : ''}`),
  ];
  if (d.recomputed) lines.push(`  工资草稿已重算 payroll draft recomputed: ${d.recomputed.month} revision ${d.recomputed.revision}`);
  return `${lines.join('\n')}\n`;
}

function describeSignOff(s: SignOffView): string {
  return `签字 sign-off #${s.id} · ${s.employeeNo} · ${s.month} · ${s.grade} · ${s.status}\n`;
}

function itemEntries(values: Values, single?: string): ItemEntry[] {
  if (single !== undefined) {
    const hit = values.hit !== undefined;
    const miss = values.miss !== undefined;
    if (hit === miss) throw new CliError(['say --hit or --miss']);
    const entry: ItemEntry = { item: single, hit };
    if (values.count !== undefined) entry.count = Number(values.count);
    if (values.note !== undefined) entry.note = values.note;
    if (values.evidence !== undefined) entry.evidence = values.evidence;
    return [entry];
  }
  const hits = Array.isArray(values.hit) ? values.hit.filter((h) => h !== '') : [];
  const misses = (values.miss ?? []).filter((m) => m !== '');
  return [
    ...hits.map((h) => {
      const [item = '', count] = h.split(':');
      return { item, hit: true, ...(count !== undefined ? { count: Number(count) } : {}) };
    }),
    ...misses.map((item) => ({ item, hit: false })),
  ];
}

const OUTCOMES: readonly DisputeOutcome[] = ['upheld', 'overturned', 'changed'];
function outcome(value: string | undefined): DisputeOutcome {
  const o = need(value, '--outcome');
  if (!(OUTCOMES as readonly string[]).includes(o)) throw new CliError([`--outcome must be one of ${OUTCOMES.join(', ')}, got ${o}`]);
  return o as DisputeOutcome;
}

/** `ladder qa …`: the whole output of one command. */
export async function runQaCommand(args: string[], options: StoreOptions): Promise<string> {
  const [command, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help') return QA_USAGE;
  const { values, positionals } = parse(rest);
  const acting: StoreOptions = { ...options, ...(values.as ? { actor: values.as } : {}) };
  const l = lang(values);
  return withStore(acting, async (ctx) => {
    if (!(await hasQaTables(ctx.store.db))) {
      throw new CliError([`the QA tables are missing on ${ctx.store.location}: migration 20261127T2000-qa is not registered`]);
    }
    registerQaApprovalChecks();
    const [sub, first, second] = positionals;
    switch (command) {
      case 'users': {
        if (sub === 'list') {
          const users = await listUsers(ctx.store.db);
          return renderTable(
            [{ title: '登录 login' }, { title: '姓名 name' }, { title: '角色 roles' }],
            users.map((u) => [u.login, u.name, u.roles.map((r) => (r.team ? `${r.role}@${r.team}` : r.role)).join(', ')]),
          );
        }
        const login = need(first, 'LOGIN');
        const role = need(second, 'ROLE') as Role;
        if (sub === 'grant') {
          const result = await grantRole(ctx, {
            login,
            role,
            ...(values.team ? { team: values.team } : {}),
            ...(values.name ? { name: values.name } : {}),
          });
          return result.granted ? `${login}: ${role}${values.team ? `@${values.team}` : ''} granted\n` : `${login} already holds ${role}\n`;
        }
        if (sub === 'revoke') {
          await revokeRole(ctx, login, role, values.team, values.reason);
          return `${login}: ${role} revoked\n`;
        }
        throw new CliError([`unknown users command: ${sub ?? '(none)'} (expected grant, revoke or list)`]);
      }
      case 'sample': {
        if (sub === 'check') {
          const check = await checkSample(ctx, need(first, 'EMPLOYEE'), need(values.date, '--date'));
          return format(values) === 'json'
            ? json(check)
            : `${check.employeeNo} ${check.day} · revision ${check.revision} · ${check.identical ? '与按盐重抽一致 identical to a fresh draw' : '与重抽不同 differs from a fresh draw'}\n` +
                `  stored:  ${check.stored.join(', ')}\n  redrawn: ${check.redrawn.join(', ')}\n`;
        }
        if (sub !== undefined) throw new CliError([`unexpected argument: ${sub}`]);
        const draw = await drawDay(ctx, need(values.date, '--date'), values.team ? { team: values.team } : {});
        if (format(values) === 'json') return json(draw);
        const rows = [
          ...draw.drawn.map((d) => [
            d.employeeNo,
            `${d.conversations.length}/${d.available}`,
            d.assigned.map((a) => `#${a.inspectionId} ${a.inspector}`).join(', '),
            d.unassigned.length > 0 ? `未指派 unassigned ${d.unassigned.length}` : '',
          ]),
          ...draw.unchanged.map((u) => [
            u.employeeNo,
            '已抽 sampled before',
            u.assigned.map((a) => `#${a.inspectionId} ${a.inspector}`).join(', '),
            u.late > 0 ? `迟到 late ${u.late}` : '',
          ]),
          ...draw.skipped.map((s) => [s.employeeNo, '跳过 skipped', '', s.reason]),
        ];
        return `${draw.day} 抽检 samples\n${renderTable([{ title: '工号' }, { title: '抽检' }, { title: '指派 assigned' }, { title: '说明' }], rows)}`;
      }
      case 'redraw': {
        const r = await redrawSample(ctx, need(sub, 'EMPLOYEE'), need(values.date, '--date'), need(values.reason, '--reason'));
        return format(values) === 'json'
          ? json(r)
          : `${r.employeeNo} ${r.day} re-draw ${r.revision}: +${r.added.join(', ') || '—'} −${r.removed.join(', ') || '—'}\n`;
      }
      case 'inspections': {
        const list = await listInspections(ctx.store.db, {
          ...(values.date ? { day: values.date } : {}),
          ...(values.employee ? { employeeNo: values.employee } : {}),
          ...(values.inspector ? { inspector: values.inspector } : {}),
          ...(values.status ? { status: values.status } : {}),
        });
        if (format(values) === 'json') return json(list);
        return renderTable(
          ['#', '日期 day', '工号', '会话 conversation', '质检人 inspector', '状态 status', '扣分 points'].map((title) => ({ title })),
          list.map((i) => [String(i.id), i.day, i.employeeNo, i.conversation, i.inspector, i.status, i.totalPoints ?? '']),
        );
      }
      case 'inspection': {
        const ref = need(first, 'REF');
        if (sub === 'show') {
          const view = await inspectionView(ctx.store.db, ref);
          if (format(values) === 'json') return json(view);
          return (
            `#${view.id} ${view.conversation} · ${view.employeeNo} · ${view.day} · ${view.inspector} · ${view.status} · ${view.scorecard} ${view.scorecardVersion}\n` +
            renderTable(
              ['项目 item', '扣分 hit', '次数 count', '分值 points', '备注 note', '证据 evidence', '记录 by'].map((title) => ({ title })),
              view.items.map((i) => [i.item, i.hit ? '✓' : '✗', String(i.count), i.points, i.note ?? '', i.evidence ?? '', i.recordedBy]),
            )
          );
        }
        if (sub === 'start' || sub === 'submit' || sub === 'publish' || sub === 'return' || sub === 'reassign') {
          const step: InspectionStep =
            sub === 'return'
              ? { type: 'return', opinion: need(values.reason, '--reason') }
              : sub === 'reassign'
                ? { type: 'reassign', inspectorId: need(values.to, '--to'), ...(values.reason ? { opinion: values.reason } : {}) }
                : { type: sub, ...(values.reason ? { opinion: values.reason } : {}) };
          const result = await stepInspection(ctx, ref, step);
          if (format(values) === 'json') return json(result);
          let out = `#${result.id} ${result.status} · ${result.inspector}\n`;
          if (result.explain) out += `${result.explain[l]}\n`;
          if (result.forfeits && result.forfeits.length > 0)
            out += `致命项 critical: ${result.forfeits.join(', ')} (待总监确认 awaiting the director)\n`;
          if (result.recomputed)
            out += `工资草稿已重算 payroll draft recomputed: ${result.recomputed.month} revision ${result.recomputed.revision}\n`;
          return out;
        }
        throw new CliError([`unknown inspection command: ${sub ?? '(none)'} (expected show, start, submit, publish, return or reassign)`]);
      }
      case 'score': {
        const view = await scoreInspection(ctx, need(sub, 'REF'), itemEntries(values, need(first, 'ITEM')));
        return format(values) === 'json'
          ? json(view)
          : `#${view.id}: ${view.items.map((i) => `${i.item} ${i.hit ? `×${i.count}` : '✗'}`).join(', ')}\n`;
      }
      case 'deduct': {
        const kind = need(values.kind, '--kind');
        if (kind !== 'efficiency' && kind !== 'discipline') throw new CliError([`--kind must be efficiency or discipline, got ${kind}`]);
        const result = await enterDeduction(ctx, {
          employeeNo: need(sub, 'EMPLOYEE'),
          day: need(values.date, '--date'),
          points: need(values.points, '--points'),
          kind,
          reason: need(values.reason, '--reason'),
        });
        return `${result.inserted ? '已记录 recorded' : '已存在 already recorded'}${result.recomputed ? ` · 工资草稿已重算 draft recomputed (revision ${result.recomputed.revision})` : ''}\n`;
      }
      case 'dispute': {
        let view: DisputeView;
        if (sub === 'file') {
          const reason = need(values.reason, '--reason');
          view = values.month
            ? await fileDispute(ctx, { month: values.month }, reason)
            : await fileDispute(ctx, { inspection: need(values.inspection, '--inspection'), item: need(values.item, '--item') }, reason);
        } else if (sub === 'list') {
          const list = await listDisputes(ctx.store.db, requireMonth(need(values.month, '--month')));
          return format(values) === 'json' ? json(list) : list.map(describeDispute).join('') || '—\n';
        } else if (sub === 'show') {
          view = await disputeView(ctx.store.db, idArgument(first, 'ID'));
        } else if (sub === 'review' || sub === 'escalate' || sub === 'withdraw') {
          view = await stepDispute(ctx, idArgument(first, 'ID'), { type: sub, ...(values.reason ? { opinion: values.reason } : {}) });
        } else if (sub === 'view') {
          view = await stepDispute(ctx, idArgument(first, 'ID'), {
            type: 'record_view',
            view: outcome(values.outcome),
            ...(values.points ? { points: values.points } : {}),
            opinion: need(values.reason, '--reason'),
          });
        } else if (sub === 'decide' || sub === 'director') {
          view = await stepDispute(ctx, idArgument(first, 'ID'), {
            type: sub === 'decide' ? 'decide' : 'director_decide',
            outcome: outcome(values.outcome),
            ...(values.points ? { points: values.points } : {}),
            opinion: need(values.reason, '--reason'),
          });
        } else {
          throw new CliError([
            `unknown dispute command: ${sub ?? '(none)'} (expected file, review, view, decide, escalate, director, withdraw, show or list)`,
          ]);
        }
        return format(values) === 'json' ? json(view) : describeDispute(view);
      }
      case 'signoff': {
        if (sub === 'request') {
          const r = await requestSignOffs(ctx, need(first, 'MONTH'));
          return `新建 created: ${r.created.join(', ') || '—'}${r.stale.length > 0 ? `\n已合格、待 HR 撤销 qualified again, withdraw: ${r.stale.join(', ')}` : ''}\n`;
        }
        if (sub === 'list') {
          const list = await listSignOffs(ctx.store.db, requireMonth(need(first, 'MONTH')));
          return format(values) === 'json' ? json(list) : list.map(describeSignOff).join('') || '—\n';
        }
        if (sub === 'sign' || sub === 'return' || sub === 'resubmit' || sub === 'withdraw') {
          const s = await stepSignOff(ctx, idArgument(first, 'ID'), sub as SignOffEventType, values.reason);
          return format(values) === 'json' ? json(s) : describeSignOff(s);
        }
        throw new CliError([`unknown signoff command: ${sub ?? '(none)'} (expected request, list, sign, return, resubmit or withdraw)`]);
      }
      case 'forfeit': {
        if (sub !== 'ack') throw new CliError([`unknown forfeit command: ${sub ?? '(none)'} (expected ack)`]);
        await acknowledgeForfeiture(ctx, idArgument(first, 'ID'), need(values.note, '--note'));
        return `forfeiture #${first} acknowledged\n`;
      }
      case 'blockers': {
        const blockers = await qaBlockers(ctx.store.db, requireMonth(need(sub, 'MONTH')));
        if (format(values) === 'json') return json(blockers);
        return blockers.length === 0 ? '无 none\n' : blockers.map((b) => `${b.employeeNo}: ${b.explain[l]}\n`).join('');
      }
      case 'report': {
        if (sub !== 'daily') throw new CliError([`unknown report: ${sub ?? '(none)'} (expected daily)`]);
        const report = await dailyReport(ctx, need(values.team, '--team'), need(values.date, '--date'));
        const f = format(values, ['table', 'json', 'xlsx']);
        if (f === 'json') return json(report);
        if (f === 'xlsx') {
          const file = path.resolve(options.cwd, values.out ?? `qa-daily-${report.team}-${report.date}.xlsx`);
          await writeDailyReportXlsx(report, file, l);
          return `${report.agents.length} 人 agents → ${file}\n`;
        }
        return describeDaily(report, l);
      }
      case 'board': {
        const period =
          sub === 'weekly'
            ? isoWeek(need(values.week, '--week'))
            : sub === 'monthly'
              ? monthPeriod(need(values.month, '--month'))
              : undefined;
        if (!period) throw new CliError([`unknown board: ${sub ?? '(none)'} (expected weekly or monthly)`]);
        const b = await board(ctx, period);
        const f = format(values, ['table', 'json', 'xlsx']);
        if (f === 'json') return json(b);
        if (f === 'xlsx') {
          const file = path.resolve(options.cwd, values.out ?? `qa-board-${period.label}.xlsx`);
          await writeBoardXlsx(b, file);
          return `${b.groups.length} 组 groups → ${file}\n`;
        }
        return describeBoard(b, l);
      }
      case 'calibration': {
        if (sub === 'create') {
          const created = await createCalibration(ctx, {
            title: need(values.title, '--title'),
            group: need(values.group, '--group'),
            conversations: need(values.conversations, '--conversations').split(','),
            inspectors: need(values.inspectors, '--inspectors').split(','),
            ...(values.date ? { day: values.date } : {}),
          });
          return `calibration #${created.id} · ${created.scorecard} ${created.version}\n`;
        }
        const id = idArgument(first, 'ID');
        if (sub === 'score') {
          await scoreCalibration(ctx, id, need(second, 'CONVERSATION'), itemEntries(values));
          return `calibration #${id}: ${second} scored\n`;
        }
        if (sub === 'close') {
          await closeCalibration(ctx, id);
          return `calibration #${id} closed\n`;
        }
        if (sub === 'report') {
          const report = await calibrationReport(ctx, id);
          if (format(values) === 'json') return json(report);
          let out = `校准 calibration #${report.id} ${report.title} · ${report.scorecard} ${report.version} · ${report.status}\n`;
          out += renderTable(
            ['质检人 inspector', '已评 scored', '偏差合计 |deviation|', '一致率 agreement', '未评 missing'].map((title) => ({ title })),
            report.inspectors.map((i) => [i.login, String(i.scored), i.absoluteDeviation, i.agreement, i.missing.join(', ')]),
          );
          const logins = report.inspectors.map((i) => i.login);
          out += `\n${renderTable(
            [{ title: '项目 item' }, ...logins.map((login) => ({ title: login, align: 'right' as const }))],
            report.items.map((item) => [
              item.item,
              ...logins.map((login) => `${item.deviation[login]?.sum ?? '0'} (${item.deviation[login]?.differs ?? 0})`),
            ]),
          )}`;
          return out;
        }
        throw new CliError([`unknown calibration command: ${sub ?? '(none)'} (expected create, score, report or close)`]);
      }
      default:
        throw new CliError([`unknown qa command: ${command}`, 'run `ladder qa help` for usage']);
    }
  });
}
