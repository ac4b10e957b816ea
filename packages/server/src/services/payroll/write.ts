import { sql } from 'kysely';
import type { Store } from '../../db/connect.js';
import type { Db } from '../context.js';

export interface PayslipRow {
  employeeId: number;
  group: string;
  level: string;
  gross: number;
  fullAttendance: boolean;
  performance: string;
  inputs: string;
  lines: {
    code: string;
    amount: number;
    rule: string;
    formula: string;
    inputs: string;
    explainZh: string;
    explainEn: string;
    cause: string | null;
  }[];
}

function* chunks<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Writes a run's payslips and lines inside the caller's transaction, the fastest way each
 * database offers: prepared statements on SQLite (the transaction's own connection), and
 * array-unnest inserts on PostgreSQL (thousands of rows per statement).
 */
export async function writePayslips(trx: Db, store: Store, runId: number, slips: Iterable<PayslipRow>): Promise<void> {
  if (store.dialect === 'sqlite' && store.sqlite) {
    const insertSlip = store.sqlite.prepare(
      'INSERT INTO payslips (run_id, employee_id, group_code, level, gross_fen, full_attendance, performance, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertLine = store.sqlite.prepare(
      'INSERT INTO payslip_lines (run_id, payslip_id, position, code, amount_fen, rule, formula, inputs, explain_zh, explain_en, cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const s of slips) {
      const { lastInsertRowid } = insertSlip.run(
        runId,
        s.employeeId,
        s.group,
        s.level,
        s.gross,
        s.fullAttendance ? 1 : 0,
        s.performance,
        s.inputs,
      );
      s.lines.forEach((l, position) => {
        insertLine.run(runId, lastInsertRowid, position, l.code, l.amount, l.rule, l.formula, l.inputs, l.explainZh, l.explainEn, l.cause);
      });
    }
    return;
  }
  // PostgreSQL works while the next chunk is computed: each chunk's two statements are queued
  // on the connection and only awaited two chunks later (the lines find their payslip by
  // run and employee, so nothing waits for the ids).
  const pending: Promise<unknown>[] = [];
  const queue = (query: Promise<unknown>) => {
    query.catch(() => undefined); // awaited below, in order; this only marks it handled meanwhile
    pending.push(query);
  };
  for (const chunk of chunks(slips, 5000)) {
    queue(
      sql`
      INSERT INTO payslips (run_id, employee_id, group_code, level, gross_fen, full_attendance, performance, inputs)
      SELECT ${runId}, * FROM unnest(
        ${chunk.map((s) => s.employeeId)}::bigint[], ${chunk.map((s) => s.group)}::text[], ${chunk.map((s) => s.level)}::text[],
        ${chunk.map((s) => s.gross)}::bigint[], ${chunk.map((s) => (s.fullAttendance ? 1 : 0))}::int[],
        ${chunk.map((s) => s.performance)}::text[], ${chunk.map((s) => s.inputs)}::text[])`.execute(trx),
    );
    const lines = chunk.flatMap((s) => s.lines.map((l, position) => ({ ...l, position, employeeId: s.employeeId })));
    queue(
      sql`
      INSERT INTO payslip_lines (run_id, payslip_id, position, code, amount_fen, rule, formula, inputs, explain_zh, explain_en, cause)
      SELECT ${runId}, p.id, t.position, t.code, t.amount, t.rule, t.formula, t.inputs, t.explain_zh, t.explain_en, t.cause
      FROM unnest(
        ${lines.map((l) => l.employeeId)}::bigint[], ${lines.map((l) => l.position)}::int[], ${lines.map((l) => l.code)}::text[],
        ${lines.map((l) => l.amount)}::bigint[], ${lines.map((l) => l.rule)}::text[], ${lines.map((l) => l.formula)}::text[],
        ${lines.map((l) => l.inputs)}::text[], ${lines.map((l) => l.explainZh)}::text[], ${lines.map((l) => l.explainEn)}::text[],
        ${lines.map((l) => l.cause)}::text[])
        AS t(employee_id, position, code, amount, rule, formula, inputs, explain_zh, explain_en, cause)
      JOIN payslips p ON p.run_id = ${runId} AND p.employee_id = t.employee_id`.execute(trx),
    );
    while (pending.length > 4) await pending.shift();
  }
  for (const query of pending) await query;
}
