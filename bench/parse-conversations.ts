/**
 * Parse + validate throughput of the conversations fast path (worker thread), without a database.
 *
 *   npx tsx bench/parse-conversations.ts [ROWS=2000000] [--rows] [--in-thread] [--keep FILE | --file FILE]
 *
 * Run `npm run build` first: it measures the built code. Generates ROWS conversation rows as a CSV (Chinese headers, as a help desk or Excel would write
 * them) in a temp folder, reads them back through `readImport(file, 'conversations')`, and prints
 * one JSON line: { rows, bytes, seconds, rows_per_s, cpu_seconds, rows_per_cpu_s, mb_per_s, peak_rss_mb, problems }. `--rows`
 * also builds the row objects of every batch (what a writer that does not use the columns pays).
 */
import { mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The built code (npm run build): what production runs, and its worker starts without a TypeScript loader.
import { readImport } from '../packages/server/dist/ingest/index.js';

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 2_000_000);
const buildRows = args.includes('--rows');
const inThread = args.includes('--in-thread');
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
/** --keep FILE: generate into FILE and leave it; --file FILE: parse FILE as it is (no generation). */
const keep = flag('--keep');
const given = flag('--file');

/** A small deterministic generator (xorshift32) so every run parses the same file. */
function generator(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

export function writeConversations(file: string, rows: number): void {
  const next = generator(20261008);
  const fd = openSync(file, 'w');
  const agents = Array.from({ length: 500 }, (_, i) => `agent${String(i).padStart(3, '0')}@acme.io`);
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  let lines: string[] = ['来源,会话ID,客服账号,开始时间,首次响应时长(秒),处理时长(秒),有效会话,满意度评分'];
  const base = Date.UTC(2026, 9, 1) / 1000;
  for (let i = 0; i < rows; i++) {
    const t = new Date((base + Math.floor((i / rows) * 30 * 86400)) * 1000);
    const started = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
    const rating = next(4) === 0 ? String(1 + next(5)) : '';
    lines.push(
      `chatwoot,${1_000_000 + i},${agents[next(agents.length)]},${started},${next(600)},${30 + next(3000)},${next(20) === 0 ? '否' : '是'},${rating}`,
    );
    if (lines.length >= 50_000) {
      writeSync(fd, lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length > 0) writeSync(fd, lines.join('\n') + '\n');
  closeSync(fd);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-bench-'));
  const file = given ?? keep ?? join(dir, 'conversations.csv');
  try {
    if (!given) writeConversations(file, count);
    const bytes = statSync(file).size;
    const rssBefore = process.resourceUsage().maxRSS;
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    let rows = 0;
    let problems = 0;
    let built = 0;
    for await (const batch of readImport(file, 'conversations', { worker: !inThread })) {
      rows += batch.kind === 'conversations' ? batch.columns.length : batch.rows.length;
      problems += batch.problems.length;
      if (buildRows) built += batch.rows.length;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(
      JSON.stringify({
        rows,
        bytes,
        seconds: Number(seconds.toFixed(3)),
        rows_per_s: Math.round(rows / seconds),
        // CPU time of all threads: steadier than the wall clock on a shared machine.
        cpu_seconds: Number(cpuSeconds.toFixed(3)),
        rows_per_cpu_s: Math.round(rows / cpuSeconds),
        mb_per_s: Number((bytes / 1e6 / seconds).toFixed(1)),
        peak_rss_mb: peakRssMb,
        rss_before_parse_mb: Math.round(rssBefore / 1024),
        problems,
        mode: inThread ? 'in-thread' : 'worker',
        ...(buildRows ? { rows_built: built } : {}),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
