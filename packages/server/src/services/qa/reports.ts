/**
 * R-QA-5: the team lead's daily report. For each agent of the team: the day's inspections done and
 * pending, the day's and the month-to-date deductions (R-QA-4), the coefficient band they fall in
 * (R-PAY-6), the points left to the band's edge, and the performance pay the month would pay if it
 * ended with today's figures — computed by core's `calculatePayslip` on the same inputs the payroll
 * run reads, with the deductions to date, so it agrees with `ladder calc` on those figures.
 *
 * Where the spec is silent:
 * - "Done" is submitted, published or disputed; "pending" is assigned or in progress.
 * - Month to date is the first of the month through the report's day, revoked deductions left out.
 * - The projection uses the month's other inputs as stored now (conversations, tickets, lead
 *   points, attendance — a month without attendance is projected as one without absence, as the
 *   payroll draft does) and does not apply a critical-item forfeiture (the pay engine has no input
 *   for it); the row says so when one stands.
 */
import {
  bandStanding,
  type Bilingual,
  calculatePayslip,
  Decimal,
  firstDayOf,
  formatDecimal,
  formatYuan,
  type IsoDate,
  monthOf,
} from '@ladder/core';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { gatherMonthInputs } from '../payroll/inputs.js';
import { policyForMonth } from '../policies.js';
import { agentsOnDay } from './agents.js';
import { qaDb, requireDay } from './db.js';
import { actingAs } from './users.js';
import { type Sheet, writeSheets } from './xlsx.js';

export interface DailyAgentRow {
  employeeNo: string;
  name: string;
  group: string;
  level: string;
  inspections: { sampled: number; done: number; pending: number };
  deductions: { today: string; monthToDate: string };
  /** null for a group without a coefficient table (the sales scheme). */
  band: {
    range: string;
    coefficient: string | null;
    grade: string;
    /** Points left to the band's edge; null in the last band. */
    pointsToNextBand: string | null;
    /** Whether reaching the edge itself still keeps the band (an upTo bound). */
    edgeInclusive: boolean | null;
    next: { range: string; coefficient: string | null } | null;
    explain: Bilingual;
  } | null;
  projected: { performancePay: string; gross: string; score: string | null; coefficient: string | null };
  notes: Bilingual[];
}

export interface DailyReport {
  team: string;
  date: IsoDate;
  month: string;
  policy: { id: string; version: string };
  agents: DailyAgentRow[];
}

const REPORT_ROLES = ['team_lead', 'qa_manager', 'qa_inspector', 'cs_manager', 'hr', 'director', 'admin'] as const;

async function deductionSums(db: Db, ids: readonly number[], from: string, to: string): Promise<Map<number, Decimal>> {
  const sums = new Map<number, Decimal>();
  if (ids.length === 0) return sums;
  const rows = await db
    .selectFrom('deductions')
    .select(['employee_id', 'points'])
    .where('employee_id', 'in', [...ids])
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where('revoked_at', 'is', null)
    .execute();
  // Exact decimals kept as text: added here, not by the database.
  for (const r of rows) sums.set(r.employee_id, (sums.get(r.employee_id) ?? new Decimal(0)).plus(r.points));
  return sums;
}

