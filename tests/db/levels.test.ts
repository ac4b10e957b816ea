/** The quarterly level evaluation from the store (issue 6): the same decisions as `ladder evaluate`, on both dialects. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evaluateQuarter, levelEvaluationToJson, type Quarter, readQuarterInput } from '@ladder/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runEvaluate } from '../../packages/server/src/cli/commands/evaluate.js';
import { runLevelsCommand } from '../../packages/server/src/cli/commands/levels.js';
import { CliError } from '../../packages/server/src/cli/errors.js';
import { revokeDeduction } from '../../packages/server/src/services/inputs.js';
import {
  computeQuarter,
  evaluateLevels,
  ladderStandings,
  levelReview,
  proposalDecisionJson,
  recordExamResults,
} from '../../packages/server/src/services/levels/index.js';
import { testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';
import {
  dayStats,
  employee,
  monthConversations,
  monthDeductions,
  monthRatings,
  rejection,
  salesMonth,
  type State,
} from './levels-support.js';

const Q3 = '2026-Q3' as Quarter;
const MONTHS = ['2026-07', '2026-08', '2026-09'] as const;

/** One person of the quarter: as the `ladder evaluate` file has them, and how the store holds the same figures. */
interface Case {
  id: string;
  group: string;
  level: string;
  hiredOn: string;
  levelSince: string;
  juniorSince?: string;
  knowledgeTest?: number;
  conversations: [number, number, number];
  deductions: [number | string, number | string, number | string];
  csat?: [string, string, string];
  /** The store's history: the level at hire, then later states. */
  hiredAs: string;
  states: State[];
  /** Where the store's CSAT comes from. */
  csatFrom: 'ratings' | 'platform' | 'sales' | 'none';
  /** Exams in the store: [day, score]; the latest taken in the quarter is the knowledge test. */
  exams?: [string, number][];
}

