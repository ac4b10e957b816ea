/**
 * `npm run bench -- [--agents N] [--conversations M] [--repeat R] [--only import|payroll] [--net] [--helpers H] [--json]`
 * (defaults: 100,000 agents, 10,000,000 conversations: the sizes the targets are set for; the
 * imports, payroll runs and both references are timed R = 3 times each, medians reported and every
 * run listed)
 *
 * Payroll run for N agents on SQLite and PostgreSQL (a throwaway cluster when the server binaries
 * are here, or DATABASE_URL=postgres://…), with a bare-insert reference measured in the same run on
 * the same rows. Prints figures as JSON (one object with --json).
 *
 * --net: the payroll runs include gross to net (R-NET): everyone has a pay profile and the earlier
 * months of the tax year are paid, so the run is for 2026-06 (the city data here ends in 2026-06).
 * --helpers: helper threads of the SQLite runs (default: as a run takes them on this machine, one
 * per core beyond the main thread's).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore, type Store } from '../packages/server/dist/db/connect.js';
import { defaultHelperCount, MAX_HELPERS } from '../packages/server/dist/services/payroll/helper.js';
import { createDatabase, findPostgresBinaries, startThrowawayPostgres, type ThrowawayPostgres } from '../tools/throwaway-postgres.js';
import { benchImport, duckdbReference, loadAgents, writeConversationsCsv } from './imports.js';
import { addNetHistory } from './net-history.js';
import { bareInsertReference, benchPayroll, median } from './payroll.js';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '100000' },
    conversations: { type: 'string', default: '10000000' },
    json: { type: 'boolean', default: false },
    helpers: { type: 'string' },
    net: { type: 'boolean', default: false },
    only: { type: 'string' },
    repeat: { type: 'string', default: '3' },
  },
});
if (values.only !== undefined && values.only !== 'import' && values.only !== 'payroll') {
  throw new Error(`--only takes import or payroll, not ${values.only}`);
}
const runImport = values.only !== 'payroll';
const runPayroll = values.only !== 'import';
const agents = Number(values.agents);
const conversations = Number(values.conversations);
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat takes a whole number of at least 1, not ${values.repeat}`);
const helpers = values.helpers === undefined ? defaultHelperCount() : Number(values.helpers);
if (!Number.isInteger(helpers) || helpers < 1 || helpers > MAX_HELPERS) {
  throw new Error(`--helpers takes a whole number from 1 to ${MAX_HELPERS}, not ${values.helpers}`);
}
const payrollMonth = values.net ? '2026-06' : '2026-10';
const payrollSetup = values.net ? (store: Store) => addNetHistory(store, payrollMonth) : undefined;
const seconds = (runs: readonly number[]) => runs.map((run) => Number(run.toFixed(3)));
const log = (message: string) => {
  if (!values.json) process.stderr.write(`${message}\n`);
};

async function postgresUrl(): Promise<{ url: string; cluster?: ThrowawayPostgres } | undefined> {
  if (process.env.DATABASE_URL?.startsWith('postgres')) return { url: process.env.DATABASE_URL };
  const bin = findPostgresBinaries();
  if (!bin) return undefined;
  const cluster = await startThrowawayPostgres(bin);
  return { url: cluster.url, cluster };
}

const figures: Record<string, unknown> = {};
const dir = mkdtempSync(path.join(tmpdir(), 'ladder-bench-'));
const csv = path.join(dir, 'conversations.csv');
const importAgents = Math.min(agents, 5000);

async function importOnSqlite(): Promise<void> {
  log(`import: writing ${conversations} conversations for ${importAgents} agents …`);
  const bytes = writeConversationsCsv(csv, conversations, importAgents);
  const rssBefore = process.resourceUsage().maxRSS;
  const runs: { rows: number; seconds: number }[] = [];
  for (let run = 0; run < repeat; run += 1) {
    // A fresh database each time: the same file imported again changes nothing.
    const file = path.join(dir, `import-${run}.sqlite`);
    const store = await openStore({ url: file });
    await loadAgents(store, importAgents);
    runs.push(await benchImport(store, csv));
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }
  const importSeconds = median(runs.map((run) => run.seconds));
  figures.import_rows = runs[0]?.rows;
  figures.import_mb = Number((bytes / 1_048_576).toFixed(1));
  figures.import_s = Number(importSeconds.toFixed(3));
  const importRuns = seconds(runs.map((run) => run.seconds));
  figures.import_runs_s = importRuns;
  figures.import_rows_per_s = Math.round((runs[0]?.rows ?? 0) / importSeconds);
  figures.import_peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  figures.import_rss_before_mb = Math.round(rssBefore / 1024);
  log(`  SQLite: ${importRuns.join(', ')} s, ${figures.import_rows_per_s} rows/s (median)`);
  const duck: number[] = [];
  let groups = 0;
  for (let run = 0; run < repeat; run += 1) {
    const reference = await duckdbReference(csv);
    duck.push(reference.seconds);
    groups = reference.groups;
  }
  figures.duckdb_s = Number(median(duck).toFixed(3));
  figures.duckdb_runs_s = seconds(duck);
  figures.import_vs_duckdb = Number((importSeconds / median(duck)).toFixed(2));
  log(`  DuckDB parse + group-by: ${seconds(duck).join(', ')} s (${groups} agent-days)`);
}

async function payrollOnSqlite(): Promise<void> {
  figures.payroll_agents = agents;
  figures.cores = availableParallelism();
  figures.payroll_sqlite_helper_threads = helpers;
  log(`payroll: ${agents} agents on SQLite (${helpers} helper thread(s), ${figures.cores} cores), ${repeat} run(s) …`);
  const base = path.join(dir, 'bench.sqlite');
  const run = path.join(dir, 'run.sqlite');
  const onSqlite = await benchPayroll(
    await openStore({ url: base }),
    async () => {
      rmSync(run, { force: true });
      copyFileSync(base, run); // the base store was closed, so its WAL is checkpointed into the file
      return openStore({ url: run });
    },
    agents,
    repeat,
    payrollMonth,
    payrollSetup,
    { helpers },
  );
  figures.payroll_month = payrollMonth;
  figures.payroll_net_payslips = Number(
    (
      await onSqlite.last.db
        .selectFrom('payslip_net as n')
        .innerJoin('payroll_runs as r', 'r.id', 'n.run_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('r.month', '=', payrollMonth)
        .executeTakeFirstOrThrow()
    ).n,
  );
  figures.payroll_sqlite_s = Number(onSqlite.seconds.toFixed(3));
  figures.payroll_sqlite_runs_s = seconds(onSqlite.runs);
  figures.payroll_payslip_lines = onSqlite.lines;
  log(`  ${seconds(onSqlite.runs).join(', ')} s for ${onSqlite.payslips} payslips and ${onSqlite.lines} lines`);
  const bare = await bareInsertReference(onSqlite.last, repeat, payrollMonth);
  figures.bare_insert_s = Number(bare.seconds.toFixed(3));
  figures.bare_insert_runs_s = seconds(bare.runs);
  figures.payroll_vs_bare_insert = Number((onSqlite.seconds / bare.seconds).toFixed(2));
  log(`  bare insert of the same ${bare.rows} rows: ${seconds(bare.runs).join(', ')} s`);
  await onSqlite.last.close();
}

async function onPostgres(url: string): Promise<void> {
  if (runImport) {
    log(`import: ${conversations} conversations on PostgreSQL …`);
    const database = await createDatabase(url, 'ladder_bench');
    const store = await openStore({ url: database.url });
    await loadAgents(store, importAgents);
    const imported = await benchImport(store, csv);
    figures.import_postgres_rows_per_s = Math.round(imported.rows / imported.seconds);
    log(`  ${imported.seconds.toFixed(2)} s`);
    await store.close();
    await database.drop(); // autovacuum would otherwise work through its 10 M rows during the payroll runs
  }
  if (runPayroll) {
    log(`payroll: ${agents} agents on PostgreSQL, ${repeat} run(s) …`);
    const base = await createDatabase(url, 'ladder_bench');
    const copies: { drop: () => Promise<void> }[] = [];
    try {
      const run = await benchPayroll(
        await openStore({ url: base.url }),
        async () => {
          // The previous copy goes first: autovacuum working through its new payslips took CPU from
          // the next run (three runs in a row took 13.6, 16.9 and 19.1 s with the copies kept).
          for (const previous of copies.splice(0)) await previous.drop();
          const copy = await createDatabase(url, 'ladder_bench_run', { template: new URL(base.url).pathname.slice(1) });
          copies.push(copy);
          return openStore({ url: copy.url });
        },
        agents,
        repeat,
        payrollMonth,
        payrollSetup,
      );
      await run.last.close();
      figures.payroll_postgres_s = Number(run.seconds.toFixed(3));
      figures.payroll_postgres_runs_s = seconds(run.runs);
      log(`  ${seconds(run.runs).join(', ')} s`);
    } finally {
      for (const database of [...copies, base]) await database.drop();
    }
  }
}

try {
  // Import first, so its peak memory is read before the payroll benchmark adds its own.
  if (runImport) await importOnSqlite();
  if (runPayroll) await payrollOnSqlite();
  const postgres = await postgresUrl().catch((error: Error) => {
    log(`PostgreSQL unavailable: ${error.message}`);
    return undefined;
  });
  if (postgres) {
    try {
      await onPostgres(postgres.url);
    } finally {
      postgres.cluster?.stop();
    }
  } else {
    if (runPayroll) figures.payroll_postgres_s = null;
    if (runImport) figures.import_postgres_rows_per_s = null;
  }
  figures.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(figures, null, values.json ? 0 : 2)}\n`);
