/** Test helpers for the QA store suites (tests/db/qa-*.test.ts); excluded from the build. */
import type { Store } from '../../db/connect.js';
import { up as qaMigration } from '../../db/migrations/20261127T2000-qa.js';
import { AppError, type ServiceContext } from '../context.js';
import { emptyColumns, encodeBlock } from '../conversations/blocks.js';
import { upsertEmployees } from '../employees.js';
import { hasQaTables } from './db.js';
import { grantRole } from './users.js';

/** Migration 20261127T2000-qa, when the store's migration list does not include it yet. */
export async function withQaTables(store: Store): Promise<void> {
  if (!(await hasQaTables(store.db))) await qaMigration(store.db, store.dialect);
}

/** The same context acting as someone else (the clock is shared). */
export function as<C extends ServiceContext>(ctx: C, actor: string): C {
  return { ...ctx, actor };
}

export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** `count` conversations of the agent on `day`, as an import leaves them; returns their keys (source:external_id). */
export async function addConversations(store: Store, employeeNo: string, day: string, count: number, from = 0): Promise<string[]> {
  const employee = await store.db.selectFrom('employees').select('id').where('employee_no', '=', employeeNo).executeTakeFirstOrThrow();
  const created = Array.from({ length: count }, (_, i) => `${employeeNo}-${day}-${from + i}`);
  const ids = [...created].sort();
  if (ids.length > 0) {
    const block = emptyColumns(ids.length);
    ids.forEach((id, i) => {
      block.externalIds[i] = id;
      block.employeeIds[i] = employee.id;
      block.startedAt[i] = Date.parse(`${day}T02:00:00.000Z`);
      block.firstResponseSeconds[i] = NaN;
      block.handleSeconds[i] = NaN;
      block.valid[i] = 1;
    });
    await store.db
      .insertInto('conversation_blocks')
      .values(encodeBlock({ importId: null, source: 'desk', day }, block))
      .execute();
  }
  return created.map((id) => `desk:${id}`);
}

/**
 * The department's people: teams T1 (basic) and V1 (vip) with their leads, two QA inspectors, the
 * QA manager, the VIP manager, HR, the director and an admin. Employees (agents) need no grant.
 */
export async function seedQaPeople(ctx: ServiceContext, withEmployees = true): Promise<void> {
  if (withEmployees) {
    await upsertEmployees(
      ctx.store.db,
      ctx,
      [
        { employeeNo: 'E001', name: '张伟', group: 'basic', level: 'intermediate', team: 'T1', hiredOn: '2024-03-01' },
        { employeeNo: 'E002', name: '李娜', group: 'basic', level: 'junior', team: 'T1', hiredOn: '2025-06-01' },
        { employeeNo: 'V001', name: '王芳', group: 'vip', level: 'vip_senior', team: 'V1', hiredOn: '2023-01-01' },
      ],
      'seed',
    );
  }
  const admin = as(ctx, 'admin.root');
  await grantRole(admin, { login: 'admin.root', role: 'admin' });
  await grantRole(admin, { login: 'qa.sun', role: 'qa_inspector' });
  await grantRole(admin, { login: 'qa.zhou', role: 'qa_inspector' });
  await grantRole(admin, { login: 'qam.wu', role: 'qa_manager' });
  await grantRole(admin, { login: 'vipm.zheng', role: 'vip_manager' });
  await grantRole(admin, { login: 'lead.zhao', role: 'team_lead', team: 'T1' });
  await grantRole(admin, { login: 'lead.qian', role: 'team_lead', team: 'V1' });
  await grantRole(admin, { login: 'hr.li', role: 'hr' });
  await grantRole(admin, { login: 'dir.wang', role: 'director' });
}
