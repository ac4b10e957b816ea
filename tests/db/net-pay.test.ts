import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Decimal, fen, formatYuan, grossToNet, type Month } from '@ladder/core';
import { expect, it } from 'vitest';
import { cityRates, nationalTaxTables } from '../../packages/server/src/services/china-data.js';
import { AppError } from '../../packages/server/src/services/context.js';
import { upsertEmployees } from '../../packages/server/src/services/employees.js';
import { upsertAttendance } from '../../packages/server/src/services/inputs.js';
import { declareSpecialDeduction, setPayProfile } from '../../packages/server/src/services/pay-profiles.js';
import { writeBankFile } from '../../packages/server/src/services/payroll/bank-file.js';
import { exportRun } from '../../packages/server/src/services/payroll/export.js';
import { writePayslipPage } from '../../packages/server/src/services/payroll/payslip-page.js';
import { advanceRun, computeRun, runPayslips } from '../../packages/server/src/services/payroll/runs.js';
import { attendance, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';
import { testDirectory } from '../support/temp-dir.js';

const MONTHS = ['2025-01', '2025-02', '2025-03'] as Month[];

/** A trainee on a contractual base, with a Beijing pay profile from the hire date. */
async function hireInBeijing(ctx: ReturnType<typeof testContext>, employeeNo: string, name: string, hiredOn: string, basePay: number) {
  const person = { employeeNo, name, group: 'basic', level: 'trainee', hiredOn, basePay: new Decimal(basePay) };
  await upsertEmployees(ctx.store.db, ctx, [person], 'hire');
  await setPayProfile(ctx.store.db, ctx, { employeeNo, effectiveFrom: hiredOn, city: 'beijing' });
}
const dir = testDirectory('ladder-net-');

describeStores('gross to net in payroll runs', (context) => {
  let ctx: ReturnType<typeof testContext>;

  it('computes each month by the cumulative method, as the engine does on the same figures', async () => {
    ctx = testContext(context.store);
    ctx.at('2025-01-25T02:00:00.000Z');
    const db = context.store.db;
    // A contractual base of 10000 and no performance points (late once a month): gross is 10000.00.
    await upsertEmployees(
      db,
      ctx,
      [{ employeeNo: 'N001', name: '周敏', group: 'basic', level: 'trainee', hiredOn: '2024-05-01', basePay: new Decimal(10000) }],
      'hire',
    );
    await setPayProfile(db, ctx, {
      employeeNo: 'N001',
      effectiveFrom: '2024-05-01',
      city: 'shanghai',
      bankName: '招商银行上海分行',
      bankAccount: '6225880212345678',
      accountName: '周敏',
    });
    for (const month of MONTHS) {
      await upsertAttendance(db, ctx, [attendance('N001', month, 0, 0, 1)]);
      await declareSpecialDeduction(db, ctx, 'N001', month, fen(100000), '子女教育 children education');
      await computeRun(ctx, month);
      for (const step of ['review', 'approve', 'lock'] as const) await advanceRun(ctx, month, step);
      ctx.advance(30 * 24 * 3600 * 1000);
    }
    const expected = grossToNet(
      { employees: [{ id: 'N001', months: MONTHS.map((month) => ({ month, gross: fen(1000000), specialAdditional: fen(100000) })) }] },
      { city: cityRates('shanghai')!, tax: nationalTaxTables() },
    ).employees[0]!.months;
    for (const [index, month] of MONTHS.entries()) {
      const [slip] = await runPayslips(db, month);
      expect(slip?.gross).toBe(1000000);
      expect(slip?.net).toMatchObject({
        employeeContributions: expected[index]!.employeeContributions,
        tax: expected[index]!.tax,
        net: expected[index]!.net,
        employerCost: expected[index]!.employerCost,
        taxableYtd: expected[index]!.taxableYtd,
      });
    }
    const [january] = await runPayslips(db, MONTHS[0]!);
    // Shanghai, base 10000: pension 8% + medical 2% + unemployment 0.5% + housing fund 7% = 1750.
    expect(formatYuan(january!.net!.employeeContributions)).toBe('1750.00');
    expect(formatYuan(january!.net!.tax)).toBe('67.50'); // (10000 − 5000 − 1750 − 1000) × 3%
    expect(formatYuan(january!.net!.net)).toBe('8182.50');
  });

  it('writes the bank file of a locked run, with a totals line', async () => {
    const file = path.join(dir, `${context.dialect}-bank.csv`);
    const result = await writeBankFile(context.store.db, MONTHS[2]!, file);
    expect(result).toMatchObject({ transfers: 1, total: '8182.50' });
    const lines = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toEqual([
      '账号 account,户名 name,金额 amount,开户行 bank,工号 employee no,用途 purpose',
      '6225880212345678,周敏,8182.50,招商银行上海分行,N001,2025-03 工资 salary',
      '合计 total,1 笔 transfers,8182.50,,,',
    ]);
  });

  it('refuses a bank file before the lock and lists who cannot be paid', async () => {
    const db = context.store.db;
    await upsertEmployees(
      db,
      ctx,
      [{ employeeNo: 'N002', name: '吴磊', group: 'basic', level: 'trainee', hiredOn: '2025-04-01', basePay: new Decimal(8000) }],
      'hire',
    );
    await upsertAttendance(db, ctx, [attendance('N001', '2025-04', 0, 0, 1), attendance('N002', '2025-04', 0, 0, 1)]);
    const summary = await computeRun(ctx, '2025-04' as Month);
    expect(summary.problems).toEqual([
      {
        employeeNo: 'N002',
        code: 'pay_profile_missing',
        message: 'no pay profile (city, contribution base, bank account) for 2025-04; net pay not computed',
      },
    ]);
    const refused = await writeBankFile(db, '2025-04' as Month, path.join(dir, 'x.csv')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toBe('the bank file comes from a locked run; the 2025-04 run is draft');
  });

  it('exports payslips with their net columns and totals', async () => {
    const file = path.join(dir, `${context.dialect}-net.csv`);
    await exportRun(context.store.db, MONTHS[0]!, 'csv', file);
    const [header, row, totals] = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(
      header?.endsWith(
        '应发合计 gross,个人缴费 employee contributions,个税 tax,年终奖 annual bonus,奖金个税 bonus tax,实发 net,单位成本 employer cost,' +
          '累计收入 income this year,累计减除费用 basic deduction this year,累计专项扣除 contributions this year,' +
          '累计专项附加扣除 special additional this year,累计已预扣税额 tax withheld this year',
      ),
    ).toBe(true);
    const employerCost = formatYuan((await runPayslips(context.store.db, MONTHS[0]!))[0]!.net!.employerCost);
    // January: 10000 earned, one month's basic deduction, 1750 contributions, 1000 declared, 67.50 withheld.
    expect(row?.endsWith(`,10000.00,1750.00,67.50,0.00,0.00,8182.50,${employerCost},10000.00,5000.00,1750.00,1000.00,67.50`)).toBe(true);
    expect(totals?.startsWith('合计 total,')).toBe(true);
    expect(totals).toContain(',8182.50,');
  });

  it('prints payslips with gross lines, contributions, tax and net, each explained', async () => {
    const file = path.join(dir, `${context.dialect}-payslips.html`);
    await writePayslipPage(context.store.db, MONTHS[0]!, file);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('工资单 Payslip · 2025-01');
    expect(html).toContain('N001 · 周敏');
    expect(html).toMatch(/实发 net<\/td><td class="num">8182\.50/);
    expect(html).toContain('个人所得税 tax');
    // The cumulative withholding figures of January: 10000 − 5000 − 1750 − 1000 taxed at 3%.
    expect(html).toContain('累计减除费用 basic deduction (1 个月 months) 5000.00 · 累计专项扣除 contributions 1750.00');
    expect(html).toContain('累计已预扣税额 tax withheld 67.50');
  });

  it('says in one short line which months a city lacks data for', async () => {
    const db = context.store.db;
    // The Beijing data of this repository runs to 2026-06: someone hired in July has no data for it.
    await hireInBeijing(ctx, 'N003', '郑洁', '2026-07-01', 9000);
    await upsertAttendance(db, ctx, [attendance('N003', '2026-07')]);
    const summary = await computeRun(ctx, '2026-07' as Month);
    const problem = summary.problems.find((p) => p.employeeNo === 'N003');
    expect(problem?.code).toBe('net_data_missing');
    expect(problem?.message).toMatch(
      /^net pay not computed: no beijing contribution or income-tax data for 2026-07 \(.+ and \d+ more values\)$/,
    );
    expect(problem?.message.length).toBeLessThan(300);
  });
});

describeStores('gross to net carried from the last locked run', (context) => {
  it('takes the tax already withheld as paid, so a deduction declared late is not withheld twice', async () => {
    const ctx = testContext(context.store);
    ctx.at('2026-01-25T02:00:00.000Z');
    const db = context.store.db;
    const [january, february] = ['2026-01', '2026-02'] as Month[];
    await hireInBeijing(ctx, 'L001', '冯晓', '2025-03-01', 20000);
    await upsertAttendance(db, ctx, [attendance('L001', january!)]);
    await computeRun(ctx, january!);
    for (const step of ['review', 'approve', 'lock'] as const) await advanceRun(ctx, january!, step);
    const [paidJanuary] = await runPayslips(db, january!);
    expect(paidJanuary?.net?.ytd).toMatchObject({
      cumulativeIncome: formatYuan(paidJanuary!.gross),
      basicDeductionMonths: '1',
      cumulativeSpecialAdditional: '0.00',
    });

    // In February the person declares 2,000 a month of elderly care for January and February.
    ctx.advance(28 * 24 * 3600 * 1000);
    for (const month of [january!, february!]) await declareSpecialDeduction(db, ctx, 'L001', month, fen(200000), '赡养老人 elderly care');
    await upsertAttendance(db, ctx, [attendance('L001', february!)]);
    await computeRun(ctx, february!);
    const [slip] = await runPayslips(db, february!);

    // The cumulative method on both months as they are known now: what should have been withheld by February.
    const declared = [paidJanuary!, slip!].map(({ gross }, i) => ({
      month: [january!, february!][i]!,
      gross,
      specialAdditional: fen(200000),
    }));
    const dueByFebruary = grossToNet(
      { employees: [{ id: 'L001', months: declared }] },
      { city: cityRates('beijing')!, tax: nationalTaxTables() },
    ).employees[0]!.months[1]!.ytd.withheld;
    expect(paidJanuary!.net!.tax + slip!.net!.tax).toBe(dueByFebruary);
    expect(slip?.net?.ytd).toMatchObject({
      cumulativeIncome: formatYuan(fen(paidJanuary!.gross + slip!.gross)),
      basicDeductionMonths: '2',
      cumulativeSpecialAdditional: '4000.00',
      cumulativeWithheld: formatYuan(dueByFebruary),
    });
    // January's 2,000 counts in February, the first month computed after it.
    expect(slip?.net?.details.specialAdditional).toBe('4000.00');
  });
});
