import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Decimal, fen, fenToYuan, type Month } from '@ladder/core';
import {
  type ImportBatch,
  type ImportKind,
  type ImportProgress,
  readImport,
  type RowProblem,
  writeErrorReport,
} from '../../ingest/index.js';
import { audit } from '../audit.js';
import { type Db, type ServiceContext } from '../context.js';
import { upsertEmployees } from '../employees.js';
import { addDeductions, upsertAttendance, upsertLeadPoints, upsertSales, upsertSalesTargets } from '../inputs.js';
import { cityRates } from '../china-data.js';
import { declareSpecialDeduction, setAnnualBonus, setPayProfile } from '../pay-profiles.js';
import { AgentResolver } from './agents.js';
import { ConversationWriter } from './conversations.js';
import { writeTransaction } from '../../db/sqlite-dialect.js';

export interface ImportOptions {
  format?: 'csv' | 'xlsx' | 'json';
  /** Source code written by adapters instead of their own (e.g. two Chatwoot accounts). */
  source?: string;
  onProgress?: (p: ImportProgress) => void;
  /** Where to write the error report (…errors.csv / …errors.json); default next to the file. */
  errorReportBase?: string;
  /** Stop collecting after this many problems (the file is refused either way). */
  maxProblems?: number;
  /** Rows per batch read from the file (default: the reader's). */
  batchSize?: number;
}

export interface ImportResult {
  kind: ImportKind;
  file: string;
  status: 'imported' | 'unchanged' | 'refused';
  rows: number;
  problems: RowProblem[];
  report?: { csv: string; json: string };
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  // Large reads: the hash itself is fast (hundreds of MB/s); small chunks cost more than hashing.
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

class Refused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super('import refused');
  }
}

const dec = (text: string) => new Decimal(text);

/**
 * Imports one file all-or-nothing: every row is validated and written inside one transaction,
 * and any problem rolls the whole file back and writes an error report (row, column, value,
 * reason). The same file imported again changes nothing.
 */
