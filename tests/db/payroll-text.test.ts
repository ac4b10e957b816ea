import type { Month } from '@ladder/core';
import { expect, it } from 'vitest';
import { computeRun, runPayslips } from '../../packages/server/src/services/payroll/runs.js';
import { addPolicyVersion, defaultPolicyText } from '../../packages/server/src/services/policies.js';
import { seedSpecExamples, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

const OCT = '2026-10' as Month;
// Backslashes, tabs, line breaks and quotes are what bulk paths (JSON texts, COPY) must escape.
const AWKWARD = 'A\\B\tC\nD\r\\N "引号" 中级';

describeStores('payroll text written exactly', (context) => {
  it('stores explanations with backslashes, tabs and line breaks as they are', async () => {
    const ctx = testContext(context.store);
    await seedSpecExamples(ctx, OCT);
    const policy = defaultPolicyText()
      .replace('effectiveFrom: 2017-01-01', 'effectiveFrom: 2026-01-01')
      .replace('{ zh: 中级客服, en: intermediate }', `{ zh: ${JSON.stringify(AWKWARD)}, en: ${JSON.stringify(AWKWARD)} }`);
    await addPolicyVersion(context.store.db, ctx, policy, 'a level name with awkward characters');
    await computeRun(ctx, OCT);
    const [e001] = await runPayslips(context.store.db, OCT, 'E001');
    const performance = e001?.lines.find((line) => line.code === 'performance');
    expect(performance?.explain.zh).toContain(`等级加分(${AWKWARD})`);
    expect(performance?.explain.en).toContain(`level bonus (${AWKWARD})`);
    expect(e001?.lines.find((line) => line.code === 'base')?.explain.zh).toContain(AWKWARD);
  });
});
