import { formatDecimal, toDecimal } from '../money/decimal.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface PolicyChange {
  kind: ChangeKind;
  path: string;
  rule: string;
  before?: string;
  after?: string;
}

interface RuleSection {
  prefix: RegExp;
  rule: string;
}

/** Which SPEC rule each part of a policy belongs to, most specific first. */
const RULE_SECTIONS: readonly RuleSection[] = [
  { prefix: /^(policy|version|effectiveFrom|name|reference)\b/, rule: 'R-RUN-5' },
  { prefix: /^attendance\.(overtime|hoursPerDay)\b/, rule: 'R-PAY-3' },
  { prefix: /^attendance\b/, rule: 'R-PAY-2' },
  { prefix: /^score\.yuanPerPoint\b/, rule: 'R-PAY-4' },
  { prefix: /^score\b/, rule: 'R-PAY-5' },
  { prefix: /^tracks\.sales\.levels\[[^\]]+\]\.basePay\b/, rule: 'R-SAL-1' },
  { prefix: /^tracks\.[^.]+\.levels\[[^\]]+\]\.basePay\b/, rule: 'R-PAY-2' },
  { prefix: /^tracks\.[^.]+\.levels\[[^\]]+\]\.levelBonus\b/, rule: 'R-PAY-5' },
  { prefix: /^tracks\b/, rule: 'R-LVL-1' },
  { prefix: /^bands\b/, rule: 'R-PAY-6' },
  { prefix: /^grades\b/, rule: 'R-PAY-7' },
  { prefix: /^groups\b/, rule: 'SPEC §2' },
  { prefix: /^sales\.bonuses\b/, rule: 'R-SAL-3' },
  { prefix: /^sales\b/, rule: 'R-SAL-2' },
  { prefix: /^(allowances|commissions)\b/, rule: 'R-SAL-4' },
  { prefix: /^levels\b/, rule: 'R-LVL-4' },
  { prefix: /^qa\.disputeWindow\b/, rule: 'R-DSP-1' },
  { prefix: /^qa\.scorecards\b/, rule: 'R-QA-2' },
  { prefix: /^qa\.groups\.[^.]+\.inspectors\b/, rule: 'R-QA-3' },
  { prefix: /^qa\b/, rule: 'R-QA-1' },
  { prefix: /^promotion\.(noticeWorkingDays|panel)\b/, rule: 'R-APP-2' },
  { prefix: /^promotion\b/, rule: 'R-APP-1' },
];

export const RULE_TITLES: Record<string, { zh: string; en: string }> = {
  'R-RUN-5': { zh: '版本与生效日期', en: 'version and effective date' },
  'R-PAY-2': { zh: '基本工资与考勤折算', en: 'base pay and attendance proration' },
  'R-PAY-3': { zh: '加班费', en: 'overtime' },
  'R-PAY-4': { zh: '绩效工资单价', en: 'yuan per performance point' },
  'R-PAY-5': { zh: '绩效总分构成', en: 'performance score' },
  'R-PAY-6': { zh: '绩效考核系数', en: 'coefficient bands' },
  'R-PAY-7': { zh: '绩效等级', en: 'grades' },
  'R-LVL-1': { zh: '等级序列', en: 'level tracks' },
  'SPEC §2': { zh: '客服组', en: 'groups' },
  'R-SAL-1': { zh: '销售基本工资', en: 'sales base pay' },
  'R-SAL-2': { zh: '销售绩效系数', en: 'sales KPI coefficient' },
  'R-SAL-3': { zh: '销售目标奖金', en: 'sales target bonuses' },
  'R-SAL-4': { zh: '津贴与提成', en: 'allowances and commission' },
  'R-LVL-4': { zh: '等级评定指标', en: 'level indicators' },
  'R-QA-1': { zh: '质检抽检', en: 'QA sampling' },
  'R-QA-2': { zh: '质检评分表', en: 'scorecards' },
  'R-QA-3': { zh: '质检人', en: 'who inspects' },
  'R-DSP-1': { zh: '申诉期限', en: 'dispute window' },
  'R-APP-1': { zh: '晋升申请资格', en: 'promotion eligibility' },
  'R-APP-2': { zh: '晋升评审与公示', en: 'promotion panel and notice' },
  other: { zh: '其他', en: 'other' },
};

function ruleOf(path: string): string {
  return RULE_SECTIONS.find((section) => section.prefix.test(path))?.rule ?? 'other';
}

/** Lists of objects with a code are keyed by code, so reordering or inserting reads as what it is. */
function flatten(value: unknown, path: string, into: Map<string, string>): void {
  if (Array.isArray(value)) {
    const keyed = value.every((item) => item !== null && typeof item === 'object' && typeof (item as { code?: unknown }).code === 'string');
    value.forEach((item, index) => {
      const key = keyed ? String((item as { code: string }).code) : String(index);
      flatten(item, `${path}[${key}]`, into);
    });
    if (value.length === 0) into.set(path, '[]');
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      flatten(item, path ? `${path}.${key}` : key, into);
    }
    return;
  }
  into.set(path, normalise(value));
}

function normalise(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'string') {
    const asNumber = toDecimal(value);
    return asNumber ? formatDecimal(asNumber) : String(value);
  }
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** A per-rule list of what changed between two policy documents (as parsed data). */
export function diffPolicies(before: unknown, after: unknown): PolicyChange[] {
  const left = new Map<string, string>();
  const right = new Map<string, string>();
  flatten(before, '', left);
  flatten(after, '', right);
  const changes: PolicyChange[] = [];
  for (const [path, value] of left) {
    const other = right.get(path);
    if (other === undefined) changes.push({ kind: 'removed', path, rule: ruleOf(path), before: value });
    else if (other !== value) changes.push({ kind: 'changed', path, rule: ruleOf(path), before: value, after: other });
  }
  for (const [path, value] of right) {
    if (!left.has(path)) changes.push({ kind: 'added', path, rule: ruleOf(path), after: value });
  }
  const order = [...RULE_SECTIONS.map((s) => s.rule), 'other'];
  return changes.sort((a, b) => order.indexOf(a.rule) - order.indexOf(b.rule) || a.path.localeCompare(b.path));
}

export function formatPolicyDiff(changes: readonly PolicyChange[]): string {
  if (changes.length === 0) return '两个版本的规则相同 / the two versions have the same rules\n';
  const lines: string[] = [];
  let currentRule = '';
  for (const change of changes) {
    if (change.rule !== currentRule) {
      currentRule = change.rule;
      const title = RULE_TITLES[change.rule] ?? RULE_TITLES.other;
      if (lines.length > 0) lines.push('');
      lines.push(`${change.rule} ${title?.zh ?? ''} / ${title?.en ?? ''}`);
    }
    if (change.kind === 'changed') lines.push(`  ~ ${change.path}: ${change.before} → ${change.after}`);
    if (change.kind === 'added') lines.push(`  + ${change.path}: ${change.after}`);
    if (change.kind === 'removed') lines.push(`  - ${change.path}: ${change.before}`);
  }
  return `${lines.join('\n')}\n`;
}
