/** Real files in every supported format through `importFile`, on SQLite and PostgreSQL. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Month } from '@ladder/core';
import { expect, it } from 'vitest';
import type { Store } from '../../packages/server/src/db/connect.js';
import { importFile } from '../../packages/server/src/services/imports/import-file.js';
import { computeRun, runPayslips } from '../../packages/server/src/services/payroll/runs.js';
import { testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';
import { testDirectory } from '../support/temp-dir.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/imports/', import.meta.url));
const work = testDirectory('ladder-imports-');

/** A private copy, so error reports land in a temp folder, never beside the fixtures. */
function fixture(name: string, dialect: string): string {
  const target = path.join(work, dialect, name);
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(path.join(FIXTURES, name), target);
  return target;
}

async function counts(store: Store) {
  const db = store.db;
  const n = async (
    table: 'employees' | 'agent_day_stats' | 'attendance_months' | 'tickets' | 'deductions' | 'audit_log' | 'import_files',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    employees: await n('employees'),
    conversations: Number(
      (
        await db
          .selectFrom('conversation_blocks')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('row_count'), eb.val(0)).as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
    dayStats: await n('agent_day_stats'),
    attendance: await n('attendance_months'),
    tickets: await n('tickets'),
    deductions: await n('deductions'),
    audit: await n('audit_log'),
    imports: await n('import_files'),
  };
}

describeStores('imports', (context) => {
  let ctx: ReturnType<typeof testContext>;
  const file = (name: string) => fixture(name, context.dialect);

  it('imports employees (CSV and XLSX), accounts, GBK attendance, conversations, tickets and deductions', async () => {
    ctx = testContext(context.store);
    const run = async (kind: Parameters<typeof importFile>[1], name: string) => {
      const result = await importFile(ctx, kind, file(name));
      if (result.status === 'refused') console.error(name, result.problems);
      return result;
    };
    expect((await run('employees', 'employees.csv')).status).toBe('imported');
    expect((await run('employees', 'employees.xlsx')).status).toBe('imported');
    expect((await run('agent-accounts', 'agent-accounts.csv')).status).toBe('imported');
    // The fixture's 千牛 account is only mapped for 飞鸽: map it for 千牛 too, as HR would.
    const extra = path.join(work, context.dialect, 'qianniu-account.csv');
    writeFileSync(extra, '工号,来源,客服账号\nE1003,qianniu,acme旗舰店:小美\nE1001,zendesk,235324\n');
    expect((await importFile(ctx, 'agent-accounts', extra)).status).toBe('imported');
    expect(await run('attendance', 'attendance-gbk.csv')).toMatchObject({ status: 'imported', rows: 5 });
    expect(await run('conversations', 'conversations.csv')).toMatchObject({ status: 'imported', rows: 5 });
    expect((await run('tickets', 'tickets.csv')).status).toBe('imported');
    expect((await run('deductions', 'deductions.csv')).status).toBe('imported');
    const after = await counts(context.store);
    expect(after).toMatchObject({ conversations: 5, attendance: 5 });
    expect(after.employees).toBeGreaterThanOrEqual(5);
    const e1001 = await context.store.db
      .selectFrom('agent_day_stats as s')
      .innerJoin('employees as e', 'e.id', 's.employee_id')
      .select(['s.day', 's.conversations', 's.valid_conversations'])
      .where('e.employee_no', '=', 'E1001')
      .orderBy('s.day')
      .execute();
    // 5521 (09:12 China) and 5522 (01:30Z = 09:30 China) on 2026-10-08, both valid.
    expect(e1001).toEqual([{ day: '2026-10-08', conversations: 2, valid_conversations: 2 }]);
  });

  it('changes nothing when the same file comes again, and skips conversations already stored', async () => {
    const before = await counts(context.store);
    expect((await importFile(ctx, 'conversations', file('conversations.csv'))).status).toBe('unchanged');
    // The same conversations in another file (XLSX): de-duplicated by source and external id.
    const xlsx = await importFile(ctx, 'conversations', file('conversations.xlsx'));
    expect(xlsx.status).toBe('imported');
    const after = await counts(context.store);
    expect(after.employees).toBe(before.employees);
    expect(after.dayStats).toBeGreaterThanOrEqual(before.dayStats);
    const stored = after.conversations - before.conversations;
    expect(stored).toBeLessThanOrEqual(xlsx.rows);
  });

  it('keeps the last row of a ticket or rating met twice, within one statement and across batches', async () => {
    // 1,500 tickets: 990001 first and last (once as the same batch, once as two batches of 700).
    const tickets = (first: number) => {
      const lines = ['来源,工单ID,客服账号,日期,错误工单', `zendesk,${first},235323,2026-10-10,否`];
      for (let i = 1; i <= 1500; i++) lines.push(`zendesk,${first + i},235323,2026-10-11,否`);
      lines.push(`zendesk,${first},235323,2026-10-12,是`);
      return lines.join('\n');
    };
    const stored = async (externalId: string) =>
      context.store.db
        .selectFrom('tickets')
        .select(['day', 'wrong'])
        .where('source', '=', 'zendesk')
        .where('external_id', '=', externalId)
        .execute();
    for (const [first, batchSize] of [
      [990_000, undefined],
      [995_000, 700],
    ] as const) {
      const name = path.join(work, context.dialect, `tickets-${first}.csv`);
      writeFileSync(name, tickets(first));
      const result = await importFile(ctx, 'tickets', name, batchSize ? { batchSize } : {});
      expect(result).toMatchObject({ status: 'imported', rows: 1502 });
      expect(await stored(String(first))).toEqual([{ day: '2026-10-12', wrong: 1 }]);
      expect(await stored(String(first + 1500))).toEqual([{ day: '2026-10-11', wrong: 0 }]);
    }
    const ratings = path.join(work, context.dialect, 'csat-twice.csv');
    writeFileSync(
      ratings,
      '来源,会话/工单ID,客服账号,日期,评分,评价内容\nchatwoot,8801,alice@acme.io,2026-10-08,2,慢\nchatwoot,8801,alice@acme.io,2026-10-08,5,好\n',
    );
    expect(await importFile(ctx, 'csat', ratings)).toMatchObject({ status: 'imported', rows: 2 });
    const rating = await context.store.db
      .selectFrom('csat_ratings')
      .select(['rating', 'comment'])
      .where('external_id', '=', '8801')
      .execute();
    expect(rating).toEqual([{ rating: 5, comment: '好' }]);
  });

  it('refuses a file with a bad row in the middle: nothing written, an error report beside it', async () => {
    const before = await counts(context.store);
    const bad = file('bad/attendance-bad-row.csv');
    const result = await importFile(ctx, 'attendance', bad);
    expect(result.status).toBe('refused');
    expect(result.problems.map((p) => [p.row, p.column, p.value, p.reason])).toEqual([[7, '迟到次数', '-1', 'must be a whole number ≥ 0']]);
    expect(await counts(context.store)).toEqual(before);
    expect(result.report?.csv).toBe(bad.replace(/\.csv$/, '.errors.csv'));
    const report = readFileSync(result.report?.csv as string, 'utf8');
    expect(report).toContain('attendance-bad-row.csv,7,迟到次数,-1,must be a whole number ≥ 0');
    expect(readFileSync(bad, 'utf8')).toContain('工号'); // the file itself is untouched
  });

  it('refuses unknown agents and unknown employee numbers by row, and a truncated XLSX', async () => {
    const before = await counts(context.store);
    const unknown = path.join(work, context.dialect, 'unknown-agent.csv');
    writeFileSync(
      unknown,
      '来源,会话ID,客服账号,开始时间\nchatwoot,9001,12,2026-10-10 10:00:00\nchatwoot,9002,nobody,2026-10-10 10:05:00\n',
    );
    const refused = await importFile(ctx, 'conversations', unknown);
    expect(refused.status).toBe('refused');
    expect(refused.problems.map((p) => [p.row, p.column, p.value])).toEqual([[3, '客服账号', 'nobody']]);
    const deductions = path.join(work, context.dialect, 'unknown-employee.csv');
    writeFileSync(deductions, '工号,日期,扣分,类别,原因,录入人\nE1001,2026-10-12,1,效能,慢,李组长\nX9999,2026-10-12,1,效能,慢,李组长\n');
    const second = await importFile(ctx, 'deductions', deductions);
    expect(second.problems.map((p) => [p.row, p.column, p.value])).toEqual([[3, '工号', 'X9999']]);
    const truncated = await importFile(ctx, 'employees', file('bad/employees-truncated.xlsx'));
    expect(truncated.status).toBe('refused');
    expect(truncated.problems[0]?.row).toBe(0);
    expect(await counts(context.store)).toEqual(before);
  });

  it('imports pay profiles, special deductions and annual bonuses for gross to net; refuses an unknown city', async () => {
    const write = (name: string, text: string) => {
      const target = path.join(work, context.dialect, name);
      writeFileSync(target, text);
      return target;
    };
    const profiles = write(
      'pay-profiles.csv',
      '工号,生效日期,参保城市,缴费基数,本年首次取得工资,开户行,银行账号,户名\nE1001,2026-01-01,上海,8000,否,招商银行,6225 8802 1234 5678,张三\n',
    );
    expect((await importFile(ctx, 'pay-profiles', profiles)).status).toBe('imported');
    const special = write('special.csv', '工号,月份,专项附加扣除,备注\nE1001,2026-10,2000,子女教育\n');
    expect((await importFile(ctx, 'special-deductions', special)).status).toBe('imported');
    const bonus = write('bonus.csv', '工号,发放月份,年终奖,计税方式\nE1001,2026-12,36000,单独计税\n');
    expect((await importFile(ctx, 'annual-bonuses', bonus)).status).toBe('imported');
    const db = context.store.db;
    const profile = await db.selectFrom('pay_profiles').selectAll().executeTakeFirstOrThrow();
    expect(profile).toMatchObject({
      city: 'shanghai',
      contribution_base_fen: 800000,
      bank_account: '6225880212345678',
      account_name: '张三',
    });
    expect(await db.selectFrom('special_deductions').select(['month', 'amount_fen']).execute()).toEqual([
      { month: '2026-10', amount_fen: 200000 },
    ]);
    expect(await db.selectFrom('annual_bonuses').select(['year', 'month', 'amount_fen', 'method']).execute()).toEqual([
      { year: 2026, month: '2026-12', amount_fen: 3600000, method: 'separate' },
    ]);
    const unknownCity = write('pay-profiles-bad.csv', '工号,生效日期,参保城市\nE1002,2026-01-01,火星\n');
    const refused = await importFile(ctx, 'pay-profiles', unknownCity);
    expect(refused.problems.map((p) => [p.row, p.column, p.value])).toEqual([[2, '参保城市', '火星']]);
  });

  it('feeds the payroll run: conversations, tickets and deductions of October are in the payslips', async () => {
    const summary = await computeRun(ctx, '2026-10' as Month);
    expect(summary.employees).toBeGreaterThan(0);
    const [e1001] = await runPayslips(context.store.db, '2026-10' as Month, 'E1001');
    expect(e1001?.performance).toMatchObject({ deductions: '0.5' });
    const performance = e1001?.lines.find((l) => l.code === 'performance');
    expect(performance?.inputs.volume).toBeDefined();
  });
});
