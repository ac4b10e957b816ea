/**
 * A realistic synthetic CS department for one month: agents in four groups with skewed
 * conversation volumes (a few heavy agents, a long tail), attendance with absences and
 * overtime, tickets, efficiency/discipline deductions, team-lead points and sales figures.
 * Deterministic: the same seed gives the same department.
 */
import type { Store } from '../packages/server/dist/db/connect.js';
import { bulkInsert, type Cell, resetIdentity } from './bulk.js';

export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const GROUPS: { group: string; share: number; levels: string[] }[] = [
  { group: 'basic', share: 0.5, levels: ['trainee', 'junior', 'intermediate', 'senior'] },
  { group: 'vip', share: 0.2, levels: ['vip_trainee', 'vip_junior', 'vip_intermediate', 'vip_senior'] },
  { group: 'phone', share: 0.2, levels: ['trainee', 'junior', 'intermediate', 'senior'] },
  { group: 'sales', share: 0.1, levels: ['junior', 'intermediate', 'senior', 'expert'] },
];

const HISTORY_COLUMNS = [
  'employee_id',
  'effective_from',
  'group_code',
  'level',
  'position',
  'team_id',
  'base_pay_fen',
  'probation_end',
  'junior_since',
  'status',
  'transfer_to',
  'recorded_at',
  'recorded_by',
  'reason',
];

export interface BenchPerson {
  id: number;
  no: string;
  group: string;
  level: string;
}

/** Employees hired 2024-01-01, each with one active history row in their group and level. */
export async function loadEmployees(store: Store, people: readonly BenchPerson[]): Promise<number> {
  const now = '2026-11-21T01:00:00.000Z';
  const count = await bulkInsert(
    store,
    'employees',
    ['id', 'employee_no', 'name', 'hired_on', 'created_at'],
    (function* () {
      for (const p of people) yield [p.id, p.no, `客服${p.id}`, '2024-01-01', now];
    })(),
  );
  await bulkInsert(
    store,
    'employee_history',
    HISTORY_COLUMNS,
    (function* () {
      for (const p of people)
        yield [p.id, '2024-01-01', p.group, p.level, 'agent', null, null, null, null, 'active', null, now, 'bench', 'generated'];
    })(),
  );
  await resetIdentity(store, 'employees');
  await resetIdentity(store, 'employee_history');
  return count;
}

export interface Department {
  agents: number;
  month: string;
  rows: Record<string, number>;
}

function pickGroup(r: number) {
  let acc = 0;
  for (const g of GROUPS) {
    acc += g.share;
    if (r < acc) return g;
  }
  return GROUPS[0] as (typeof GROUPS)[number];
}

/** Loads a department of `agents` people with data for `month` (YYYY-MM) into an empty, migrated store. */
export async function loadDepartment(store: Store, agents: number, month = '2026-10', seed = 42): Promise<Department> {
  const rnd = random(seed);
  const now = '2026-11-21T01:00:00.000Z';
  const people = Array.from({ length: agents }, (_, i) => {
    const g = pickGroup(rnd());
    return {
      id: i + 1,
      no: `A${String(i + 1).padStart(6, '0')}`,
      group: g.group,
      level: g.levels[Math.floor(rnd() * 4)] as string,
      volume: Math.exp(6.8 + rnd() * 1.6 - 0.8),
    };
  });
  const rows: Record<string, number> = {};
  const load = async (table: string, columns: string[], generate: () => Generator<Cell[]>) => {
    rows[table] = await bulkInsert(store, table, columns, generate());
  };
  rows.employees = await loadEmployees(store, people);
  await load(
    'attendance_months',
    [
      'employee_id',
      'month',
      'unpaid_days',
      'late_count',
      'overtime_workday',
      'overtime_rest_day',
      'overtime_holiday',
      'leave_days',
      'import_id',
      'updated_at',
      'updated_by',
    ],
    function* () {
      for (const p of people) {
        const absent = rnd() < 0.1 ? String(Math.ceil(rnd() * 4) / 2) : '0';
        const overtime = rnd() < 0.3 ? String(Math.ceil(rnd() * 16)) : '0';
        const sick = rnd() < 0.05 ? '{"sick":"1"}' : '{}';
        yield [p.id, month, absent, rnd() < 0.1 ? 1 : 0, overtime, '0', '0', sick, null, now, 'bench'];
      }
    },
  );
  // Daily totals per agent over the month's working days, skewed per agent.
  await load(
    'agent_day_stats',
    [
      'employee_id',
      'day',
      'source',
      'conversations',
      'valid_conversations',
      'first_response_sum_s',
      'first_response_count',
      'rating_sum',
      'rating_count',
    ],
    function* () {
      for (const p of people) {
        if (p.group === 'sales') continue;
        for (let day = 1; day <= 22; day += 1) {
          const count = Math.max(0, Math.round((p.volume / 22) * (0.6 + rnd() * 0.8)));
          yield [p.id, `${month}-${String(day).padStart(2, '0')}`, 'bench', count, count, count * 30, count, 0, 0];
        }
      }
    },
  );
  let ticketId = 0;
  await load('tickets', ['source', 'external_id', 'employee_id', 'day', 'wrong', 'import_id'], function* () {
    for (const p of people) {
      const count = Math.floor(rnd() * 10);
      for (let t = 0; t < count; t += 1)
        yield [
          'bench',
          `T${(ticketId += 1)}`,
          p.id,
          `${month}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
          rnd() < 0.05 ? 1 : 0,
          null,
        ];
    }
  });
  await load(
    'deductions',
    [
      'employee_id',
      'day',
      'points',
      'category',
      'reason',
      'entered_by',
      'origin',
      'import_id',
      'created_at',
      'revoked_at',
      'revoked_by',
      'revoke_reason',
    ],
    function* () {
      for (const p of people) {
        const count = Math.floor(rnd() * 5);
        for (let k = 0; k < count; k += 1)
          yield [
            p.id,
            `${month}-${String(k * 5 + 1).padStart(2, '0')}`,
            String(Math.ceil(rnd() * 30) / 2),
            'efficiency',
            `item ${k}`,
            'lead',
            'lead',
            null,
            now,
            null,
            null,
            null,
          ];
      }
    },
  );
  await load(
    'lead_points',
    ['employee_id', 'month', 'execution', 'rewards', 'excellent_cases', 'extra', 'note', 'import_id', 'updated_at', 'updated_by'],
    function* () {
      for (const p of people)
        if (p.group !== 'sales')
          yield [
            p.id,
            month,
            String(Math.floor(rnd() * 60)),
            String(Math.floor(rnd() * 20)),
            rnd() < 0.1 ? 1 : 0,
            '0',
            null,
            null,
            now,
            'bench',
          ];
    },
  );
  await load(
    'sales_months',
    ['employee_id', 'month', 'amount', 'target', 'csat', 'complaint_rate', 'teamwork', 'import_id', 'updated_at', 'updated_by'],
    function* () {
      for (const p of people) {
        if (p.group !== 'sales') continue;
        yield [
          p.id,
          month,
          String(Math.floor(50000 + rnd() * 100000)),
          '100000',
          String(Math.floor(85 + rnd() * 15) / 100),
          String(Math.floor(rnd() * 30) / 1000),
          String(Math.floor(70 + rnd() * 30)),
          null,
          now,
          'bench',
        ];
      }
    },
  );
  for (const table of ['tickets', 'deductions']) await resetIdentity(store, table);
  return { agents, month, rows };
}
