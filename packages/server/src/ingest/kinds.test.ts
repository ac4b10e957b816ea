import { describe, expect, it } from 'vitest';
import { IMPORT_KINDS, readImport } from './index.js';
import { KIND_SPECS } from './kinds/index.js';
import { HeaderIndex, normaliseHeader } from './headers.js';
import { headerColumns } from './table.js';
import { CANONICAL_KINDS } from './types.js';
import { fixture, lines, readAll, tempFile } from './test-support.js';

describe('canonical kinds read their fixtures', () => {
  const expected: [string, (typeof CANONICAL_KINDS)[number], number][] = [
    ['employees.csv', 'employees', 5],
    ['employees.xlsx', 'employees', 3],
    ['agent-accounts.csv', 'agent-accounts', 6],
    ['attendance-bom.csv', 'attendance', 4],
    ['attendance-gbk.csv', 'attendance', 5],
    ['conversations.csv', 'conversations', 5],
    ['conversations.xlsx', 'conversations', 2],
    ['agent-daily.csv', 'agent-daily', 3],
    ['agent-period.csv', 'agent-period', 1],
    ['tickets.csv', 'tickets', 3],
    ['csat.csv', 'csat', 2],
    ['deductions.csv', 'deductions', 2],
    ['lead-points.csv', 'lead-points', 2],
    ['sales.csv', 'sales', 1],
    ['sales-targets.csv', 'sales-targets', 2],
  ];
  for (const [file, kind, count] of expected) {
    it(`${kind}: ${file}`, async () => {
      const { rows, problems } = await readAll(fixture(file), kind);
      expect(lines(problems)).toEqual([]);
      expect(rows).toHaveLength(count);
    });
  }

  it('employees: codes from Chinese names, the vip track, defaults and money in fen', async () => {
    const { rows } = await readAll(fixture('employees.csv'), 'employees');
    expect(rows[0]).toEqual({
      row: 2,
      employeeNo: 'E1001',
      name: '张三',
      group: 'basic',
      level: 'intermediate',
      position: 'agent',
      team: '一组',
      hiredOn: '2025-03-02',
      probationEnd: '2025-06-01',
      basePay: null,
      effectiveFrom: '2025-03-02',
      status: 'active',
      transferTo: null,
    });
    expect(rows[1]).toMatchObject({ group: 'vip', level: 'vip_junior' });
    expect(rows[3]).toMatchObject({ group: 'sales', level: 'expert', position: 'team_lead', basePay: 480000, effectiveFrom: '2026-10-01' });
    expect(rows[4]).toMatchObject({ name: '钱七, Jr.', status: 'transferred', transferTo: '运营', hiredOn: '2022-05-16' });
  });

  it('employees.xlsx: a title row above the header, date cells, a base pay number', async () => {
    const { rows } = await readAll(fixture('employees.xlsx'), 'employees');
    expect(rows.map((r) => r.row)).toEqual([3, 4, 6]);
    expect(rows[1]).toMatchObject({ hiredOn: '2025-07-15', basePay: 350050, level: 'vip_junior' });
  });

  it('attendance: GBK and BOM files give the same rows; months in three forms', async () => {
    const gbk = await readAll(fixture('attendance-gbk.csv'), 'attendance');
    const bom = await readAll(fixture('attendance-bom.csv'), 'attendance');
    expect(gbk.rows.slice(0, 4)).toEqual(bom.rows);
    expect(bom.rows.map((r) => (r as { month: string }).month)).toEqual(['2026-10', '2026-10', '2026-10', '2026-10']);
    expect(bom.rows[2]).toMatchObject({ unpaidDays: '0.5', overtimeRestDay: '8', sickDays: '1' });
  });

  it('lead points: extra may be negative; sales: money in fen, rates as decimals', async () => {
    const lead = await readAll(fixture('lead-points.csv'), 'lead-points');
    expect(lead.rows[1]).toMatchObject({ execution: '40', rewards: '10', extra: '-5', note: '更正上月' });
    const sales = await readAll(fixture('sales.csv'), 'sales');
    expect(sales.rows[0]).toMatchObject({ amount: 12000000, target: 10000000, csat: '0.95', complaintRate: '0.02', teamwork: '90' });
  });
});

