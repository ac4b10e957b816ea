/**
 * R-QA-5, R-EXT-2: the board of a week (or a month) per group, ranked, with the titles 服务明星
 * (service star) and 优秀客服 (excellent agent). Visible to the whole department.
 *
 * Where the spec is silent:
 * - Ranking: fewest deduction points in the period first (QA and efficiency/discipline alike, as
 *   the month's deductions of R-QA-4; revoked ones left out), then the most conversations handled,
 *   then employee number. Equal points and conversations share a rank (1, 1, 3 …).
 * - Titles: rank 1 of each group is 服务明星, ranks 2 and 3 优秀客服 — only for agents with at
 *   least one published inspection in the period (a result nobody inspected earns no title).
 * - A week is an ISO week (YYYY-Www, Monday to Sunday) of China days; agents are those active on
 *   its last day.
 */
import { addDays, type Bilingual, Decimal, firstDayOf, formatDecimal, type IsoDate, lastDayOf, parseMonth } from '@ladder/core';
import { AppError, type Db, type ServiceContext } from '../context.js';
import { agentsOnDay } from './agents.js';
import { qaDb } from './db.js';
import { actingAs } from './users.js';
import { type Sheet, writeSheets } from './xlsx.js';

export const TITLES: Record<'service_star' | 'excellent', Bilingual> = {
  service_star: { zh: '服务明星', en: 'service star' },
  excellent: { zh: '优秀客服', en: 'excellent agent' },
};

export interface Period {
  label: string;
  from: IsoDate;
  to: IsoDate;
}

/** An ISO week 'YYYY-Www' as its Monday-to-Sunday dates. */
export function isoWeek(text: string): Period {
  const match = /^(\d{4})-W(\d{2})$/.exec(text);
  const year = Number(match?.[1]);
  const week = Number(match?.[2]);
  // Week 1 holds 4 January; its Monday is the first day of the ISO year.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday1 = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000);
  const dec28 = new Date(Date.UTC(year, 11, 28));
  const weeks = Math.round((dec28.getTime() - monday1.getTime()) / (7 * 86_400_000)) + 1;
  if (!match || week < 1 || week > weeks)
    throw new AppError('invalid_input', `expected an ISO week YYYY-Www (01–${weeks || 53}), got ${JSON.stringify(text)}`);
  const from = new Date(monday1.getTime() + (week - 1) * 7 * 86_400_000).toISOString().slice(0, 10) as IsoDate;
  return { label: text, from, to: addDays(from, 6) };
}

export function monthPeriod(text: string): Period {
  const month = parseMonth(text);
  if (!month) throw new AppError('invalid_input', `expected a month YYYY-MM, got ${JSON.stringify(text)}`);
  return { label: month, from: firstDayOf(month), to: lastDayOf(month) };
}

export interface BoardRow {
  rank: number;
  employeeNo: string;
  name: string;
  team: string | null;
  deductions: string;
  qaDeductions: string;
  inspections: number;
  conversations: number;
  title: { code: keyof typeof TITLES; zh: string; en: string } | null;
}

export interface Board {
  period: Period;
  groups: { group: string; rows: BoardRow[] }[];
}

/** The ranked board of a period, per group. */
export async function board(ctx: ServiceContext, period: Period): Promise<Board> {
  const db: Db = ctx.store.db;
  await actingAs(db, ctx);
  const agents = [...(await agentsOnDay(db, period.to)).values()].filter((a) => a.status === 'active');
  const ids = agents.map((a) => a.id);
  const points = new Map<number, { all: Decimal; qa: Decimal }>();
  const volume = new Map<number, number>();
  const inspected = new Map<number, number>();
  if (ids.length > 0) {
    const deductions = await db
      .selectFrom('deductions')
      .select(['employee_id', 'points', 'origin'])
      .where('day', '>=', period.from)
      .where('day', '<=', period.to)
      .where('revoked_at', 'is', null)
      .execute();
    for (const d of deductions) {
      const p = points.get(d.employee_id) ?? { all: new Decimal(0), qa: new Decimal(0) };
      p.all = p.all.plus(d.points);
      if (d.origin === 'qa') p.qa = p.qa.plus(d.points);
      points.set(d.employee_id, p);
    }
    const stats = await db
      .selectFrom('agent_day_stats')
      .select(['employee_id', (eb) => eb.fn.sum<number>('conversations').as('total')])
      .where('day', '>=', period.from)
      .where('day', '<=', period.to)
      .groupBy('employee_id')
      .execute();
    for (const s of stats) volume.set(s.employee_id, Number(s.total));
    const published = await qaDb(db)
      .selectFrom('qa_inspections')
      .select(['employee_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('day', '>=', period.from)
      .where('day', '<=', period.to)
      .where('published_on', 'is not', null)
      .where('withdrawn_at', 'is', null)
      .groupBy('employee_id')
      .execute();
    for (const p of published) inspected.set(p.employee_id, Number(p.n));
  }
  const groups = [...new Set(agents.map((a) => a.group))].sort();
  return {
    period,
    groups: groups.map((group) => {
      const members = agents
        .filter((a) => a.group === group)
        .map((a) => ({
          agent: a,
          all: points.get(a.id)?.all ?? new Decimal(0),
          qa: points.get(a.id)?.qa ?? new Decimal(0),
          conversations: volume.get(a.id) ?? 0,
          inspections: inspected.get(a.id) ?? 0,
        }))
        .sort((x, y) => x.all.comparedTo(y.all) || y.conversations - x.conversations || (x.agent.employeeNo < y.agent.employeeNo ? -1 : 1));
      const rows: BoardRow[] = [];
      members.forEach((m, index) => {
        const previous = members[index - 1];
        const tied = previous && previous.all.equals(m.all) && previous.conversations === m.conversations;
        const rank = tied ? (rows[index - 1] as BoardRow).rank : index + 1;
        const code = m.inspections === 0 ? null : rank === 1 ? 'service_star' : rank <= 3 ? 'excellent' : null;
        rows.push({
          rank,
          employeeNo: m.agent.employeeNo,
          name: m.agent.name,
          team: m.agent.teamCode,
          deductions: formatDecimal(m.all),
          qaDeductions: formatDecimal(m.qa),
          inspections: m.inspections,
          conversations: m.conversations,
          title: code ? { code, ...TITLES[code] } : null,
        });
      });
      return { group, rows };
    }),
  };
}

export function boardSheets(b: Board): Sheet[] {
  return b.groups.map((g) => ({
    name: `${g.group} ${b.period.label}`,
    header: [
      '名次 rank',
      '工号 employee no',
      '姓名 name',
      '组 team',
      '扣分 deductions',
      '质检扣分 QA',
      '质检数 inspections',
      '接待量 conversations',
      '称号 title',
    ],
    rows: g.rows.map((r) => [
      r.rank,
      r.employeeNo,
      r.name,
      r.team,
      Number(r.deductions),
      Number(r.qaDeductions),
      r.inspections,
      r.conversations,
      r.title ? `${r.title.zh} ${r.title.en}` : '',
    ]),
    widths: [8, 14, 10, 8, 12, 12, 12, 14, 24],
  }));
}

export async function writeBoardXlsx(b: Board, file: string): Promise<string> {
  const sheets = boardSheets(b);
  await writeSheets(file, sheets.length > 0 ? sheets : [{ name: b.period.label, header: ['名次 rank'], rows: [] }]);
  return file;
}
