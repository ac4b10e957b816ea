import {
  calculateMonth,
  checkVersionSet,
  formatDecimal,
  formatYuan,
  type MonthResult,
  monthResultToJson,
  type Policy,
  policyInForce,
  readMonthInput,
} from '@ladder/core';
import { withFile } from '../errors.js';
import { defaultPolicyPath, readJson, readPolicyFile } from '../files.js';
import { renderTable } from '../text-table.js';

export type Lang = 'zh' | 'en';

export interface CalcOptions {
  input: string;
  policies: string[];
  format: 'json' | 'table';
  lang: Lang;
  cwd: string;
}

/** Loads the policy versions given (or the default), refusing versions that conflict. */
export function loadPolicyVersions(files: readonly string[], cwd: string): Policy[] {
  const paths = files.length > 0 ? files : [defaultPolicyPath()];
  const versions = paths.map((file) => readPolicyFile(file, cwd).policy);
  withFile(paths.join(', '), () => checkVersionSet(versions));
  return versions;
}

export function runCalc(options: CalcOptions): string {
  const versions = loadPolicyVersions(options.policies, options.cwd);
  const data = readJson(options.input, options.cwd);
  const { input, policy } = withFile(options.input, () => readMonthInput(data, (month) => policyInForce(versions, month)));
  const result = calculateMonth(policy, input);
  if (options.format === 'table') return renderCalcTable(result, policy, options.lang);
  return `${JSON.stringify(monthResultToJson(result), null, 2)}\n`;
}

const HEADINGS = {
  zh: {
    title: (r: MonthResult) => `${r.period} 工资计算 · 政策 ${r.policy.id} ${r.policy.version}(${r.policy.effectiveFrom} 起)`,
    columns: ['工号', '客服组', '等级', '扣分', '系数', '评定', '绩效分', '绩效工资', '应发合计'],
    detail: ['项目', '金额', '规则', '说明'],
    forfeited: '无绩效',
    total: (n: number, sum: string) => `共 ${n} 人,应发合计 ${sum} 元`,
  },
  en: {
    title: (r: MonthResult) => `Pay for ${r.period} · policy ${r.policy.id} ${r.policy.version} (from ${r.policy.effectiveFrom})`,
    columns: ['Employee', 'Group', 'Level', 'Deduct.', 'Coef.', 'Grade', 'Score', 'Perf. pay', 'Gross'],
    detail: ['Line', 'Amount', 'Rule', 'Explanation'],
    forfeited: 'forfeited',
    total: (n: number, sum: string) => `${n} employee(s), gross in all ${sum} yuan`,
  },
} as const;

function renderCalcTable(result: MonthResult, policy: Policy, lang: Lang): string {
  const h = HEADINGS[lang];
  const name = (value: { zh: string; en: string } | undefined, fallback: string) => value?.[lang] ?? fallback;
  const levelName = (group: string, level: string) => {
    const track = policy.tracks[policy.groups[group]?.track ?? ''];
    return name(track?.levels.find((l) => l.code === level)?.name, level);
  };
  const summary = result.payslips.map((slip) => {
    const p = slip.performance;
    const score = p.scheme === 'score';
    return [
      slip.employeeId,
      name(policy.groups[slip.group]?.name, slip.group),
      levelName(slip.group, slip.level),
      score ? formatDecimal(p.deductions) : '',
      p.coefficient === null ? h.forfeited : formatDecimal(p.coefficient),
      score ? name(policy.grades[p.grade]?.name, p.grade) : '',
      score && p.score !== null ? formatDecimal(p.score) : '',
      formatYuan(p.pay),
      formatYuan(slip.gross),
    ];
  });
  const total = result.payslips.reduce((sum, slip) => sum + slip.gross, 0);
  const right = new Set([3, 4, 6, 7, 8]);
  let text = `${h.title(result)}\n\n`;
  text += renderTable(
    h.columns.map((title, i) => ({ title, align: right.has(i) ? 'right' : 'left' })),
    summary,
  );
  text += `${h.total(result.payslips.length, formatYuan(total as (typeof result.payslips)[number]['gross']))}\n`;
  for (const slip of result.payslips) {
    text += `\n${slip.employeeId} · ${levelName(slip.group, slip.level)} · ${formatYuan(slip.gross)}\n`;
    const rows = slip.lines.map((line) => [line.code, formatYuan(line.amount), line.rule, line.explain[lang]]);
    if (slip.performance.pay === 0)
      rows.push(['performance', '0.00', slip.performance.scheme === 'score' ? 'R-PAY-6' : 'R-SAL-2', slip.performance.explain[lang]]);
    text += renderTable(
      h.detail.map((title, i) => ({ title, align: i === 1 ? 'right' : 'left' })),
      rows,
    );
  }
  return text;
}
