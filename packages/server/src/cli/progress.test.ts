import { describe, expect, it } from 'vitest';
import { progressBar, runProgressBar } from './progress.js';

describe('progress', () => {
  it('prints a line every 10% when not on a terminal', () => {
    const out: string[] = [];
    let t = 0;
    const bar = progressBar({ write: (s: string) => out.push(s) }, { label: 'attendance.csv', now: () => (t += 1000) });
    for (let b = 0; b <= 100; b += 5) bar.update({ bytes: b * 1_048_576, totalBytes: 100 * 1_048_576, rows: b * 1000 });
    bar.done();
    expect(out).toHaveLength(10);
    expect(out[0]).toMatch(/^attendance.csv: 10% \(10\.0\/100\.0 MB, 10,000 rows, [\d,]+ rows\/s\)\n$/);
    expect(out[9]).toMatch(/^attendance.csv: 100% /);
  });

  it('redraws a bar in place on a terminal, at most every interval', () => {
    const out: string[] = [];
    let t = 0;
    const bar = progressBar({ write: (s: string) => out.push(s), isTTY: true, columns: 100 }, { now: () => (t += 30) });
    for (let b = 1; b <= 10; b++) bar.update({ bytes: b, totalBytes: 10, rows: b });
    bar.done();
    expect(out.length).toBeLessThan(10);
    expect(out.every((s) => s === '\n' || s.startsWith('\r\x1b[K'))).toBe(true);
    expect(out.at(-2)).toContain('100%');
    expect(out.at(-1)).toBe('\n');
  });
});

describe('payroll progress', () => {
  it('shows the share of the run done and says how many payslips', () => {
    const out: string[] = [];
    let t = 0;
    const bar = runProgressBar({ write: (s: string) => out.push(s) }, { label: '2026-10', now: () => (t += 500) });
    // Four slices, the last two a quarter of the others: the share is the run's, not the count of slices.
    const shares = [0.4, 0.8, 0.9, 1];
    shares.forEach((share, i) => bar.update({ slices: i + 1, totalSlices: 4, payslips: (i + 1) * 5000, share }));
    bar.done();
    expect(out[0]).toMatch(/^2026-10: 40% \(5,000 张工资单 payslips, [\d,]+\/s\)\n$/);
    expect(out.map((line) => line.split(':')[1]?.trim().split(' ')[0])).toEqual(['40%', '80%', '90%', '100%']);
    expect(out.at(-1)).toContain('20,000 张工资单 payslips');
  });

  it('ends at 100% on a terminal even when the last slice was never reported', () => {
    const out: string[] = [];
    const bar = runProgressBar({ write: (s: string) => out.push(s), isTTY: true, columns: 100 }, { now: () => 0 });
    bar.update({ slices: 1, totalSlices: 3, payslips: 10, share: 0.4 });
    bar.done();
    expect(out.at(-2)).toContain('100%');
    expect(out.at(-1)).toBe('\n');
  });
});