const CASES: Case[] = [
  // basic: group averages 1925, 1875, 1912.5
  {
    id: 'E001',
    group: 'basic',
    level: 'junior',
    hiredOn: '2023-03-01',
    levelSince: '2023-06-01',
    juniorSince: '2023-06-01',
    knowledgeTest: 80,
    conversations: [2100, 2000, 2050],
    deductions: [12, 20, 8],
    csat: ['0.96', '0.93', '0.97'],
    hiredAs: 'trainee',
    states: [{ from: '2023-06-01', level: 'junior' }],
    csatFrom: 'ratings',
    exams: [['2026-08-12', 80]],
  },
  {
    id: 'E002',
    group: 'basic',
    level: 'intermediate',
    hiredOn: '2024-01-01',
    levelSince: '2025-01-01',
    juniorSince: '2024-04-01',
    knowledgeTest: 60,
    conversations: [1500, 1600, 1400],
    deductions: [35, 40, '32.5'],
    csat: ['0.9', '0.88', '0.91'],
    hiredAs: 'trainee',
    // a team change keeps the level's run going
    states: [
      { from: '2024-04-01', level: 'junior' },
      { from: '2025-01-01', level: 'intermediate' },
      { from: '2025-07-01', team: 'basic-2' },
    ],
    csatFrom: 'ratings',
    exams: [['2026-09-03', 60]],
  },
  {
    id: 'E003',
    group: 'basic',
    level: 'trainee',
    hiredOn: '2026-03-20',
    levelSince: '2026-03-20',
    conversations: [1900, 1700, 2200],
    deductions: [10, 5, 0],
    hiredAs: 'trainee',
    states: [],
    csatFrom: 'none',
  },
  {
    id: 'E005',
    group: 'basic',
    level: 'junior',
    hiredOn: '2025-09-01',
    levelSince: '2025-12-01',
    juniorSince: '2025-12-01',
    knowledgeTest: 75,
    conversations: [2200, 2200, 2000],
    deductions: [25, 30, '28.5'],
    csat: ['0.95', '0.96', '0.9'],
    hiredAs: 'trainee',
    states: [{ from: '2025-12-01', level: 'junior' }],
    csatFrom: 'platform',
    // the Q2 exam is not this quarter's; the later Q3 one wins
    exams: [
      ['2026-06-15', 95],
      ['2026-07-10', 60],
      ['2026-09-20', 75],
    ],
  },
  // phone: its own group average
  {
    id: 'P001',
    group: 'phone',
    level: 'senior',
    hiredOn: '2020-01-01',
    levelSince: '2022-01-01',
    juniorSince: '2020-04-01',
    conversations: [1800, 1800, 1800],
    deductions: [5, 5, 5],
    csat: ['0.97', '0.99', '0.96'],
    hiredAs: 'trainee',
    states: [
      { from: '2020-04-01', level: 'junior' },
      { from: '2021-01-01', level: 'intermediate' },
      { from: '2022-01-01', level: 'senior' },
    ],
    csatFrom: 'ratings',
  },
  {
    id: 'P002',
    group: 'phone',
    level: 'junior',
    hiredOn: '2026-01-05',
    levelSince: '2026-04-05',
    juniorSince: '2026-04-05',
    knowledgeTest: 90,
    conversations: [1000, 1200, 1100],
    deductions: [0, 0, 0],
    csat: ['0.95', '0.95', '0.95'],
    hiredAs: 'trainee',
    states: [{ from: '2026-04-05', level: 'junior' }],
    csatFrom: 'ratings',
    exams: [['2026-07-01', 90]],
  },
  // sales: CSAT from the sales months (S001), from ratings (S002)
  {
    id: 'S001',
    group: 'sales',
    level: 'intermediate',
    hiredOn: '2024-01-01',
    levelSince: '2025-01-01',
    juniorSince: '2024-01-01',
    knowledgeTest: 88,
    conversations: [800, 900, 850],
    deductions: [5, 10, 15],
    csat: ['0.96', '0.97', '0.95'],
    hiredAs: 'junior',
    states: [{ from: '2025-01-01', level: 'intermediate' }],
    csatFrom: 'sales',
    exams: [['2026-08-01', 88]],
  },
  {
    id: 'S002',
    group: 'sales',
    level: 'junior',
    hiredOn: '2025-06-01',
    levelSince: '2025-06-01',
    juniorSince: '2025-06-01',
    knowledgeTest: 70,
    conversations: [700, 600, 900],
    deductions: [20, 20, 20],
    csat: ['0.9', '0.92', '0.94'],
    hiredAs: 'junior',
    states: [],
    csatFrom: 'ratings',
    exams: [['2026-08-01', 70]],
  },
  {
    id: 'V001',
    group: 'vip',
    level: 'vip_junior',
    hiredOn: '2025-01-01',
    levelSince: '2025-04-01',
    juniorSince: '2025-04-01',
    knowledgeTest: 72,
    conversations: [2000, 1800, 1900],
    deductions: [10, 10, 10],
    csat: ['0.92', '0.91', '0.95'],
    hiredAs: 'vip_trainee',
    states: [{ from: '2025-04-01', level: 'vip_junior' }],
    csatFrom: 'ratings',
    exams: [['2026-09-30', 72]],
  },
];

/** The `ladder evaluate` file of the quarter. */
function evaluateFile(): Record<string, unknown> {
  return {
    quarter: Q3,
    employees: CASES.map((c) => ({
      id: c.id,
      group: c.group,
      level: c.level,
      hiredOn: c.hiredOn,
      levelSince: c.levelSince,
      ...(c.juniorSince ? { juniorSince: c.juniorSince } : {}),
      ...(c.knowledgeTest !== undefined ? { knowledgeTest: c.knowledgeTest } : {}),
      months: MONTHS.map((month, i) => ({
        month,
        conversations: c.conversations[i],
        deductions: c.deductions[i],
        ...(c.csat ? { csat: c.csat[i] } : {}),
      })),
    })),
  };
}