/** The daily report of a team (R-QA-5); a team lead sees only the teams they lead. */
export async function dailyReport(ctx: ServiceContext, teamCode: string, dateText: string): Promise<DailyReport> {
  const date = requireDay(dateText, 'the report date');
  const db = ctx.store.db;
  const actor = await actingAs(db, ctx, REPORT_ROLES);
  const team = await db.selectFrom('teams').select(['id', 'code']).where('code', '=', teamCode).executeTakeFirst();
  if (!team) throw new AppError('unknown_team', `unknown team ${teamCode}`);
  const managerial = actor.roles.some((r) => r !== 'team_lead' && r !== 'agent');
  if (!managerial && !actor.leadsTeams.includes(team.id)) {
    throw new AppError('role_not_allowed', `a team lead sees only their own team's report; ${actor.id} does not lead ${teamCode}`);
  }
  const month = monthOf(date);
  const { policy } = await policyForMonth(db, ctx, month);
  const agents = [...(await agentsOnDay(db, date)).values()]
    .filter((a) => a.teamId === team.id && a.status === 'active')
    .sort((a, b) => (a.employeeNo < b.employeeNo ? -1 : 1));
  const ids = agents.map((a) => a.id);
  const today = await deductionSums(db, ids, date, date);
  const toDate = await deductionSums(db, ids, firstDayOf(month), date);
  const q = qaDb(db);
  const inspections =
    ids.length === 0
      ? []
      : await q
          .selectFrom('qa_inspections')
          .select(['employee_id', 'status'])
          .where('employee_id', 'in', ids)
          .where('day', '=', date)
          .where('withdrawn_at', 'is', null)
          .execute();
  const disputes =
    ids.length === 0
      ? []
      : await q
          .selectFrom('qa_disputes')
          .select(['employee_id'])
          .where('employee_id', 'in', ids)
          .where('month', '=', month)
          .where('status', '!=', 'closed')
          .execute();
  const forfeits =
    ids.length === 0
      ? []
      : await q
          .selectFrom('qa_forfeitures')
          .select(['employee_id', 'item'])
          .where('employee_id', 'in', ids)
          .where('month', '=', month)
          .where('status', '!=', 'void')
          .execute();
  const inputs = new Map((await gatherMonthInputs(db, month, policy)).employees.map((e) => [e.employee.id, e.input]));

  const rows: DailyAgentRow[] = agents.map((agent) => {
    const mine = inspections.filter((i) => i.employee_id === agent.id);
    const mtd = toDate.get(agent.id) ?? new Decimal(0);
    const group = policy.groups[agent.group];
    const bands = group?.bands ? policy.bands[group.bands] : undefined;
    const standing = bands ? bandStanding(bands, mtd) : undefined;
    const notes: Bilingual[] = [];
    const input = inputs.get(agent.id);
    let projected: DailyAgentRow['projected'] = { performancePay: '0.00', gross: '0.00', score: null, coefficient: null };
    if (input) {
      const projectedInput = input.metrics ? { ...input, metrics: { ...input.metrics, deductions: mtd } } : input;
      const slip = calculatePayslip(policy, month, projectedInput);
      const p = slip.performance;
      projected = {
        performancePay: formatYuan(p.pay),
        gross: formatYuan(slip.gross),
        score: p.scheme === 'score' && p.score !== null ? formatDecimal(p.score) : null,
        coefficient: p.coefficient === null ? null : formatDecimal(p.coefficient),
      };
    } else {
      notes.push({ zh: '本月无可计算的工资数据(如销售额缺失)', en: 'no pay figures to project for this month (e.g. sales missing)' });
    }
    const open = disputes.filter((d) => d.employee_id === agent.id).length;
    if (open > 0)
      notes.push({ zh: `${open} 项申诉未结案,扣分暂按已发布计入`, en: `${open} dispute(s) open: deductions counted as published for now` });
    const critical = forfeits.filter((f) => f.employee_id === agent.id);
    if (critical.length > 0) {
      notes.push({
        zh: `致命项 ${critical.map((c) => c.item).join('、')} 成立:本月绩效工资应取消(预测未扣除,待总监确认)`,
        en: `critical item(s) ${critical.map((c) => c.item).join(', ')} stand: the month's performance pay is forfeited (not applied in the projection; awaiting the director)`,
      });
    }
    return {
      employeeNo: agent.employeeNo,
      name: agent.name,
      group: agent.group,
      level: agent.level,
      inspections: {
        sampled: mine.length,
        done: mine.filter((i) => i.status === 'submitted' || i.status === 'published' || i.status === 'disputed').length,
        pending: mine.filter((i) => i.status === 'assigned' || i.status === 'in_progress').length,
      },
      deductions: { today: formatDecimal(today.get(agent.id) ?? new Decimal(0)), monthToDate: formatDecimal(mtd) },
      band: standing
        ? {
            range: standing.range,
            coefficient: standing.coefficient === null ? null : formatDecimal(standing.coefficient),
            grade: standing.grade,
            pointsToNextBand: standing.pointsToEdge === null ? null : formatDecimal(standing.pointsToEdge),
            edgeInclusive: standing.edge === null ? null : standing.edge.inclusive,
            next: standing.next
              ? {
                  range: standing.next.range,
                  coefficient: standing.next.coefficient === null ? null : formatDecimal(standing.next.coefficient),
                }
              : null,
            explain: standing.explain,
          }
        : null,
      projected,
      notes,
    };
  });
  return { team: team.code, date, month, policy: { id: policy.policy, version: policy.version }, agents: rows };
}

export function dailyReportSheet(report: DailyReport, lang: 'zh' | 'en' = 'zh'): Sheet {
  return {
    name: `日报 ${report.team} ${report.date}`,
    header: [
      '工号 employee no',
      '姓名 name',
      '客服组 group',
      '抽检 sampled',
      '已检 done',
      '待检 pending',
      '今日扣分 today',
      '本月累计 month to date',
      '档位 band',
      '系数 coefficient',
      '距下一档 points to next band',
      '预计绩效工资 projected performance pay',
      '说明 notes',
    ],
    rows: report.agents.map((a) => [
      a.employeeNo,
      a.name,
      a.group,
      a.inspections.sampled,
      a.inspections.done,
      a.inspections.pending,
      Number(a.deductions.today),
      Number(a.deductions.monthToDate),
      a.band?.range ?? '',
      a.band ? (a.band.coefficient ?? '无绩效 forfeited') : '',
      a.band?.pointsToNextBand === null || a.band === null ? '' : Number(a.band.pointsToNextBand),
      Number(a.projected.performancePay),
      [a.band?.explain[lang], ...a.notes.map((n) => n[lang])].filter(Boolean).join('; '),
    ]),
    widths: [12, 10, 8, 8, 8, 8, 10, 12, 16, 10, 12, 14, 80],
  };
}

export async function writeDailyReportXlsx(report: DailyReport, file: string, lang: 'zh' | 'en' = 'zh'): Promise<string> {
  await writeSheets(file, [dailyReportSheet(report, lang)]);
  return file;
}
