/**
 * `ladder evaluate --input FILE [--policy FILE]… [--format json|table] [--lang zh|en]`:
 * one quarter's level decisions straight from a JSON file (CALC-FORMAT.md, evaluate).
 */
import path from 'node:path';
import {
  checkVersionSet,
  type Policy,
  policyInForce,
  type Problem,
  readPolicy,
  Reader,
  ValidationError,
  type Month,
  parseQuarter,
  monthsOfQuarter,
  checkLevelRules,
  evaluateQuarter,
  LEVEL_INDICATOR_NAMES,
  ladderView,
  type LevelCatalog,
  type LevelDecision,
  type LevelRules,
  levelRulesField,
  parseLevelRules,
  parsePolicyYamlData,
  type QuarterEvaluation,
  quarterEvaluationToJson,
  readQuarterInput,
} from '@ladder/core';
import { CliError, problemsIn, withFile } from '../errors.js';
import { defaultPolicyPath, readJson, readText } from '../files.js';
import { renderTable } from '../text-table.js';

export type Lang = 'zh' | 'en';

export interface EvaluateOptions {
  input: string;
  policies: string[];
  format: 'json' | 'table';
  lang: Lang;
  cwd: string;
}

/** One policy version with its level rules. */
export interface PolicyWithLevels {
  policy: Policy;
  levels: LevelRules;
}

