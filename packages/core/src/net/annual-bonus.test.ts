import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fen, formatYuan, yuanToFen } from '../money/fen.js';
import { bonusCliffs, cliffContaining, separateBonusTax } from './annual-bonus.js';
import { parseTaxTables } from './tax-tables.js';

const tables = parseTaxTables(readFileSync(new URL('../../policies/china/individual-income-tax.yaml', import.meta.url), 'utf8'));
const table = tables.annualBonus[0]?.value ?? [];
const tax = (yuan: string) => formatYuan(separateBonusTax(yuanToFen(yuan), table).tax);

describe('annual one-time bonus taxed separately (财税〔2018〕164号)', () => {
  it('divides by 12 only to find the bracket and subtracts the monthly quick deduction once', () => {
    expect(tax('12000')).toBe('360.00');
    expect(tax('36000')).toBe('1080.00');
    expect(tax('36000.01')).toBe('3390.00');
    expect(tax('100000')).toBe('9790.00');
    expect(tax('144000.01')).toBe('27390.00');
    expect(tax('1000000')).toBe('434840.00');
    expect(tax('0')).toBe('0.00');
  });

  it('explains the arithmetic in both languages', () => {
    const result = separateBonusTax(yuanToFen('50000'), table);
    expect(result.explain.zh).toContain('50000.00 × 10% − 210 = 4790.00');
    expect(result.explain.en).toContain('level 2 of the monthly-converted table');
  });

  it('lists the cliffs where a bit more bonus nets less', () => {
    expect(bonusCliffs(table).map((c) => `${formatYuan(c.from)}–${formatYuan(c.to)}`)).toEqual([
      '36000.01–38566.67',
      '144000.01–160500.00',
      '300000.01–318333.33',
      '420000.01–447500.00',
      '660000.01–706538.46',
      '960000.01–1120000.00',
    ]);
  });

  it('makes every bonus strictly inside a cliff net less than the threshold bonus, and the break-even net about as much', () => {
    for (const cliff of bonusCliffs(table)) {
      const net = (amount: number) => amount - separateBonusTax(fen(amount), table).tax;
      expect(net(cliff.threshold)).toBe(cliff.netAtThreshold);
      expect(net(cliff.from)).toBeLessThan(cliff.netAtThreshold);
      expect(net(cliff.to - 1)).toBeLessThan(cliff.netAtThreshold);
      expect(Math.abs(net(cliff.to) - cliff.netAtThreshold)).toBeLessThanOrEqual(1);
      expect(net(cliff.to + 100)).toBeGreaterThan(cliff.netAtThreshold);
    }
  });

  it('finds the cliff a bonus is in', () => {
    const cliffs = bonusCliffs(table);
    expect(cliffContaining(yuanToFen('37000'), cliffs)?.threshold).toBe(yuanToFen('36000'));
    expect(cliffContaining(yuanToFen('36000'), cliffs)).toBeUndefined();
    expect(cliffContaining(yuanToFen('38566.68'), cliffs)).toBeUndefined();
  });

  it('never lowers the tax as the bonus rises (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000_000 }), fc.integer({ min: 0, max: 5_000_000 }), (amount, more) => {
        expect(separateBonusTax(fen(amount + more), table).tax).toBeGreaterThanOrEqual(separateBonusTax(fen(amount), table).tax);
      }),
    );
  });
});
