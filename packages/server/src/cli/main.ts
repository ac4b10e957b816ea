import { userInfo } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { runCalc } from './commands/calc.js';
import { runPolicyCheck, runPolicyDiff } from './commands/policy.js';
import { CliError } from './errors.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export const USAGE = `ladder — 客服薪酬、绩效与晋升 / pay, performance and promotion for customer-service teams

用法 / usage:
  ladder calc --input FILE [--policy FILE]… [--format json|table] [--lang zh|en]
        一个月的工资计算(无数据库) / one month's pay from a JSON file, no database
  ladder evaluate --input FILE [--policy FILE]… [--format json|table] [--lang zh|en]
        一个季度的等级评定(无数据库) / one quarter's level decisions from a JSON file, no database
  ladder levels evaluate|show|approve|reject|view QUARTER [--employee NO] [--note TEXT] [--reason TEXT] [--format table|json]
        季度等级评定(数据库):计算、审核、批准;晋升阶梯 / quarterly level review from the database; the ladder view
  ladder net --input FILE [--city CITY] [--format json|table]
        中国个税与社保公积金:应发到实发(无数据库) / China gross to net for a tax year, no database
  ladder import KIND FILE… [--format csv|xlsx|json] [--source CODE]
        导入(全部成功或全部不导入,出错写错误报告)/ import files all-or-nothing, with an error report
        KIND: employees agent-accounts attendance conversations agent-daily agent-period tickets csat
              deductions lead-points sales sales-targets pay-profiles special-deductions annual-bonuses;
              help-desk exports: chatwoot-events chatwoot-csat
              chatwoot-agents zendesk-tickets cn-agent-daily
  ladder template KIND [--format xlsx|csv] [--out FILE]   导入模板 / an import template
  ladder payroll run|review|approve|lock|show|export|payslips|bank-file MONTH [--reason TEXT] [--employee NO] [--format xlsx|csv] [--out FILE]
        按月工资核算(数据库)/ monthly payroll runs from the database (draft → reviewed → approved → locked)
  ladder qa sample|inspection|score|dispute|signoff|report|board|calibration …   (ladder qa help)
        质检、申诉、签字、日报与榜单(数据库)/ quality inspection, disputes, sign-offs, reports and boards
  ladder applications list|show|submit|opinion|panel|decide|notice|object|rule|effective|withdraw|figures [ID|NO] …
        晋升申请:资格、意见、评审、决定、公示、异议、生效 / promotion by application, end to end
  ladder policy check FILE…     校验政策文件 / validate policy files
  ladder policy diff OLD NEW    按规则列出差异 / per-rule differences between two versions
  ladder help                   本说明 / this text

数据库:默认 ./data/ladder.sqlite;设置 DATABASE_URL=postgres://… 使用 PostgreSQL。
Database: ./data/ladder.sqlite by default; DATABASE_URL=postgres://… for PostgreSQL. --as NAME says who acts (default: LADDER_USER or the login name).

