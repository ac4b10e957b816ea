/** `ladder qa …` as the team runs it, against a real database on each dialect (in-process: main.ts wires it). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Month } from '@ladder/core';
import ExcelJS from 'exceljs';
import { afterAll, expect, it } from 'vitest';
import { runQaCommand } from '../../packages/server/src/cli/commands/qa.js';
import { CliError } from '../../packages/server/src/cli/errors.js';
import { addConversations, seedQaPeople, withQaTables } from '../../packages/server/src/services/qa/test-support.js';
import { seedSpecExamples, testContext } from '../support/seed.js';
import { describeStores } from '../support/stores.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ladder-qa-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStores('ladder qa', (context) => {
  const qa = (...args: string[]) => runQaCommand(args, { cwd: dir, actor: 'nobody', databaseUrl: context.store.location });
  const refused = async (...args: string[]): Promise<string[]> => {
    try {
      await qa(...args);
    } catch (error) {
      if (error instanceof CliError) {
        expect(error.exitCode).toBe(2);
        return [...error.lines];
      }
      throw error;
    }
    throw new Error('expected a refusal');
  };

  it('samples, inspects and publishes from the command line', async () => {
    await withQaTables(context.store);
    const ctx = testContext(context.store, 'hr.li');
    await seedSpecExamples(ctx, '2026-10' as Month);
    await seedQaPeople(ctx, false);
    await addConversations(context.store, 'E001', '2026-10-12', 2);

    expect(await qa('help')).toContain('ladder qa');
    expect(await refused('sample', '--date', '2026-10-12', '--as', 'E001')).toEqual([expect.stringContaining('only qa_manager')]);
    const sample = await qa('sample', '--date', '2026-10-12', '--as', 'qam.wu');
    expect(sample).toMatch(/E001\s+2\/2/);
    const list = JSON.parse(await qa('inspections', '--date', '2026-10-12', '--format', 'json', '--as', 'qam.wu')) as {
      id: number;
      inspector: string;
    }[];
    expect(list).toHaveLength(2);
    const { id, inspector } = list[0] as { id: number; inspector: string };
    await qa('inspection', 'start', String(id), '--as', inspector);
    expect(await refused('score', String(id), 'rude_emoji', '--hit', '--as', inspector)).toEqual([
      expect.stringContaining('the item results are invalid'),
      '  items[0].item: "rude_emoji" is not an item of scorecard service version 2017.1, in force on 2026-10-12',
    ]);
    expect(await qa('score', String(id), 'slow_reply', '--hit', '--count', '2', '--evidence', 'msg#3', '--as', inspector)).toBe(
      `#${id}: slow_reply ×2\n`,
    );
    const shown = await qa('inspection', 'show', String(id), '--as', inspector);
    expect(shown).toMatch(/slow_reply\s+✓\s+2\s+0\.5\s+msg#3/);
    await qa('inspection', 'submit', String(id), '--as', inspector);
    expect(await refused('inspection', 'publish', String(id), '--as', inspector)).toEqual([
      'only QA manager, CS manager may publish the inspection',
      '  只有质检经理、客服经理可以「发布质检结果」',
    ]);
    const published = await qa('inspection', 'publish', String(id), '--as', 'qam.wu');
    expect(published).toContain('published');
    expect(published).toContain('= 1 分');
    expect(await refused('score', 'desk:nope', 'slow_reply', '--hit', '--as', inspector)).toEqual([
      expect.stringContaining('no conversation desk:nope'),
    ]);
  });

  it('prints the daily report and the weekly board as a table, JSON and XLSX', async () => {
    const table = await qa('report', 'daily', '--team', 'T1', '--date', '2026-10-16', '--as', 'lead.zhao');
    expect(table).toContain('T1 组质检日报 · 2026-10-16');
    // E001: 10 + 1 (QA) + 8 = 19 → ≤ 20, coefficient 1.2, 1 point left; projected 2000×1.2+50+30+100+50+100−20 = 2710 → 1355.00.
    expect(table).toMatch(/E001\s+张伟\s+0\s+0\s+0\s+19\s+≤ 20\s+1\.2\s+1\s+1355\.00/);
    const json = JSON.parse(
      await qa('report', 'daily', '--team', 'T1', '--date', '2026-10-16', '--format', 'json', '--lang', 'en', '--as', 'lead.zhao'),
    );
    expect(json.agents[0]).toMatchObject({ employeeNo: 'E001', band: { pointsToNextBand: '1' }, projected: { performancePay: '1355.00' } });
    const out = path.join(dir, `daily-${context.dialect}.xlsx`);
    expect(
      await qa('report', 'daily', '--team', 'T1', '--date', '2026-10-16', '--format', 'xlsx', '--out', out, '--as', 'qam.wu'),
    ).toContain(out);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets[0]?.name).toBe('日报 T1 2026-10-16');
    expect(await refused('report', 'daily', '--team', 'T1', '--date', '2026-10-16', '--as', 'lead.qian')).toEqual([
      expect.stringContaining('does not lead T1'),
    ]);

    const boardTable = await qa('board', 'weekly', '--week', '2026-W42', '--as', 'E002');
    expect(boardTable).toContain('质检榜单 2026-W42(2026-10-12 – 2026-10-18)');
    expect(boardTable).toMatch(/1\s+E001\s+张伟\s+T1\s+9\s+1\s+1\s+0\s+服务明星 service star/);
    expect(await refused('board', 'weekly', '--week', '2026-W99', '--as', 'E002')).toEqual([
      expect.stringContaining('expected an ISO week'),
    ]);
  });

  it('reports refusals one line each, with exit status 2', async () => {
    const lines = await refused('dispute', 'decide', '999', '--outcome', 'overturned', '--reason', 'x', '--as', 'qam.wu');
    expect(lines).toEqual(['no dispute #999']);
    expect(await refused('dispute', 'decide', '1', '--outcome', 'maybe', '--reason', 'x', '--as', 'qam.wu')).toEqual([
      '--outcome must be one of upheld, overturned, changed, got maybe',
    ]);
    expect(await refused('users', 'grant', 'x', 'director', '--as', 'E001')).toEqual([
      'only an admin grants or revokes roles; E001 is not one',
    ]);
    expect(await refused('bogus', '--as', 'E001')).toEqual(['unknown qa command: bogus', 'run `ladder qa help` for usage']);
    expect(await refused('blockers', '2026-13', '--as', 'hr.li')).toEqual(['expected a month YYYY-MM, got "2026-13"']);
    expect(await qa('blockers', '2026-10', '--as', 'hr.li')).toBe('无 none\n');
  });
});
