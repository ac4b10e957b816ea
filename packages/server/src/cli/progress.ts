/**
 * Progress of long work on a terminal: a bar redrawn in place on a TTY, a line every 10% otherwise
 * (logs, CI). Imports count megabytes and rows; payroll runs count slices and payslips.
 */
import type { ImportProgress } from '../ingest/types.js';
import type { RunProgress } from '../services/payroll/runs.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  label?: string;
  now?: () => number;
  /** On a TTY, the bar is redrawn at most this often (ms). */
  interval?: number;
}

/** Where some work is: the share done (0…1) and what to say about it. */
interface Reading {
  fraction: number;
  summary: string;
}

export interface Meter<P> {
  /** Pass as `onProgress`. */
  update: (p: P) => void;
  /** Draws the final state and ends the line. */
  done: () => void;
}

function meter<P>(stream: ProgressStream, options: ProgressOptions, read: (p: P, seconds: number) => Reading, initial: P): Meter<P> {
  const now = options.now ?? (() => performance.now());
  const label = options.label ?? 'progress';
  const interval = options.interval ?? 100;
  const started = now();
  let last = initial;
  let drawnAt = -Infinity;
  let nextStep = 10;
  let finished = false;

  const reading = (p: P, complete = false) => {
    const r = read(p, (now() - started) / 1000);
    return { percent: complete ? 100 : Math.min(100, Math.max(0, r.fraction * 100)), summary: r.summary };
  };
  const draw = (p: P, complete = false) => {
    const { percent, summary } = reading(p, complete);
    const text = `${label} ${percent.toFixed(0).padStart(3)}% ${summary}`;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - text.length - 4));
    const filled = Math.round((percent / 100) * width);
    stream.write(`\r\x1b[K${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${percent.toFixed(0).padStart(3)}% ${summary}`);
  };

  return {
    update(p) {
      last = p;
      if (finished) return;
      if (stream.isTTY) {
        const t = now();
        if (t - drawnAt >= interval) {
          drawnAt = t;
          draw(p);
        }
        return;
      }
      const { percent, summary } = reading(p);
      if (percent >= nextStep) {
        while (nextStep <= percent) nextStep += 10;
        stream.write(`${label}: ${Math.floor(percent / 10) * 10}% (${summary})\n`);
      }
    },
    done() {
      if (finished) return;
      finished = true;
      if (stream.isTTY) {
        draw(last, true);
        stream.write('\n');
      } else if (nextStep <= 100) {
        stream.write(`${label}: 100% (${reading(last, true).summary})\n`);
      }
    },
  };
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

export type ProgressBar = Meter<ImportProgress>;

/** An import's progress: bytes read of the file, rows and rows per second. */
export function progressBar(stream: ProgressStream = process.stderr, options: ProgressOptions = {}): ProgressBar {
  return meter<ImportProgress>(
    stream,
    { label: 'import', ...options },
    (p, seconds) => ({
      fraction: p.totalBytes > 0 ? p.bytes / p.totalBytes : 0,
      summary: `${mb(p.bytes)}/${mb(p.totalBytes)} MB, ${thousands(p.rows)} rows${p.rows > 0 && seconds > 0 ? `, ${thousands(p.rows / seconds)} rows/s` : ''}`,
    }),
    { bytes: 0, totalBytes: 0, rows: 0 },
  );
}

/** A payroll run's progress: the share of its people done, and payslips computed. */
export function runProgressBar(stream: ProgressStream = process.stderr, options: ProgressOptions = {}): Meter<RunProgress> {
  return meter<RunProgress>(
    stream,
    { label: 'payroll', ...options },
    (p, seconds) => ({
      fraction: p.share,
      summary: `${thousands(p.payslips)} 张工资单 payslips${p.payslips > 0 && seconds > 0 ? `, ${thousands(p.payslips / seconds)}/s` : ''}`,
    }),
    { slices: 0, totalSlices: 0, payslips: 0, share: 0 },
  );
}
