import { closeSync, openSync, writeSync } from 'node:fs';
import { type Fen, formatYuan, type Month, SCHEME_NAMES, type Scheme } from '@ladder/core';
import { writeWholeFile } from '../../whole-file.js';
import { AppError, type Db } from '../context.js';
import { lineTitle } from './line-titles.js';
import { payslipPages, runPayslips, type StoredPayslip } from './runs.js';

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
const money = (amount: Fen) => escape(formatYuan(amount));
/** A deduction shown with its minus sign; nothing deducted shows as 0.00, not -0.00. */
const minus = (amount: Fen) => (amount === 0 ? '0.00' : `-${money(amount)}`);

interface ContributionJson {
  scheme: string;
  side: string;
  amount: string;
  explain: { zh: string; en: string };
}

function slipHtml(month: string, slip: StoredPayslip): string {
  const gross = slip.lines
    .map(
      (l) =>
        `<tr><td>${escape(lineTitle(l.code))}</td><td class="num">${money(l.amount)}</td><td class="why">${escape(l.explain.zh)}<br><span class="en">${escape(l.explain.en)}</span></td></tr>`,
    )
    .join('');
  let net = '';
  if (slip.net) {
    const contributions = ((slip.net.details.contributions ?? []) as ContributionJson[]).filter((c) => c.side === 'employee');
    const explain = (slip.net.details.explain ?? {}) as Record<string, { zh: string; en: string }>;
    const why = (key: string) => (explain[key] ? `${escape(explain[key].zh)}<br><span class="en">${escape(explain[key].en)}</span>` : '');
    net = `
      <h3>实发 Net pay</h3>
      <table>
        ${contributions.map((c) => `<tr><td>${escape(SCHEME_NAMES[c.scheme as Scheme]?.zh ?? c.scheme)} ${escape(SCHEME_NAMES[c.scheme as Scheme]?.en ?? '')}(个人 employee)</td><td class="num">${c.amount === '0.00' ? '0.00' : `-${escape(c.amount)}`}</td><td class="why">${escape(c.explain.zh)}</td></tr>`).join('')}
        <tr><td>个人所得税 tax</td><td class="num">${minus(slip.net.tax)}</td><td class="why">${why('tax')}</td></tr>
        ${slip.net.bonus ? `<tr><td>年终奖 annual bonus</td><td class="num">${money(slip.net.bonus)}</td><td class="why">${why('bonusTax')}</td></tr>` : ''}
        ${slip.net.bonusTax ? `<tr><td>奖金个税 bonus tax</td><td class="num">${minus(slip.net.bonusTax)}</td><td></td></tr>` : ''}
        <tr class="total"><td>实发 net</td><td class="num">${money(slip.net.net)}</td><td class="why">${why('net')}</td></tr>
        <tr><td>单位成本 employer cost</td><td class="num">${money(slip.net.employerCost)}</td><td class="why">${why('employerCost')}</td></tr>
      </table>
      <p class="ytd">本年累计 year to date: 应发 gross ${escape(slip.net.ytd.gross ?? '')} · 个人缴费 contributions ${escape(slip.net.ytd.employeeContributions ?? '')} · 个税 tax ${escape(slip.net.ytd.tax ?? '')} · 实发 net ${escape(slip.net.ytd.net ?? '')}</p>${withholdingToDate(slip.net.ytd)}`;
  }
  return `
    <section class="slip">
      <h2>工资单 Payslip · ${escape(month)}</h2>
      <p class="who">${escape(slip.employeeNo)} · ${escape(slip.name)} · ${escape(slip.group)} · ${escape(slip.level)}</p>
      <table>
        <thead><tr><th>项目 line</th><th class="num">金额 amount</th><th>说明 explanation</th></tr></thead>
        <tbody>${gross}<tr class="total"><td>应发 gross</td><td class="num">${money(slip.gross)}</td><td></td></tr></tbody>
      </table>
      ${net}
    </section>`;
}

/** A printable page of every payslip of a run (one per sheet when printed), each number explained. */
export async function writePayslipPage(
  db: Db,
  month: Month,
  file: string,
  employeeNo?: string,
): Promise<{ file: string; payslips: number }> {
  const pages = employeeNo === undefined ? payslipPages(db, month) : onePage(runPayslips(db, month, employeeNo));
  const payslips = await writeWholeFile(file, async (partial) => {
    const fd = openSync(partial, 'w');
    let written = 0;
    try {
      writeSync(fd, pageHead(month));
      for await (const page of pages) {
        writeSync(fd, page.map((slip) => slipHtml(month, slip)).join('\n'));
        written += page.length;
      }
      writeSync(fd, '</body></html>\n');
    } finally {
      closeSync(fd);
    }
    if (written === 0) throw new AppError('run_missing', `no payslips for ${month}${employeeNo ? ` and ${employeeNo}` : ''}`);
    return written;
  });
  return { file, payslips };
}

async function* onePage(slips: Promise<StoredPayslip[]>): AsyncGenerator<StoredPayslip[]> {
  yield await slips;
}

function pageHead(month: Month): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>工资单 Payslips ${escape(month)}</title>
<style>
  body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #1f2328; }
  .slip { page-break-after: always; max-width: 900px; margin: 0 auto 48px; }
  h2 { margin: 0 0 4px; font-size: 20px; } h3 { margin: 16px 0 6px; font-size: 16px; }
  .who { color: #57606a; margin: 0 0 12px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { border-bottom: 1px solid #d0d7de; padding: 6px 8px; text-align: left; vertical-align: top; }
  .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .why { color: #424a53; } .en { color: #8c959f; font-size: 12px; }
  .total td { font-weight: 700; border-top: 2px solid #1f2328; }
  .ytd { color: #57606a; font-size: 12px; }
  @media print { body { margin: 0; } .slip { margin: 0; } }
</style></head>
<body>`;
}

/** The cumulative withholding figures a Chinese payslip shows (rows stored before they were kept have none). */
function withholdingToDate(ytd: Record<string, string>): string {
  if (ytd.cumulativeWithheld === undefined) return '';
  const figures = [
    ['累计收入 income', ytd.cumulativeIncome],
    [`累计减除费用 basic deduction (${ytd.basicDeductionMonths ?? ''} 个月 months)`, ytd.cumulativeBasicDeduction],
    ['累计专项扣除 contributions', ytd.cumulativeContributions],
    ['累计专项附加扣除 special additional', ytd.cumulativeSpecialAdditional],
    ['累计已预扣税额 tax withheld', ytd.cumulativeWithheld],
  ];
  return `<p class="ytd">${figures.map(([name, value]) => `${escape(name ?? '')} ${escape(value ?? '')}`).join(' · ')}</p>`;
}
