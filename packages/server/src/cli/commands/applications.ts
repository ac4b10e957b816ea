/**
 * `ladder applications list|show|submit|opinion|panel|decide|notice|object|rule|effective|withdraw|figures …`:
 * promotion applications (R-APP) in the database. The acting person is `--as LOGIN`.
 */
import {
  type ApplicationView,
  decideApplication,
  giveOpinion,
  listApplications,
  makeEffective,
  objectToApplication,
  publishNotice,
  recordFigures,
  ruleOnObjection,
  scorePanel,
  showApplication,
  submitApplication,
  withdrawApplication,
} from '../../services/applications/index.js';
import { CliError } from '../errors.js';
import { renderTable } from '../text-table.js';
import { type StoreOptions, withStore } from './payroll.js';

export const APPLICATION_STEPS = [
  'list',
  'show',
  'submit',
  'opinion',
  'panel',
  'decide',
  'notice',
  'object',
  'rule',
  'effective',
  'withdraw',
  'figures',
] as const;
export type ApplicationsStep = (typeof APPLICATION_STEPS)[number];

export interface ApplicationsArgs {
  /** The application id (or, for submit and figures, the employee number). */
  target?: string;
  track?: string;
  to?: string;
  summary?: string;
  achievements?: string;
  opinion?: string;
  recommend?: string;
  interview?: string;
  caseAnalysis?: string;
  outcome?: string;
  objection?: string;
  ruling?: string;
  date?: string;
  status?: string;
  employee?: string;
  csat?: string;
  complaintResolution?: string;
  handleTime?: string;
  testScore?: string;
  internalComplaints?: string;
  format?: string;
}

const columns = (...titles: string[]) => titles.map((title) => ({ title }));

function need(value: string | undefined, what: string): string {
  if (value === undefined || value.trim() === '') throw new CliError([`${what} is required`]);
  return value;
}

function idOf(args: ApplicationsArgs): number {
  const id = Number(need(args.target, 'the application id'));
  if (!Number.isSafeInteger(id) || id <= 0) throw new CliError([`expected an application id, got ${args.target ?? ''}`]);
  return id;
}

function yesNo(value: string | undefined, what: string, yes: string, no: string): boolean {
  const v = need(value, what);
  if (v === yes) return true;
  if (v === no) return false;
  throw new CliError([`${what} must be ${yes} or ${no}, got ${v}`]);
}