/** The same quarter in the store, as imports and HR would leave it. */
async function seedCases(ctx: ReturnType<typeof testContext>): Promise<void> {
  const { store } = ctx;
  for (const c of CASES) {
    await employee(ctx, { no: c.id, group: c.group, level: c.hiredAs, hiredOn: c.hiredOn }, c.states);
    for (const [i, month] of MONTHS.entries()) {
      const conversations = c.conversations[i] as number;
      const csat = c.csat?.[i];
      if (c.csatFrom === 'platform' && csat !== undefined) {
        // two days of equal volume around the month's rate: their conversation-weighted mean is the rate
        const rate = Number(csat);
        await dayStats(store, c.id, `${month}-06`, conversations / 2, (rate + 0.02).toFixed(2));
        await dayStats(store, c.id, `${month}-21`, conversations / 2, (rate - 0.02).toFixed(2));
      } else if (c.id === 'V001' && month === '2026-07') {
        // a platform that reports the month as one period adds to the daily statistics
        await dayStats(store, c.id, `${month}-09`, conversations - 500);
        await store.db
          .insertInto('agent_period_stats')
          .values({
            source: 'chatwoot',
            employee_id: (await store.db.selectFrom('employees').select('id').where('employee_no', '=', c.id).executeTakeFirstOrThrow()).id,
            from_day: '2026-07-01',
            to_day: '2026-07-31',
            conversations: 500,
            resolved: null,
            avg_first_response_s: null,
            avg_resolution_s: null,
            import_id: null,
          })
          .execute();
      } else await monthConversations(store, c.id, month, conversations);
      await monthDeductions(ctx, c.id, month, c.deductions[i] as number | string);
      if (csat !== undefined && c.csatFrom === 'ratings') await monthRatings(store, c.id, month, Math.round(Number(csat) * 100), 100);
      if (csat !== undefined && c.csatFrom === 'sales') {
        await salesMonth(ctx, c.id, month, csat);
        // ratings exist too, but the sales figure (the payslip's) is the one read
        await monthRatings(store, c.id, month, 1, 2);
      }
    }
    if (c.exams)
      await recordExamResults(
        store.db,
        ctx,
        c.exams.map(([takenOn, score]) => ({ employeeNo: c.id, exam: `KT-${takenOn}`, takenOn, score })),
      );
  }
  // Not in the file, and in nobody's average: a team lead of the basic group and a revoked deduction.
  await employee(ctx, { no: 'T001', group: 'basic', level: 'senior', hiredOn: '2019-01-01', position: 'team_lead' });
  for (const month of MONTHS) await monthConversations(store, 'T001', month, 100);
  await monthDeductions(ctx, 'E001', '2026-08', 50);
  const withdrawn = await store.db
    .selectFrom('deductions as d')
    .innerJoin('employees as e', 'e.id', 'd.employee_id')
    .select('d.id')
    .where('e.employee_no', '=', 'E001')
    .where('d.points', '=', '25')
    .execute();
  for (const row of withdrawn) await revokeDeduction(store.db, ctx, row.id, 'dispute upheld');
}

