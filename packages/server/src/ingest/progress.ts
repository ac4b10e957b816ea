/** A progress indication for imports on a terminal: a bar on a TTY, a line every 10% otherwise. */
import type { ImportProgress } from './types.js';

export interface ProgressBar {
  /** Pass as `onProgress`. */
  update: (p: ImportProgress) => void;
  /** Draws the final state and ends the line. */
  done: () => void;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');

export function progressBar(
  stream: ProgressStream = process.stderr,
  options: { label?: string; now?: () => number; interval?: number } = {},
): ProgressBar {
  const now = options.now ?? (() => performance.now());
  const label = options.label ?? 'import';
  const interval = options.interval ?? 100;
  const started = now();
  let last: ImportProgress = { bytes: 0, totalBytes: 0, rows: 0 };
  let drawnAt = -Infinity;
  let nextStep = 10;
  let finished = false;

  const percent = (p: ImportProgress) => (p.totalBytes > 0 ? Math.min(100, (p.bytes / p.totalBytes) * 100) : 0);
  const rate = (p: ImportProgress) => {
    const seconds = (now() - started) / 1000;
    return seconds > 0 ? p.rows / seconds : 0;
  };
  const summary = (p: ImportProgress) =>
    `${mb(p.bytes)}/${mb(p.totalBytes)} MB, ${thousands(p.rows)} rows${p.rows > 0 ? `, ${thousands(rate(p))} rows/s` : ''}`;

  const draw = (p: ImportProgress) => {
    const pct = percent(p);
    const text = `${label} ${pct.toFixed(0).padStart(3)}% ${summary(p)}`;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - text.length - 4));
    const filled = Math.round((pct / 100) * width);
    stream.write(`\r\x1b[K${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${pct.toFixed(0).padStart(3)}% ${summary(p)}`);
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
      const pct = percent(p);
      if (pct >= nextStep) {
        while (nextStep <= pct) nextStep += 10;
        stream.write(`${label}: ${Math.floor(pct / 10) * 10}% (${summary(p)})\n`);
      }
    },
    done() {
      if (finished) return;
      finished = true;
      if (stream.isTTY) {
        draw({ ...last, bytes: Math.max(last.bytes, last.totalBytes) });
        stream.write('\n');
      } else if (nextStep <= 100) {
        stream.write(`${label}: 100% (${summary({ ...last, bytes: Math.max(last.bytes, last.totalBytes) })})\n`);
      }
    },
  };
}