/** The shipped level rules, used when a policy file has no `levels` section. */
export function defaultLevelsPath(): string {
  return path.join(path.dirname(defaultPolicyPath()), '..', 'src', 'levels', 'default-levels.yaml');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function defaultLevels(file: string, catalog: LevelCatalog, cwd: string): LevelRules {
  const levelsFile = defaultLevelsPath();
  const source = readText(levelsFile, cwd);
  try {
    return parseLevelRules(source, catalog);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const where = path.relative(cwd, levelsFile);
    throw new CliError(
      error.problems.map(
        (p) =>
          `${file}: has no levels section, and the default level rules (${where}) do not fit it: ${p.path ? `${p.path}: ` : ''}${p.message}`,
      ),
    );
  }
}

/**
 * Reads a policy file with its `levels` section. While the policy reader does not know `levels`
 * yet, the section is split off and read on its own; a file without it gets the default level rules.
 */
export function readPolicyWithLevels(file: string, cwd: string): PolicyWithLevels {
  const source = readText(file, cwd);
  const data = withFile(file, () => parsePolicyYamlData(source, 'policy is not valid YAML'));
  let policy: Policy;
  try {
    policy = readPolicy(data);
  } catch (error) {
    const unknownLevels = (p: Problem) => p.path === 'levels' && p.message.startsWith('unknown field');
    if (!(error instanceof ValidationError) || !isRecord(data) || !error.problems.some(unknownLevels)) {
      throw error instanceof ValidationError ? problemsIn(file, error.problems) : error;
    }
    const { levels, ...rest } = data;
    const problems: Problem[] = [];
    let parsed: Policy | undefined;
    try {
      parsed = readPolicy(rest);
    } catch (inner) {
      if (!(inner instanceof ValidationError)) throw inner;
      problems.push(...inner.problems);
    }
    const reader = new Reader();
    const rules = levelRulesField(reader, levels, ['levels']);
    if (rules !== undefined && parsed !== undefined) checkLevelRules(reader, rules, parsed, ['levels']);
    problems.push(...reader.problems);
    if (problems.length > 0 || parsed === undefined || rules === undefined) throw problemsIn(file, problems);
    return { policy: parsed, levels: rules };
  }
  const own = (policy as Policy & { levels?: LevelRules }).levels;
  return { policy, levels: own ?? defaultLevels(file, policy, cwd) };
}

/** Loads the versions given (or the default policy), refusing versions that conflict. */
export function loadPoliciesWithLevels(files: readonly string[], cwd: string): PolicyWithLevels[] {
  const paths = files.length > 0 ? files : [defaultPolicyPath()];
  const versions = paths.map((file) => readPolicyWithLevels(file, cwd));
  withFile(paths.join(', '), () => checkVersionSet(versions.map((v) => v.policy)));
  return versions;
}

/** The version in force on the first day of the quarter (as R-RUN-5 does for a month); the latest when the quarter is unreadable. */
function versionFor(versions: PolicyWithLevels[], data: unknown, inputFile: string): PolicyWithLevels {
  const quarter = isRecord(data) && typeof data.quarter === 'string' ? parseQuarter(data.quarter) : undefined;
  if (quarter === undefined) return versions.reduce((a, b) => (b.policy.effectiveFrom > a.policy.effectiveFrom ? b : a));
  const first: Month = monthsOfQuarter(quarter)[0];
  try {
    const policy = policyInForce(
      versions.map((v) => v.policy),
      first,
    );
    return versions.find((v) => v.policy === policy) as PolicyWithLevels;
  } catch (error) {
    if (error instanceof ValidationError)
      throw problemsIn(
        inputFile,
        error.problems.map((p) => ({ ...p, path: 'quarter' })),
      );
    throw error;
  }
}

export function runEvaluate(options: EvaluateOptions): string {
  const versions = loadPoliciesWithLevels(options.policies, options.cwd);
  const data = readJson(options.input, options.cwd);
  const { policy, levels } = versionFor(versions, data, options.input);
  const input = withFile(options.input, () => readQuarterInput(data, levels, policy));
  const result = evaluateQuarter(levels, policy, input);
  const policyInfo = { id: policy.policy, version: policy.version, effectiveFrom: policy.effectiveFrom };
  if (options.format === 'table') return renderEvaluateTable(result, policy, levels, input, options.lang);
  return `${JSON.stringify(quarterEvaluationToJson(result, policyInfo), null, 2)}\n`;
}

const DECISIONS: Record<LevelDecision, { zh: string; en: string }> = {
  promote: { zh: '晋升', en: 'promote' },
  keep: { zh: '保持', en: 'keep' },
  demote: { zh: '降级', en: 'demote' },
  review_dismissal: { zh: '复核辞退', en: 'dismissal review' },
};

const HEADINGS = {
  zh: {
    title: (r: QuarterEvaluation, p: Policy) =>
      `${r.quarter} 等级评定 · 政策 ${p.policy} ${p.version}(${p.effectiveFrom} 起)· 结果 ${r.effectiveFrom} 起生效`,
    columns: ['工号', '客服组', '当前等级', '决定', '新等级', '生效日期'],
    detail: ['指标', '月份', '等级', '数值', '标准', '结果', '说明'],
    pass: ['✓', '✗'],
    ladder: '下一级',
    total: (counts: string) => `共 ${counts}`,
  },
  en: {
    title: (r: QuarterEvaluation, p: Policy) =>
      `Level evaluation ${r.quarter} · policy ${p.policy} ${p.version} (from ${p.effectiveFrom}) · effective ${r.effectiveFrom}`,
    columns: ['Employee', 'Group', 'Level', 'Decision', 'New level', 'Effective'],
    detail: ['Indicator', 'Month', 'Level', 'Value', 'Threshold', 'Pass', 'Explanation'],
    pass: ['✓', '✗'],
    ladder: 'Next level',
    total: (counts: string) => `In all: ${counts}`,
  },
} as const;

function renderEvaluateTable(
  result: QuarterEvaluation,
  policy: Policy,
  levels: LevelRules,
  input: Parameters<typeof ladderView>[2],
  lang: Lang,
): string {
  const h = HEADINGS[lang];
  const levelText = (track: string, code: string) => policy.tracks[track]?.levels.find((l) => l.code === code)?.name[lang] ?? code;
  const groupText = (group: string) => policy.groups[group]?.name[lang] ?? group;
  const views = new Map(ladderView(levels, policy, input).map((v) => [v.employeeId, v]));
  const rows = result.evaluations.map((e) => [
    e.employeeId,
    groupText(e.group),
    levelText(e.track, e.from),
    DECISIONS[e.decision][lang],
    e.to === e.from ? '' : levelText(e.track, e.to),
    e.decision === 'keep' || e.decision === 'review_dismissal' ? '' : e.effectiveFrom,
  ]);
  let text = `${h.title(result, policy)}\n\n`;
  text += renderTable(
    h.columns.map((title) => ({ title })),
    rows,
  );
  const counts = (Object.keys(DECISIONS) as LevelDecision[])
    .map((d) => [d, result.evaluations.filter((e) => e.decision === d).length] as const)
    .filter(([, n]) => n > 0)
    .map(([d, n]) => (lang === 'zh' ? `${DECISIONS[d].zh} ${n} 人` : `${n} ${DECISIONS[d].en}`))
    .join(lang === 'zh' ? ',' : ', ');
  text += `${h.total(counts)}\n`;
  for (const e of result.evaluations) {
    text += `\n${e.employeeId} · ${levelText(e.track, e.from)} · ${DECISIONS[e.decision][lang]}\n${e.explain[lang]}\n`;
    if (e.payEffect) text += `${e.payEffect.explain[lang]}\n`;
    const detail = e.checks.map((c) => [
      LEVEL_INDICATOR_NAMES[c.indicator]?.[lang] ?? c.indicator,
      c.month ?? '',
      c.level === undefined ? '' : levelText(e.track, c.level),
      c.value ?? '—',
      c.threshold,
      c.pass ? h.pass[0] : h.pass[1],
      c.explain[lang],
    ]);
    text += renderTable(
      h.detail.map((title, i) => ({ title, align: i === 3 || i === 4 ? 'right' : 'left' })),
      detail,
    );
    const view = views.get(e.employeeId);
    if (view && e.decision !== 'promote') text += `${h.ladder}: ${view.summary[lang]}\n`;
  }
  return text;
}