坏的输入以状态 2 退出,每个问题一行 / bad input exits with status 2, one line per problem.
`;

type Handler = (args: string[], io: CliIo) => string | Promise<string>;

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError([`${(error as Error).message.split('\n')[0]}`, 'run `ladder help` for usage']);
  }
}

function oneOfFlag<T extends string>(name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new CliError([`--${name} must be one of ${choices.join(', ')}, got ${String(value)}`]);
}

const calc: Handler = (args, io) => {
  const { values, positionals } = parse(args, {
    input: { type: 'string', short: 'i' },
    policy: { type: 'string', short: 'p', multiple: true },
    format: { type: 'string', short: 'f' },
    lang: { type: 'string' },
  });
  if (positionals.length > 0) throw new CliError([`unexpected argument: ${positionals[0]}`]);
  if (typeof values.input !== 'string') throw new CliError(['calc needs --input FILE (a month in the format of CALC-FORMAT.md)']);
  return runCalc({
    input: values.input,
    policies: (values.policy as string[] | undefined) ?? [],
    format: oneOfFlag('format', values.format, ['json', 'table'] as const, 'json'),
    lang: oneOfFlag('lang', values.lang, ['zh', 'en'] as const, 'zh'),
    cwd: io.cwd,
  });
};

const evaluate: Handler = async (args, io) => {
  const { values, positionals } = parse(args, {
    input: { type: 'string', short: 'i' },
    policy: { type: 'string', short: 'p', multiple: true },
    format: { type: 'string', short: 'f' },
    lang: { type: 'string' },
  });
  if (positionals.length > 0) throw new CliError([`unexpected argument: ${positionals[0]}`]);
  if (typeof values.input !== 'string') throw new CliError(['evaluate needs --input FILE (a quarter in the format of CALC-FORMAT.md)']);
  const { runEvaluate } = await import('./commands/evaluate.js');
  return runEvaluate({
    input: values.input,
    policies: (values.policy as string[] | undefined) ?? [],
    format: oneOfFlag('format', values.format, ['json', 'table'] as const, 'json'),
    lang: oneOfFlag('lang', values.lang, ['zh', 'en'] as const, 'zh'),
    cwd: io.cwd,
  });
};

const net: Handler = async (args, io) => {
  const { values, positionals } = parse(args, {
    input: { type: 'string', short: 'i' },
    city: { type: 'string' },
    format: { type: 'string', short: 'f' },
  });
  if (positionals.length > 0) throw new CliError([`unexpected argument: ${positionals[0]}`]);
  if (typeof values.input !== 'string')
    throw new CliError(['net needs --input FILE (a city and employees with their months; see `ladder help`)']);
  const { runNet } = await import('./commands/net.js');
  return runNet({
    input: values.input,
    ...(typeof values.city === 'string' ? { city: values.city } : {}),
    format: oneOfFlag('format', values.format, ['json', 'table'] as const, 'json'),
    cwd: io.cwd,
  });
};

const policy: Handler = (args, io) => {
  const [sub, ...rest] = args;
  const { positionals } = parse(rest, {});
  if (sub === 'check') {
    if (positionals.length === 0) throw new CliError(['policy check needs at least one FILE']);
    return runPolicyCheck(positionals, io.cwd);
  }
  if (sub === 'diff') {
    const [oldFile, newFile] = positionals;
    if (positionals.length !== 2 || !oldFile || !newFile) throw new CliError(['policy diff needs exactly two files: OLD NEW']);
    return runPolicyDiff(oldFile, newFile, io.cwd);
  }
  throw new CliError([`unknown policy command: ${sub ?? '(none)'} (expected check or diff)`]);
};

function actorOf(value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return process.env.LADDER_USER ?? userInfo().username;
}

/** The string flags given, named in camelCase (`--case-analysis` → caseAnalysis); `--as` is who acts, not one of them. */
function stringFlags(values: Record<string, unknown>): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && key !== 'as') flags[key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return flags;
}

const stringOptions = (...names: string[]): NonNullable<ParseArgsConfig['options']> =>
  Object.fromEntries(
    names.map((name) => [
      name,
      name === 'format' ? { type: 'string', short: 'f' } : name === 'out' ? { type: 'string', short: 'o' } : { type: 'string' },
    ]),
  );

function onePositionalAtMost(positionals: string[]): void {
  if (positionals.length > 1) throw new CliError([`unexpected argument: ${positionals[1]}`]);
}

// The database commands are loaded on use: the store drivers are not needed by the stateless commands.
const payroll: Handler = async (args, io) => {
  const [step, ...rest] = args;
  const { values, positionals } = parse(rest, stringOptions('reason', 'employee', 'format', 'out', 'as'));
  onePositionalAtMost(positionals);
  const { runPayrollCommand } = await import('./commands/payroll.js');
  return runPayrollCommand(
    step ?? '',
    { ...(positionals[0] ? { month: positionals[0] } : {}), ...stringFlags(values) },
    { cwd: io.cwd, actor: actorOf(values.as) },
  );
};

const importHandler: Handler = async (args, io) => {
  const [kind, ...rest] = args;
  const { values, positionals } = parse(rest, stringOptions('format', 'source', 'as'));
  const { runImport } = await import('./commands/imports.js');
  return runImport({ ...(kind ? { kind } : {}), files: positionals, ...stringFlags(values) }, { cwd: io.cwd, actor: actorOf(values.as) });
};

const template: Handler = async (args, io) => {
  const [kind, ...rest] = args;
  const { values, positionals } = parse(rest, stringOptions('format', 'out'));
  if (positionals.length > 0) throw new CliError([`unexpected argument: ${positionals[0]}`]);
  const { runTemplate } = await import('./commands/imports.js');
  return runTemplate({ ...(kind ? { kind } : {}), ...stringFlags(values) }, io.cwd);
};

const levels: Handler = async (args, io) => {
  const [step, ...rest] = args;
  const { values, positionals } = parse(rest, stringOptions('employee', 'note', 'reason', 'format', 'lang', 'as'));
  onePositionalAtMost(positionals);
  const { runLevelsCommand } = await import('./commands/levels.js');
  return runLevelsCommand(
    (step ?? '') as Parameters<typeof runLevelsCommand>[0],
    { ...(positionals[0] ? { quarter: positionals[0] } : {}), ...stringFlags(values) },
    { cwd: io.cwd, actor: actorOf(values.as) },
  );
};

const qa: Handler = async (args, io) => {
  const { runQaCommand } = await import('./commands/qa.js');
  return runQaCommand(args, { cwd: io.cwd, actor: actorOf(undefined) });
};

const applications: Handler = async (args, io) => {
  const [step, ...rest] = args;
  const { values, positionals } = parse(
    rest,
    stringOptions(
      'track',
      'to',
      'summary',
      'achievements',
      'opinion',
      'recommend',
      'interview',
      'case-analysis',
      'outcome',
      'objection',
      'ruling',
      'date',
      'status',
      'employee',
      'csat',
      'complaint-resolution',
      'handle-time',
      'test-score',
      'internal-complaints',
      'format',
      'as',
    ),
  );
  onePositionalAtMost(positionals);
  const { runApplicationsCommand } = await import('./commands/applications.js');
  return runApplicationsCommand(
    (step ?? '') as Parameters<typeof runApplicationsCommand>[0],
    { ...(positionals[0] ? { target: positionals[0] } : {}), ...stringFlags(values) },
    { cwd: io.cwd, actor: actorOf(values.as) },
  );
};

const COMMANDS: Record<string, Handler> = {
  calc,
  evaluate,
  applications,
  import: importHandler,
  levels,
  net,
  payroll,
  policy,
  qa,
  template,
  help: () => USAGE,
};

/** Runs one command; output is written only when the whole command succeeded. Returns the exit status. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    io.stdout(USAGE);
    return 0;
  }
  const handler = COMMANDS[command];
  if (!handler) {
    io.stderr(`unknown command: ${command}\nrun \`ladder help\` for usage\n`);
    return 2;
  }
  try {
    io.stdout(await handler(args, io));
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`${error.lines.join('\n')}\n`);
      return error.exitCode;
    }
    io.stderr(`internal error: ${(error as Error).message}\n`);
    return 1;
  }
}