describe('bad files: every problem, named by row, column, value and reason', () => {
  it('a bad row in the middle: the others are read, the import is refused by its problem', async () => {
    const { rows, problems } = await readAll(fixture('bad/attendance-bad-row.csv'), 'attendance');
    expect(rows).toHaveLength(6);
    expect(problems).toEqual([
      {
        file: 'attendance-bad-row.csv',
        row: 7,
        column: '迟到次数',
        value: '-1',
        reason: 'must be a whole number ≥ 0',
        reasonZh: '必须是 ≥ 0 的整数',
        code: 'invalid',
      },
    ]);
  });

  it('a missing required column is one problem for the file, not one per row', async () => {
    const { rows, problems } = await readAll(fixture('bad/employees-missing-column.csv'), 'employees');
    expect(rows).toEqual([]);
    expect(lines(problems)).toEqual(['1|入职日期||missing required column 入职日期 (hiredOn)']);
  });

  it('an unknown column is refused', async () => {
    const { problems } = await readAll(fixture('bad/tickets-unknown-column.csv'), 'tickets');
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([[1, '备注说明', 'unknown_column']]);
  });

  it('a date that does not exist, a negative count', async () => {
    expect(lines((await readAll(fixture('bad/deductions-bad-date.csv'), 'deductions')).problems)).toEqual([
      '2|日期|2026-02-30|must be a date like 2026-10-08',
    ]);
    expect(lines((await readAll(fixture('bad/agent-daily-negative.csv'), 'agent-daily')).problems)).toEqual([
      '3|接待量|-3|must be a whole number ≥ 0',
    ]);
  });

  it('a truncated XLSX is one problem for the file', async () => {
    const { problems } = await readAll(fixture('bad/employees-truncated.xlsx'), 'employees');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ row: 0, code: 'bad_file' });
  });

  it('required cells, duplicates, cross-field checks', async () => {
    const file = tempFile(
      'employees.csv',
      [
        'employee_no,Name,group,level,team,hired_on,status,transfer_to',
        'E1,张三,基础客服,贵宾初级,一组,2026-01-05,,',
        'E2,,vip,expert,一组,2026-01-05,,',
        'E3,王五,sales,trainee,一组,2026-01-05,转岗,',
        'E4,赵六,basic,junior,一组,2026-01-05,在职,运营',
        'E5,孙七,basic,junior,一组,2026-01-05,,',
        'E5,孙七,basic,senior,一组,2026-01-05,,',
      ].join('\n'),
    );
    expect(lines((await readAll(file, 'employees')).problems)).toEqual([
      '2|level|贵宾初级|level vip_junior belongs to the vip group, not basic',
      '3|Name||is required',
      '4|level|trainee|the sales track starts at junior (初级)',
      '4|status|转岗|a transferred employee needs 转岗部门 (transferTo)',
      '5|transfer_to|运营|only for status transferred (转岗)',
      '7|employee_no|E5|the same employee_no + 生效日期 as row 6',
    ]);
  });

  it('cells beyond the header and values under an empty header', async () => {
    const file = tempFile(
      'deductions.csv',
      '工号,日期,扣分,类别,原因,录入人,\nE1,2026-10-08,1,效能,超时,李,\nE1,2026-10-08,1,效能,超时,李,x,y\n',
    );
    expect(lines((await readAll(file, 'deductions')).problems)).toEqual([
      '3||y|the row has 8 cells but the header has 7',
      '3|#7|x|a value in a column without a header',
    ]);
  });

  it('attendance days cannot exceed the month', async () => {
    const file = tempFile('a.csv', '工号,月份,缺勤天数,病假天数\nE1,2026-02,20,9\n');
    expect(lines((await readAll(file, 'attendance')).problems)).toEqual([
      '2|缺勤天数|20|unpaid and leave days add up to 29, more than the 28 days of 2026-02',
    ]);
  });

  it('an empty file, and a file with only a header', async () => {
    expect((await readAll(tempFile('e.csv', ''), 'tickets')).problems.map((p) => p.code)).toEqual(['no_header']);
    expect(await readAll(tempFile('h.csv', '来源,工单ID,客服账号,日期\n'), 'tickets')).toMatchObject({ rows: [], problems: [] });
  });

  it('stops reading when the caller stops', async () => {
    const body = Array.from({ length: 50 }, (_, i) => `E${i},2026-10-08,-1,效能,超时,李`).join('\n');
    const file = tempFile('d.csv', `工号,日期,扣分,类别,原因,录入人\n${body}\n`);
    let batches = 0;
    for await (const batch of readImport(file, 'deductions', { batchSize: 10 })) {
      batches++;
      expect(batch.problems.length).toBeLessThanOrEqual(10);
      if (batches === 2) break;
    }
    expect(batches).toBe(2);
  });
});

describe('headers', () => {
  it('match Chinese, English, aliases, full-width brackets and required marks', () => {
    const index = new HeaderIndex(headerColumns(KIND_SPECS.attendance));
    for (const name of [
      '工作日加班(小时)',
      '工作日加班（小时）',
      'overtimeWorkday',
      'overtime_workday',
      'Overtime Workday',
      '工作日加班',
      '工作日加班(小时)*',
    ])
      expect(index.lookup(name)?.key, name).toBe('overtimeWorkday');
    expect(normaliseHeader('\uFEFF工号')).toBe('工号');
  });

  it('no header name of a kind is claimed by two columns', () => {
    for (const kind of CANONICAL_KINDS) expect(() => new HeaderIndex(headerColumns(KIND_SPECS[kind]))).not.toThrow();
  });

  it('every kind is described in IMPORT_KINDS with zh/en titles and columns', () => {
    for (const kind of CANONICAL_KINDS) {
      const info = IMPORT_KINDS[kind];
      expect(info.canonical).toBe(true);
      expect(info.title.zh).not.toBe('');
      expect(info.columns.length).toBeGreaterThan(1);
      expect(info.columns.some((c) => c.required)).toBe(true);
    }
    expect(IMPORT_KINDS['zendesk-tickets']).toMatchObject({
      canonical: false,
      formats: ['json'],
      produces: ['tickets', 'conversations', 'csat'],
    });
  });
});