export async function importFile(ctx: ServiceContext, kind: ImportKind, file: string, options: ImportOptions = {}): Promise<ImportResult> {
  const label = path.basename(file);
  const digest = await sha256(file);
  const seen = await ctx.store.db
    .selectFrom('import_files')
    .select(['id', 'imported_at'])
    .where('kind', '=', kind)
    .where('sha256', '=', digest)
    .executeTakeFirst();
  if (seen) return { kind, file, status: 'unchanged', rows: 0, problems: [] };
  const maxProblems = options.maxProblems ?? 1000;
  try {
    // Like a payroll run, an import of millions of rows leaves copying its log into the file to another thread.
    const rows = await ctx.store.checkpointAfter(() =>
      writeTransaction(ctx.store.db).execute(async (trx) => {
        const record = await trx
          .insertInto('import_files')
          .values({ kind, file_name: label, sha256: digest, rows: 0, imported_at: ctx.now(), imported_by: ctx.actor })
          .returning('id')
          .executeTakeFirstOrThrow();
        const agents = await AgentResolver.load(trx);
        const conversations = new ConversationWriter(trx, ctx.store.dialect, agents, record.id);
        const problems: RowProblem[] = [];
        let count = 0;
        const reading = readImport(file, kind, {
          ...(options.format ? { format: options.format } : {}),
          ...(options.source ? { source: options.source } : {}),
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
        for await (const batch of reading) {
          problems.push(...batch.problems);
          count += batch.kind === 'conversations' ? batch.columns.length : batch.rows.length;
          if (problems.length === 0) problems.push(...(await writeBatch(trx, conversations, ctx, batch, agents, record.id, label)));
          if (problems.length >= maxProblems) break;
        }
        if (problems.length > 0) throw new Refused(problems.slice(0, maxProblems));
        await conversations.finish();
        await trx.updateTable('import_files').set({ rows: count }).where('id', '=', record.id).execute();
        await audit(trx, ctx, {
          action: 'import',
          entity: 'import_files',
          key: String(record.id),
          reason: `${kind} ${label}`,
          details: { kind, file: label, sha256: digest, rows: count },
        });
        return count;
      }),
    );
    return { kind, file, status: 'imported', rows, problems: [] };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    const base = options.errorReportBase ?? `${file.replace(/\.[^./]+$/, '')}.errors`;
    const report = writeErrorReport(error.problems, base);
    return { kind, file, status: 'refused', rows: 0, problems: error.problems, report };
  }
}

function unknownEmployee(label: string, row: number, column: string, value: string): RowProblem {
  return {
    file: label,
    row,
    column,
    value,
    reason: 'unknown employee number: import the employee first',
    reasonZh: '工号不存在:请先导入员工',
    code: 'invalid',
  };
}

function unknownAgent(label: string, row: number, column: string, value: string, source: string): RowProblem {
  return {
    file: label,
    row,
    column,
    value,
    reason: `unknown agent of source ${source}: map the account to an employee with an agent-accounts import, or use the 工号`,
    reasonZh: `来源 ${source} 的客服账号未对应员工:请先导入客服账号对应表,或填写工号`,
    code: 'invalid',
  };
}

// Rows per upsert statement: 7 parameters a row stays far below both databases' limits.
const UPSERT_ROWS = 1000;

/**
 * Help-desk rows keyed by source and external id, UPSERT_ROWS to a statement; a key already stored
 * takes the incoming row's employee, day and `columns`. A key met twice in the batch keeps its
 * last row only, where it stood last: the same end as upserting row by row, which one statement
 * on PostgreSQL refuses to do to the same row twice.
 */
async function upsertBySourceId<T extends { source: string; externalId: string; day: string }>(
  trx: Db,
  table: 'tickets' | 'csat_ratings',
  rows: readonly T[],
  employeeOf: (row: T) => number,
  importId: number,
  columns: (row: T) => Record<string, unknown>,
): Promise<void> {
  const lastOfEach = new Map<string, T>();
  for (const row of rows) {
    const key = `${row.source}\u0000${row.externalId}`;
    lastOfEach.delete(key);
    lastOfEach.set(key, row);
  }
  const unique = [...lastOfEach.values()];
  if (unique.length === 0) return;
  const updated = ['employee_id', 'day', ...Object.keys(columns(unique[0] as T))];
  // The two tables differ in their own columns, so rows and update are typed by the callers' `columns`.
  const fromIncoming = Object.fromEntries(updated.map((column) => [column, sql.ref(`excluded.${column}`)])) as never;
  for (let start = 0; start < unique.length; start += UPSERT_ROWS) {
    const stored = unique.slice(start, start + UPSERT_ROWS).map((row) => ({
      source: row.source,
      external_id: row.externalId,
      employee_id: employeeOf(row),
      day: row.day,
      ...columns(row),
      import_id: importId,
    }));
    await trx
      .insertInto(table)
      .values(stored as never)
      .onConflict((oc) => oc.columns(['source', 'external_id']).doUpdateSet(fromIncoming))
      .execute();
  }
}

/** Writes one validated batch; returns problems found only now (unknown employees and agents). */
async function writeBatch(
  trx: Db,
  conversations: ConversationWriter,
  ctx: ServiceContext,
  batch: ImportBatch,
  agents: AgentResolver,
  importId: number,
  label: string,
): Promise<RowProblem[]> {
  const headers = batch.headers as Record<string, string | undefined>;
  const employeeColumn = headers.employeeNo ?? '工号';
  const checkEmployees = <T extends { row: number; employeeNo: string }>(rows: readonly T[]) =>
    rows.filter((r) => agents.employee(r.employeeNo) === undefined).map((r) => unknownEmployee(label, r.row, employeeColumn, r.employeeNo));
  /** The help-desk accounts no employee is mapped to, reported under the file's agent column (or `column`). */
  const checkAgents = <T extends { row: number; source: string; agent: string }>(rows: readonly T[], column: string) =>
    rows
      .filter((r) => agents.agent(r.source, r.agent) === undefined)
      .map((r) => unknownAgent(label, r.row, headers.agent ?? column, r.agent, r.source));
  const agentOf = (r: { source: string; agent: string }) => agents.agent(r.source, r.agent) as number;

  switch (batch.kind) {
    case 'employees': {
      await upsertEmployees(
        trx,
        ctx,
        batch.rows.map((r) => ({
          employeeNo: r.employeeNo,
          name: r.name,
          group: r.group,
          level: r.level,
          position: r.position,
          team: r.team,
          hiredOn: r.hiredOn,
          probationEnd: r.probationEnd,
          basePay: r.basePay === null ? null : fenToYuan(fen(r.basePay)),
          effectiveFrom: r.effectiveFrom,
          status: r.status,
          transferTo: r.transferTo,
        })),
        `import #${importId}`,
      );
      for (const id of await trx
        .selectFrom('employees')
        .select(['id', 'employee_no'])
        .where(
          'employee_no',
          'in',
          batch.rows.map((r) => r.employeeNo),
        )
        .execute()) {
        agents.rememberEmployee(id.employee_no, id.id);
      }
      return [];
    }
    case 'agent-accounts': {
      const problems = checkEmployees(batch.rows);
      if (problems.length > 0) return problems;
      for (const r of batch.rows) {
        const employeeId = agents.employee(r.employeeNo) as number;
        await trx
          .insertInto('agent_accounts')
          .values({ source: r.source, account: r.account, employee_id: employeeId })
          .onConflict((oc) => oc.columns(['source', 'account']).doUpdateSet({ employee_id: employeeId }))
          .execute();
        agents.remember(r.source, r.account, employeeId);
      }
      return [];
    }
    case 'attendance': {
      const problems = checkEmployees(batch.rows);
      if (problems.length > 0) return problems;
      await upsertAttendance(
        trx,
        ctx,
        batch.rows.map((r) => ({
          employeeNo: r.employeeNo,
          month: r.month,
          unpaidDays: dec(r.unpaidDays),
          lateCount: r.lateCount,
          overtimeWorkday: dec(r.overtimeWorkday),
          overtimeRestDay: dec(r.overtimeRestDay),
          overtimeHoliday: dec(r.overtimeHoliday),
          leaveDays: {
            sick: dec(r.sickDays),
            annual: dec(r.annualDays),
            marriage: dec(r.marriageDays),
            maternity: dec(r.maternityDays),
            personal: dec(r.personalDays),
          },
        })),
        importId,
      );
      return [];
    }
    case 'conversations':
      return conversations.write(batch.columns, (row, agent, source) =>
        unknownAgent(label, row, headers.agent ?? '客服账号', agent, source),
      );
    case 'agent-daily': {
      const problems = checkAgents(batch.rows, '客服');
      if (problems.length > 0) return problems;
      for (const r of batch.rows) {
        const employeeId = agentOf(r);
        const values = {
          conversations: r.conversations,
          valid_conversations: r.validConversations ?? r.conversations,
          first_response_sum_s: r.avgFirstResponseSeconds === null ? 0 : Math.round(r.avgFirstResponseSeconds * r.conversations),
          first_response_count: r.avgFirstResponseSeconds === null ? 0 : r.conversations,
          rating_sum: 0,
          rating_count: 0,
          satisfaction_rate: r.satisfactionRate,
        };
        // A platform's day total replaces what it said before about that day.
        await trx
          .insertInto('agent_day_stats')
          .values({ employee_id: employeeId, day: r.day, source: r.source, ...values })
          .onConflict((oc) => oc.columns(['employee_id', 'day', 'source']).doUpdateSet(values))
          .execute();
      }
      return [];
    }
    case 'agent-period': {
      const problems = checkAgents(batch.rows, 'Agent name');
      if (problems.length > 0) return problems;
      for (const r of batch.rows) {
        const values = {
          conversations: r.conversations,
          resolved: r.resolved,
          avg_first_response_s: r.avgFirstResponseSeconds,
          avg_resolution_s: r.avgResolutionSeconds,
          import_id: importId,
        };
        await trx
          .insertInto('agent_period_stats')
          .values({ source: r.source, employee_id: agentOf(r), from_day: r.from, to_day: r.to, ...values })
          .onConflict((oc) => oc.columns(['source', 'employee_id', 'from_day', 'to_day']).doUpdateSet(values))
          .execute();
      }
      return [];
    }
    case 'tickets': {
      const problems = checkAgents(batch.rows, '客服');
      if (problems.length > 0) return problems;
      await upsertBySourceId(trx, 'tickets', batch.rows, agentOf, importId, (r) => ({
        wrong: r.wrong ? 1 : 0,
      }));
      return [];
    }
    case 'csat': {
      const problems = checkAgents(batch.rows, '客服');
      if (problems.length > 0) return problems;
      await upsertBySourceId(trx, 'csat_ratings', batch.rows, agentOf, importId, (r) => ({
        rating: r.rating,
        comment: r.comment,
      }));
      return [];
    }
    case 'deductions': {
      const problems = checkEmployees(batch.rows);
      if (problems.length > 0) return problems;
      await addDeductions(
        trx,
        ctx,
        batch.rows.map((r) => ({
          employeeNo: r.employeeNo,
          day: r.day,
          points: dec(r.points),
          category: r.category,
          reason: r.reason,
          enteredBy: r.enteredBy,
        })),
        importId,
      );
      return [];
    }
    case 'lead-points': {
      const problems = checkEmployees(batch.rows);
      if (problems.length > 0) return problems;
      await upsertLeadPoints(
        trx,
        ctx,
        batch.rows.map((r) => ({
          employeeNo: r.employeeNo,
          month: r.month,
          execution: dec(r.execution),
          rewards: dec(r.rewards),
          excellentCases: r.excellentCases,
          extra: dec(r.extra),
          note: r.note,
        })),
        importId,
      );
      return [];
    }
    case 'sales': {
      const problems = checkEmployees(batch.rows);
      if (problems.length > 0) return problems;
      await upsertSales(
        trx,
        ctx,
        batch.rows.map((r) => ({
          employeeNo: r.employeeNo,
          month: r.month as Month,
          amount: fenToYuan(fen(r.amount)),
          target: fenToYuan(fen(r.target)),
          csat: dec(r.csat),
          complaintRate: dec(r.complaintRate),
          teamwork: dec(r.teamwork),
        })),
        importId,
      );
      return [];
    }
    case 'sales-targets': {
      const problems = checkEmployees(batch.rows);
      if (problems.length > 0) return problems;
      await upsertSalesTargets(
        trx,
        ctx,
        batch.rows.map((r) => ({ employeeNo: r.employeeNo, period: r.period, target: fenToYuan(fen(r.target)) })),
        importId,
      );
      return [];
    }
    case 'pay-profiles': {
      const problems = checkEmployees(batch.rows);
      const cityColumn = headers.city ?? '参保城市';
      for (const r of batch.rows) {
        if (!cityRates(r.city)) {
          problems.push({
            file: label,
            row: r.row,
            column: cityColumn,
            value: r.city,
            reason: 'no social-insurance data for this city (packages/core/policies/china)',
            reasonZh: '没有该城市的社保公积金数据',
            code: 'invalid',
          });
        }
      }
      if (problems.length > 0) return problems;
      for (const r of batch.rows) {
        await setPayProfile(
          trx,
          ctx,
          {
            employeeNo: r.employeeNo,
            effectiveFrom: r.effectiveFrom,
            city: r.city,
            contributionBase: r.contributionBase === null ? null : fenToYuan(fen(r.contributionBase)),
            firstIncomeOfYear: r.firstIncomeOfYear,
            bankName: r.bankName,
            bankAccount: r.bankAccount,
            accountName: r.accountName,
          },
          `import #${importId}`,
        );
      }
      return [];
    }
    case 'special-deductions': {
      const problems = checkEmployees(batch.rows);
      if (problems.length > 0) return problems;
      for (const r of batch.rows) await declareSpecialDeduction(trx, ctx, r.employeeNo, r.month, fen(r.amount), r.note);
      return [];
    }
    case 'annual-bonuses': {
      const problems = checkEmployees(batch.rows);
      if (problems.length > 0) return problems;
      for (const r of batch.rows) await setAnnualBonus(trx, ctx, r.employeeNo, r.month, fen(r.amount), r.method);
      return [];
    }
  }
}