function describe(app: ApplicationView): string {
  const lines = [
    `申请 application #${app.id} · ${app.employeeNo} ${app.name} · ${app.track} ${app.from ?? '—'} → ${app.to} · ${app.status}`,
    `工作总结 work summary: ${app.workSummary}`,
    `主要业绩 achievements: ${app.achievements}`,
  ];
  if (app.case.eligibility) lines.push(`资格 eligibility: ${app.case.eligibility.explain.zh} / ${app.case.eligibility.explain.en}`);
  if (app.case.notice) lines.push(`公示 notice: ${app.case.notice.explain.zh}`, `        ${app.case.notice.explain.en}`);
  if (app.effectiveOn) lines.push(`生效 effective: ${app.effectiveOn}`);
  app.case.objections.forEach((o, i) =>
    lines.push(
      `异议 objection ${i + 1}: ${o.by} ${o.on}: ${o.opinion}${o.ruling ? ` → ${o.ruling.upheld ? 'upheld 成立' : 'dismissed 不成立'} (${o.ruling.by} ${o.ruling.on}: ${o.ruling.opinion})` : ' (open 待处理)'}`,
    ),
  );
  if (app.steps.length > 0) {
    lines.push(
      renderTable(
        columns('#', 'step', 'by', 'as', 'on', 'scores', 'opinion'),
        app.steps.map((s) => [
          String(s.seq),
          s.event,
          s.actor,
          s.role,
          s.on_day,
          s.interview_score === null ? '' : `${s.interview_score} / ${s.case_analysis_score ?? ''}`,
          (s.opinion ?? '').replace(/\s+/g, ' '),
        ]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

function output(app: ApplicationView, format: string): string {
  if (format === 'json') return `${JSON.stringify({ ...app, case: JSON.parse(JSON.stringify(app.case)) as unknown }, null, 2)}\n`;
  return describe(app);
}

export async function runApplicationsCommand(step: ApplicationsStep, args: ApplicationsArgs, options: StoreOptions): Promise<string> {
  if (!APPLICATION_STEPS.includes(step))
    throw new CliError([`unknown applications command: ${String(step)} (expected ${APPLICATION_STEPS.join(', ')})`]);
  const format = args.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new CliError([`--format must be table or json, got ${format}`]);
  return withStore(options, async (ctx) => {
    switch (step) {
      case 'list': {
        const apps = await listApplications(ctx.store.db, {
          ...(args.status ? { status: args.status } : {}),
          ...(args.employee ? { employeeNo: args.employee } : {}),
        });
        if (format === 'json')
          return `${JSON.stringify(
            apps.map((a) => ({ ...a, case: undefined, steps: undefined })),
            null,
            2,
          )}\n`;
        if (apps.length === 0) return '没有申请 no applications\n';
        return `${renderTable(
          columns('id', 'employee', 'track', 'from', 'to', 'status', 'notice ends', 'effective'),
          apps.map((a) => [
            String(a.id),
            `${a.employeeNo} ${a.name}`,
            a.track,
            a.from ?? '—',
            a.to,
            a.status,
            a.notice?.closesOn ?? '',
            a.effectiveOn ?? '',
          ]),
        )}\n`;
      }
      case 'show':
        return output(await showApplication(ctx.store.db, idOf(args)), format);
      case 'submit': {
        const track = need(args.track, '--track level|position');
        if (track !== 'level' && track !== 'position') throw new CliError([`--track must be level or position, got ${track}`]);
        const app = await submitApplication(ctx, {
          employeeNo: args.target ?? ctx.actor,
          track,
          to: need(args.to, '--to (the level or position applied for)'),
          workSummary: need(args.summary, '--summary (the work summary)'),
          achievements: need(args.achievements, '--achievements'),
        });
        return output(app, format);
      }
      case 'opinion':
        return output(
          await giveOpinion(ctx, idOf(args), yesNo(args.recommend, '--recommend', 'yes', 'no'), need(args.opinion, '--opinion')),
          format,
        );
      case 'panel':
        return output(
          await scorePanel(
            ctx,
            idOf(args),
            need(args.interview, '--interview'),
            need(args.caseAnalysis, '--case-analysis'),
            need(args.opinion, '--opinion'),
          ),
          format,
        );
      case 'decide': {
        const outcome = yesNo(args.outcome, '--outcome', 'approved', 'rejected') ? 'approved' : 'rejected';
        return output(await decideApplication(ctx, idOf(args), outcome, need(args.opinion, '--opinion')), format);
      }
      case 'notice':
        return output(await publishNotice(ctx, idOf(args), args.opinion), format);
      case 'object':
        return output(await objectToApplication(ctx, idOf(args), need(args.opinion, '--opinion (the reason for the objection)')), format);
      case 'rule': {
        const objection = Number(need(args.objection, '--objection N'));
        if (!Number.isSafeInteger(objection) || objection < 1)
          throw new CliError([`--objection must be 1, 2, …, got ${args.objection ?? ''}`]);
        const upheld = yesNo(args.ruling, '--ruling', 'upheld', 'dismissed');
        return output(await ruleOnObjection(ctx, idOf(args), objection, upheld, need(args.opinion, '--opinion')), format);
      }
      case 'effective':
        return output(await makeEffective(ctx, idOf(args), need(args.date, '--date YYYY-MM-DD'), args.opinion), format);
      case 'withdraw':
        return output(await withdrawApplication(ctx, idOf(args), args.opinion), format);
      case 'figures': {
        const complaints = args.internalComplaints === undefined ? undefined : Number(args.internalComplaints);
        if (complaints !== undefined && !Number.isSafeInteger(complaints))
          throw new CliError([`--internal-complaints must be a whole number, got ${args.internalComplaints ?? ''}`]);
        const employeeNo = need(args.target, 'the employee number');
        await recordFigures(ctx, {
          employeeNo,
          ...(args.csat ? { csat: args.csat } : {}),
          ...(args.complaintResolution ? { complaintResolutionRate: args.complaintResolution } : {}),
          ...(args.handleTime ? { handleTime: args.handleTime } : {}),
          ...(args.testScore ? { testScore: args.testScore } : {}),
          ...(complaints !== undefined ? { internalComplaints: complaints } : {}),
          ...(args.opinion ? { note: args.opinion } : {}),
        });
        return `已记录 recorded figures for ${employeeNo}\n`;
      }
    }
    throw new CliError([`unknown applications command: ${String(step)}`]);
  });
}
