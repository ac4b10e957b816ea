import { describe, expect, it } from 'vitest';
import { flat } from './line.js';

describe('flat', () => {
  it('gives the same text as the template literal it replaces', () => {
    const cases: string[][] = [[], ['a'], ['', ''], ['一', 'two', '三'], ['x'.repeat(1000), '绩效', '']];
    for (const values of cases) {
      const [a = '', b = '', c = ''] = values;
      expect(flat`总分 = ${a}= ${b} 元${c}`).toBe(`总分 = ${a}= ${b} 元${c}`);
    }
    expect(flat`no values`).toBe('no values');
    expect(flat`${'only'}`).toBe('only');
  });
});