describeStores('level evaluation from the store', (context) => {
  let ctx: ReturnType<typeof testContext>;
  let file: string;

  beforeAll(async () => {
    ctx = testContext(context.store, 'manager.wu');
    await seedCases(ctx);
    const dir = mkdtempSync(path.join(tmpdir(), 'ladder-levels-'));
    file = path.join(dir, 'quarter.json');
    writeFileSync(file, JSON.stringify(evaluateFile(), null, 2));
  });

  afterAll(() => {
    if (file) rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('agrees with `ladder evaluate` on the same figures: every decision and every check', async () => {
    const overview = await evaluateLevels(ctx, Q3);
    expect(overview).toMatchObject({ quarter: Q3, status: 'proposed', revision: 1, effectiveFrom: '2026-10-01' });
    const summary = await levelReview(context.store.db, Q3);
    expect(summary.proposals.map((p) => [p.employeeNo, p.decision, p.to])).toEqual(
      overview.proposals.map((p) => [p.employeeNo, p.decision, p.to]),
    );
    const fromStore = summary.proposals.map(proposalDecisionJson);
    const fromFile = (
      JSON.parse(runEvaluate({ input: file, policies: [], format: 'json', lang: 'zh', cwd: process.cwd() })) as {
        decisions: Record<string, unknown>[];
      }
    ).decisions;
    expect(fromStore.map((d) => d.employeeId)).toEqual(CASES.map((c) => c.id));
    expect(fromStore).toEqual(fromFile);
    expect(Object.fromEntries(fromStore.map((d) => [d.employeeId, `${String(d.decision)} ${String(d.to)}`]))).toEqual({
      E001: 'promote intermediate',
      E002: 'demote junior',
      E003: 'review_dismissal trainee',
      E005: 'promote intermediate',
      P001: 'keep senior',
      P002: 'keep junior',
      S001: 'keep intermediate',
      S002: 'keep junior',
      V001: 'promote vip_intermediate',
    });
    expect(summary.notEvaluated).toEqual([
      expect.objectContaining({ employeeNo: 'T001', en: expect.stringContaining('position team_lead') as string }),
    ]);
  });

  it('passes core exactly the input the file describes', async () => {
    const computed = await computeQuarter(context.store.db, ctx, Q3);
    const levels = computed.levels;
    const input = readQuarterInput(evaluateFile(), levels, computed.policy);
    const expected = evaluateQuarter(levels, computed.policy, input).evaluations.map(levelEvaluationToJson);
    expect(computed.evaluations.map(levelEvaluationToJson)).toEqual(expected);
    const e001 = computed.store.input.employees.find((p) => p.id === 'E001');
    expect(e001?.months.map((m) => [m.month, m.conversations.toFixed(), m.deductions?.toFixed(), m.csat?.toFixed()])).toEqual([
      ['2026-07', '2100', '12', '0.96'],
      ['2026-08', '2000', '20', '0.93'],
      ['2026-09', '2050', '8', '0.97'],
    ]);
  });

  it('says where each CSAT figure came from', async () => {
    const review = await levelReview(context.store.db, Q3);
    const sources = (no: string) => review.proposals.find((p) => p.employeeNo === no)?.figures.months.map((m) => m.csatSource?.en);
    expect(sources('E001')?.[0]).toBe('2026-07 CSAT 96%: 96 of 100 ratings are 4 or 5 (of 5)');
    expect(sources('E005')?.[2]).toBe("2026-09 CSAT 90%: the platform's daily satisfaction rates of 2 day(s), weighted by conversations");
    expect(sources('S001')?.[1]).toBe("2026-08 CSAT 97%: from the month's sales figures (as on the payslip)");
    expect(sources('E003')).toEqual([undefined, undefined, undefined]);
    const e005 = review.proposals.find((p) => p.employeeNo === 'E005')?.figures;
    expect(e005?.knowledgeTest).toEqual({ score: '75', exam: 'KT-2026-09-20', takenOn: '2026-09-20' });
    expect(e005?.juniorSince).toBe('2025-12-01');
  });

  it('refuses a quarter that has not ended, and a quarter that is not one', async () => {
    expect((await rejection(evaluateLevels(ctx, '2026-Q4'))).code).toBe('quarter_open');
    expect((await rejection(evaluateLevels(ctx, '2026-Q5'))).code).toBe('invalid_quarter');
  });

  it('runs as `ladder levels` against the database', async () => {
    const options = { cwd: process.cwd(), actor: 'manager.wu', databaseUrl: context.store.location };
    const list = await runLevelsCommand('show', { quarter: Q3 }, options);
    expect(list).toContain('2026-Q3 等级评定');
    expect(list).toMatch(/E001\s+E001\s+basic\s+junior\s+晋升\s+intermediate\s+待审/);
    expect(list).toContain('T001: 岗位为 team_lead');
    const one = await runLevelsCommand('show', { quarter: Q3, employee: 'E001', lang: 'en' }, options);
    expect(one).toContain('2026-07 CSAT 96%: 96 of 100 ratings are 4 or 5 (of 5)');
    expect(one).toContain('promoted to intermediate from 2026-10-01');
    const asJson = JSON.parse(await runLevelsCommand('show', { quarter: Q3, format: 'json' }, options)) as { decisions: unknown[] };
    expect(asJson.decisions).toHaveLength(CASES.length);
    const view = await runLevelsCommand('view', { quarter: Q3, employee: 'S001', lang: 'en' }, options);
    expect(view).toContain('25 more conversations in 2026-09 (group average 875)');
    const rejected = await runLevelsCommand('reject', { quarter: Q3, employee: 'E005', note: 'test retake pending' }, options);
    expect(rejected).toContain('已驳回');
    const approved = await runLevelsCommand('approve', { quarter: Q3, lang: 'en' }, options);
    expect(approved).toContain('Level review 2026-Q3 approved by manager.wu · 8 approved, 1 rejected · 3 level change(s) from 2026-10-01');
    await expect(runLevelsCommand('approve', { quarter: Q3 }, options)).rejects.toThrow(/already approved/);
    await expect(runLevelsCommand('show', { quarter: '2026-Q5' }, options)).rejects.toBeInstanceOf(CliError);
  });
});

describeStores('level evaluation: who counts in the peer average', (context) => {
  let ctx: ReturnType<typeof testContext>;

  beforeAll(async () => {
    ctx = testContext(context.store, 'manager.wu');
    const { store } = ctx;
    const junior = (no: string) =>
      employee(ctx, { no, group: 'basic', level: 'trainee', hiredOn: '2025-01-01' }, [{ from: '2025-04-01', level: 'junior' }]);
    await junior('A001');
    await junior('A002');
    // hired mid-August: in nobody's August average, in September's
    await employee(ctx, { no: 'N001', group: 'basic', level: 'trainee', hiredOn: '2026-08-15' });
    // left after 20 August: in July's average only, and not evaluated
    await employee(ctx, { no: 'L001', group: 'basic', level: 'trainee', hiredOn: '2025-01-01' }, [
      { from: '2025-04-01', level: 'junior' },
      { from: '2026-08-21', status: 'left' },
    ]);
    // VIP in July and August, basic from 1 September
    await employee(ctx, { no: 'M001', group: 'vip', level: 'vip_trainee', hiredOn: '2025-01-01' }, [
      { from: '2025-04-01', level: 'vip_junior' },
      { from: '2026-09-01', group: 'basic', level: 'junior', team: 'basic-1' },
    ]);
    await employee(ctx, { no: 'V002', group: 'vip', level: 'vip_trainee', hiredOn: '2025-01-01' }, [
      { from: '2025-04-01', level: 'vip_junior' },
    ]);
    await employee(ctx, { no: 'T001', group: 'basic', level: 'senior', hiredOn: '2019-01-01', position: 'team_lead' });

    const volumes: Record<string, [number, number, number]> = {
      A001: [1000, 1000, 1000],
      A002: [1200, 1200, 1200],
      N001: [0, 3000, 3000],
      L001: [400, 300, 0],
      M001: [5000, 5000, 900],
      V002: [1000, 1000, 1000],
      T001: [50, 50, 50],
    };
    for (const [no, counts] of Object.entries(volumes))
      for (const [i, month] of MONTHS.entries())
        if ((counts[i] as number) > 0) await monthConversations(store, no, month, counts[i] as number);
    for (const month of MONTHS) await monthRatings(store, 'A001', month, 45, 50);
    await recordExamResults(store.db, ctx, [{ employeeNo: 'A001', exam: 'KT-2026Q3', takenOn: '2026-09-10', score: 65 }]);
    await evaluateLevels(ctx, Q3);
  });

  it('averages each month over the agents of the group employed that whole month', async () => {
    const review = await levelReview(context.store.db, Q3);
    const basic = (no: string) =>
      review.proposals
        .find((p) => p.employeeNo === no)
        ?.checks.filter((c) => c.indicator === 'conversations')
        .map((c) => [c.month, c.value, c.threshold, String((c.explain as { en: string }).en).match(/\((\d+) people\)/)?.[1] ?? null]);
    // July: A001, A002, L001 (2600 / 3); August: A001, A002 (N001 joined and L001 left during it); September: A001, A002, N001, M001
    expect(basic('A001')).toEqual([
      ['2026-07', '1000', '≥ 866.67', '3'],
      ['2026-08', '1000', '≥ 1100', '2'],
      ['2026-09', '1000', '≥ 1525', '4'],
    ]);
    expect(basic('N001')).toEqual([
      ['2026-07', null, '≥ 866.67', null],
      ['2026-08', null, '≥ 1100', null],
      ['2026-09', '3000', '≥ 1525', '4'],
    ]);
    expect(basic('M001')?.map((c) => c[1])).toEqual([null, null, '900']);
    // M001's VIP months count in the VIP average
    expect(basic('V002')?.map((c) => c[2])).toEqual(['≥ 3000', '≥ 3000', '≥ 1000']);
    expect(review.proposals.map((p) => p.employeeNo)).toEqual(['A001', 'A002', 'M001', 'N001', 'V002']);
    expect(review.notEvaluated.map((n) => n.employeeNo)).toEqual(['T001']);
  });

  it('notes the months that do not count and why', async () => {
    const review = await levelReview(context.store.db, Q3);
    const notes = (no: string) => review.proposals.find((p) => p.employeeNo === no)?.figures.notes.map((n) => n.en);
    expect(notes('N001')).toEqual([
      '2026-08: not an agent of the basic group for the whole month (hired on 2026-08-15): no figures taken and not in the group average; the basic indicator does not hold',
    ]);
    expect(notes('M001')).toEqual([
      '2026-07: not an agent of the basic group for the whole month (in the vip group): no figures taken and not in the group average; the basic indicator does not hold',
      '2026-08: not an agent of the basic group for the whole month (in the vip group): no figures taken and not in the group average; the basic indicator does not hold',
      '2026-09: no CSAT figure (no sales figures, no ratings, no platform rate)',
      'no knowledge test result taken in 2026-Q3',
    ]);
  });

  it('shows each person what is missing for the next level (the ladder view)', async () => {
    const [a001] = await ladderStandings(ctx, Q3, 'A001');
    expect(a001).toMatchObject({ employeeNo: 'A001', level: 'junior', next: 'intermediate', ready: false });
    expect(a001?.items.filter((i) => i.missing).map((i) => i.missing?.en)).toEqual([
      '100 more conversations in 2026-08 (group average 1100)',
      '525 more conversations in 2026-09 (group average 1525)',
      'knowledge test 65 → needs ≥ 70',
    ]);
    expect(a001?.summary.zh).toContain('距中级客服还差:2026-08 还需多接待 100 个会话');
    const all = await ladderStandings(ctx, Q3);
    expect(all.map((s) => s.employeeNo)).toEqual(['A001', 'A002', 'M001', 'N001', 'V002']);
    // also during a quarter, on the figures so far
    const now = await ladderStandings(ctx, '2026-Q4');
    expect(now.find((s) => s.employeeNo === 'A001')?.items.map((i) => i.missing?.en)).toContain('no knowledge test given (needs ≥ 70)');
    expect((await rejection(ladderStandings(ctx, Q3, 'L001'))).code).toBe('not_evaluated');
  });
});
