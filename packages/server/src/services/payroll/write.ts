import { sql } from 'kysely';
import type { Store } from '../../db/connect.js';
import type { Db } from '../context.js';
import type { NetRow } from './net.js';

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
  /** Gross to net, when the person's year could be computed. */
  net?: NetRow;
}

export interface PayslipWriter {
  /** Stores these payslips (on PostgreSQL maybe only queued: `finish` waits for them). */
  write(slips: readonly PayslipRow[]): Promise<void>;
  finish(): Promise<void>;
}

/**
 * Writes a run's payslips, their lines and net rows inside the caller's transaction, the fastest way each
 * database offers: prepared statements on SQLite (the transaction's own connection), and
 * thousands of rows per statement on PostgreSQL, sent as one JSON text each.
 */
export function payslipWriter(trx: Db, store: Store, runId: number): PayslipWriter {
  if (store.dialect === 'sqlite' && store.sqlite) return sqliteWriter(store.sqlite, runId);
  return postgresWriter(trx, runId);
}

/** Prepared statements on the given SQLite connection (the run's, or the helper's scratch file). */
export function sqliteWriter(sqlite: NonNullable<Store['sqlite']>, runId: number): PayslipWriter {
  const insertSlip = sqlite.prepare(
    'INSERT INTO payslips (run_id, employee_id, group_code, level, gross_fen, full_attendance, performance, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertLine = sqlite.prepare(
    'INSERT INTO payslip_lines (run_id, payslip_id, position, code, amount_fen, rule, formula, inputs, explain_zh, explain_en, cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertNet = sqlite.prepare(
    `INSERT INTO payslip_net (payslip_id, run_id, bonus_fen, employee_contributions_fen, employer_contributions_fen, taxable_ytd_fen,
       tax_fen, bonus_tax_fen, net_fen, employer_cost_fen, ytd, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    async write(slips) {
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
          insertLine.run(
            runId,
            lastInsertRowid,
            position,
            l.code,
            l.amount,
            l.rule,
            l.formula,
            l.inputs,
            l.explainZh,
            l.explainEn,
            l.cause,
          );
        });
        const n = s.net;
        if (n) {
          insertNet.run(
            lastInsertRowid,
            runId,
            n.bonus,
            n.employeeContributions,
            n.employerContributions,
            n.taxableYtd,
            n.tax,
            n.bonusTax,
            n.net,
            n.employerCost,
            n.ytd,
            n.details,
          );
        }
      }
    },
    async finish() {},
  };
}

// Chunks of 1,000 payslips (≈ 2 MB of text), two in flight: 5,000 made texts so large that
// collecting them cost more than the statements saved (a run of 100,000: 21–28 s against 15–18 s);
// 500 × 4 and 500 × 8 were no better within this machine's noise.
const POSTGRES_CHUNK = 1000;
const IN_FLIGHT = 2;

function postgresWriter(trx: Db, runId: number): PayslipWriter {
  // PostgreSQL works while the next chunk is computed: each chunk's statement is queued on the
  // connection and only awaited IN_FLIGHT chunks later (nothing waits for the ids).
  const pending: Promise<unknown>[] = [];
  const send = async (chunk: readonly PayslipRow[]) => {
    // Each chunk travels as one JSON text that the server takes apart (json_to_recordset): the
    // driver's array parameters escaped every element in JavaScript, which cost more than the
    // computing. JSON.stringify of plain objects is native (building the text by hand was slower),
    // and `json` (not jsonb) is parsed once, in C.
    const slipRows = JSON.stringify(
      chunk.map((s) => ({
        e: s.employeeId,
        g: s.group,
        l: s.level,
        f: s.gross,
        a: s.fullAttendance ? 1 : 0,
        p: s.performance,
        i: s.inputs,
      })),
    );
    const lineRows = JSON.stringify(
      chunk.flatMap((s) =>
        s.lines.map((l, position) => ({
          e: s.employeeId,
          n: position,
          c: l.code,
          a: l.amount,
          r: l.rule,
          f: l.formula,
          i: l.inputs,
          z: l.explainZh,
          x: l.explainEn,
          k: l.cause,
        })),
      ),
    );
    const netRows = JSON.stringify(
      chunk.flatMap(({ employeeId: e, net: n }) =>
        n
          ? [
              {
                e,
                b: n.bonus,
                c: n.employeeContributions,
                r: n.employerContributions,
                y: n.taxableYtd,
                t: n.tax,
                x: n.bonusTax,
                n: n.net,
                k: n.employerCost,
                d: n.ytd,
                j: n.details,
              },
            ]
          : [],
      ),
    );
    // One statement a chunk: the lines and net rows meet their payslips among the rows it has just inserted.
    const query = sql`
      WITH slips AS (
        INSERT INTO payslips (run_id, employee_id, group_code, level, gross_fen, full_attendance, performance, inputs)
        SELECT ${runId}, e, g, l, f, a, p, i
        FROM json_to_recordset(CAST(${slipRows} AS json)) AS t(e bigint, g text, l text, f bigint, a int, p text, i text)
        RETURNING id, employee_id),
      lines AS (
        INSERT INTO payslip_lines (run_id, payslip_id, position, code, amount_fen, rule, formula, inputs, explain_zh, explain_en, cause)
        SELECT ${runId}, slips.id, t.n, t.c, t.a, t.r, t.f, t.i, t.z, t.x, t.k
        FROM json_to_recordset(CAST(${lineRows} AS json))
          AS t(e bigint, n int, c text, a bigint, r text, f text, i text, z text, x text, k text)
        JOIN slips ON slips.employee_id = t.e)
      INSERT INTO payslip_net (payslip_id, run_id, bonus_fen, employee_contributions_fen, employer_contributions_fen, taxable_ytd_fen,
        tax_fen, bonus_tax_fen, net_fen, employer_cost_fen, ytd, details)
      SELECT slips.id, ${runId}, t.b, t.c, t.r, t.y, t.t, t.x, t.n, t.k, t.d, t.j
      FROM json_to_recordset(CAST(${netRows} AS json))
        AS t(e bigint, b bigint, c bigint, r bigint, y bigint, t bigint, x bigint, n bigint, k bigint, d text, j text)
      JOIN slips ON slips.employee_id = t.e`.execute(trx);
    query.catch(() => undefined); // awaited below, in order; this only marks it handled meanwhile
    pending.push(query);
    while (pending.length > IN_FLIGHT) await pending.shift();
  };
  let buffered: PayslipRow[] = [];
  return {
    async write(slips) {
      buffered.push(...slips);
      while (buffered.length >= POSTGRES_CHUNK) {
        await send(buffered.slice(0, POSTGRES_CHUNK));
        buffered = buffered.slice(POSTGRES_CHUNK);
      }
    },
    async finish() {
      if (buffered.length > 0) await send(buffered);
      buffered = [];
      for (const query of pending.splice(0)) await query;
    },
  };
}
