import { describe, expect, it } from 'vitest';
import { parseChatwootDuration, chatwootAgentAccount, readPeriodLine } from './adapters/chatwoot-common.js';
import { parseCnDuration } from './adapters/cn-agent-daily.js';
import { fixture, lines, readAll, tempFile } from './test-support.js';

describe('Chatwoot', () => {
  it('reads the presenter’s durations as lower bounds, -- as none', () => {
    const seconds = (t: string) => {
      const p = parseChatwootDuration(t);
      return p.ok ? p.value : 'bad';
    };
    expect(seconds('12 minutes 5 seconds')).toBe(725);
    expect(seconds('1 hour 2 minutes')).toBe(3720);
    expect(seconds('1 day 1 hour')).toBe(90000);
    expect(seconds('45 seconds')).toBe(45);
    expect(seconds('12 分钟 5 秒')).toBe(725);
    expect(seconds('--')).toBeNull();
    expect(seconds("'--")).toBeNull();
    expect(seconds('12 fortnights')).toBe('bad');
    expect(seconds('soon')).toBe('bad');
  });

  it('reads the period line in English and Chinese, and agents as e-mail', () => {
    expect(readPeriodLine(['Reporting period 2024-05-01 to 2024-05-31'])).toEqual({ from: '2024-05-01', to: '2024-05-31' });
    expect(readPeriodLine(['报告周期 2024-05-01 至 2024-05-31', ''])).toEqual({ from: '2024-05-01', to: '2024-05-31' });
    expect(readPeriodLine(['Alice', '42'])).toBe('not-a-period');
    expect(chatwootAgentAccount('Alice Chen (Alice@Acme.io)')).toBe('alice@acme.io');
    expect(chatwootAgentAccount('Alice Chen')).toBe('Alice Chen');
  });

  it('agent report → agent-period (current, zh_CN and legacy layouts)', async () => {
    const en = await readAll(fixture('chatwoot/agents_report.csv'), 'chatwoot-agents');
    expect(en.problems).toEqual([]);
    expect(en.rows).toEqual([
      {
        row: 4,
        source: 'chatwoot',
        agent: 'Alice Chen',
        from: '2024-05-01',
        to: '2024-05-31',
        conversations: 42,
        resolved: 37,
        avgFirstResponseSeconds: 725,
        avgResolutionSeconds: 12000,
      },
      {
        row: 5,
        source: 'chatwoot',
        agent: 'Bruno Silva',
        from: '2024-05-01',
        to: '2024-05-31',
        conversations: 35,
        resolved: 29,
        avgFirstResponseSeconds: 520,
        avgResolutionSeconds: 93600,
      },
      {
        row: 6,
        source: 'chatwoot',
        agent: 'Chloé Martin',
        from: '2024-05-01',
        to: '2024-05-31',
        conversations: 0,
        resolved: 0,
        avgFirstResponseSeconds: null,
        avgResolutionSeconds: null,
      },
      {
        row: 7,
        source: 'chatwoot',
        agent: 'Lee, Jordan',
        from: '2024-05-01',
        to: '2024-05-31',
        conversations: 3,
        resolved: 3,
        avgFirstResponseSeconds: 45,
        avgResolutionSeconds: 1200,
      },
    ]);
    const zh = await readAll(fixture('chatwoot/agents_report_zh.csv'), 'chatwoot-agents');
    expect(zh.rows[0]).toMatchObject({ agent: '小美', avgFirstResponseSeconds: 725, avgResolutionSeconds: 12000, resolved: 37 });
    const legacy = await readAll(fixture('chatwoot/agents_report_legacy.csv'), 'chatwoot-agents', { source: 'chatwoot-eu' });
    expect(legacy.rows).toEqual([
      {
        row: 2,
        source: 'chatwoot-eu',
        agent: 'Alice Chen',
        from: '2024-05-01',
        to: '2024-05-31',
        conversations: 42,
        resolved: null,
        avgFirstResponseSeconds: 720,
        avgResolutionSeconds: 12000,
      },
    ]);
  });

  it('an agent report without its period line is refused', async () => {
    const file = tempFile('a.csv', 'Agent name,Assigned conversations\nAlice,3\n');
    const { rows, problems } = await readAll(file, 'chatwoot-agents');
    expect(rows).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['missing_column']);
  });

  it('CSAT report → csat: display id from the link, China day, unassigned responses skipped', async () => {
    const { rows, problems } = await readAll(fixture('chatwoot/csat_report.csv'), 'chatwoot-csat');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        row: 2,
        source: 'chatwoot',
        externalId: '1187',
        agent: 'alice@acme.io',
        day: '2024-05-04',
        rating: 5,
        comment: 'Quick and helpful',
      },
      {
        row: 3,
        source: 'chatwoot',
        externalId: '1190',
        agent: 'bruno@acme.io',
        day: '2024-05-04',
        rating: 2,
        comment: 'Took two days, and I had to repeat myself',
      },
    ]);
    expect((await readAll(fixture('chatwoot/csat_report_zh.csv'), 'chatwoot-csat')).rows).toHaveLength(1);
    const bad = tempFile(
      'c.csv',
      'Agent Name,Rating,Link to the conversation,Recorded date,Shoe size\nA (a@b.c),9,https://x/app/accounts/1/inbox,2024-05-03\n',
    );
    expect(lines((await readAll(bad, 'chatwoot-csat')).problems)).toEqual([
      expect.stringMatching(/^1\|Shoe size\|\|unknown column/),
      '2|Rating|9|must be a whole number from 1 to 5',
      '2|Link to the conversation|https://x/app/accounts/1/inbox|must be a link to a Chatwoot conversation (…/conversations/1187)',
      '2|Recorded date|2024-05-03|must be a date and time like 2026-10-08 09:12:33 (China time) or ISO 8601',
    ]);
  });

  it('reporting events → conversations, from one page or several', async () => {
    const one = await readAll(fixture('chatwoot/reporting_events.json'), 'chatwoot-events');
    expect(one.problems).toEqual([]);
    // 5519 has only a bot hand-off and no person: skipped.
    expect(one.rows).toEqual([
      {
        row: 1,
        source: 'chatwoot',
        externalId: '5521',
        agent: '12',
        startedAt: '2024-05-03T21:40:00+08:00',
        firstResponseSeconds: 725,
        handleSeconds: 12000,
        valid: true,
        rating: null,
      },
    ]);
    const pages = await readAll(fixture('chatwoot/reporting_events_pages.jsonl'), 'chatwoot-events');
    expect(pages.rows.map((r) => [(r as { externalId: string }).externalId, (r as { agent: string }).agent])).toEqual([
      ['5521', '12'],
      ['5530', '13'],
    ]);
    expect(pages.batches[0]?.kind).toBe('conversations');
  });

  it('broken events are problems naming the record and field; a truncated file is one problem', async () => {
    const file = tempFile(
      'e.json',
      JSON.stringify({
        payload: [{ id: 1, name: 'first_response', value: -3, conversation_id: 'x', user_id: 1, created_at: 'yesterday' }, 7],
      }),
    );
    expect(lines((await readAll(file, 'chatwoot-events')).problems)).toEqual([
      '1|payload[0].value|-3|must be a number of seconds ≥ 0',
      '1|payload[0].conversation_id|"x"|must be an id (a whole number) or null',
      '1|payload[0].created_at|"yesterday"|must be an ISO 8601 time like 2024-05-03T13:40:00.000Z',
      '2|payload[1]|7|must be a JSON object',
    ]);
    const truncated = await readAll(fixture('bad/reporting-events-truncated.jsonl'), 'chatwoot-events');
    expect(truncated.problems.map((p) => [p.row, p.code])).toEqual([[0, 'bad_file']]);
  });
});

describe('Zendesk', () => {
  it('incremental export → tickets, conversations (messaging) and csat', async () => {
    const { byKind, problems } = await readAll(fixture('zendesk/incremental_tickets_cursor.json'), 'zendesk-tickets');
    expect(problems).toEqual([]);
    expect(byKind.tickets).toEqual([
      { row: 1, source: 'zendesk', externalId: '35436', agent: '235323', day: '2024-05-03', wrong: false },
      { row: 2, source: 'zendesk', externalId: '35437', agent: '235324', day: '2024-05-03', wrong: false },
    ]);
    expect(byKind.conversations).toEqual([
      {
        row: 3,
        source: 'zendesk',
        externalId: '35438',
        agent: '235323',
        startedAt: '2024-05-04T00:30:00+08:00',
        firstResponseSeconds: 42,
        handleSeconds: 1200,
        valid: true,
        rating: 1,
      },
    ]);
    expect(byKind.csat).toEqual([
      { row: 1, source: 'zendesk', externalId: '35436', agent: '235323', day: '2024-05-03', rating: 5, comment: 'Fast, thanks!' },
      { row: 3, source: 'zendesk', externalId: '35438', agent: '235323', day: '2024-05-04', rating: 1, comment: null },
    ]);
  });

  it('pages: a ticket seen again keeps its newest version', async () => {
    const { byKind } = await readAll(fixture('zendesk/incremental_tickets_pages.jsonl'), 'zendesk-tickets');
    expect(byKind.tickets?.map((t) => (t as { externalId: string }).externalId)).toEqual(['35436', '35437']);
    expect(byKind.csat?.[1]).toMatchObject({ externalId: '35437', rating: 5, comment: '谢谢', day: '2024-05-04' });
  });

  it('bad tickets and metric sets are problems', async () => {
    const file = tempFile(
      'z.json',
      JSON.stringify({
        tickets: [{ id: 'abc', created_at: '2024-05-03T09:12:00Z' }],
        metric_sets: [{ ticket_id: 1, reply_time_in_minutes: { calendar: 'x' } }],
      }),
    );
    expect(lines((await readAll(file, 'zendesk-tickets')).problems)).toEqual([
      '1|tickets[0].id|"abc"|must be an id (a whole number)',
      '2|metric_sets[0].reply_time_in_minutes|{"calendar":"x"}|must be {"calendar": minutes, "business": minutes} with numbers ≥ 0 or null',
    ]);
  });
});

describe('Chinese platform daily sheets', () => {
  it('reads durations in the forms platforms write', () => {
    const seconds = (t: string) => {
      const p = parseCnDuration(t);
      return p.ok ? p.value : 'bad';
    };
    expect(seconds('23秒')).toBe(23);
    expect(seconds('1分23秒')).toBe(83);
    expect(seconds('1小时2分')).toBe(3720);
    expect(seconds('0:01:23')).toBe(83);
    expect(seconds('11.2')).toBe(11.2);
    expect(seconds('快')).toBe('bad');
  });

  it('the generic sheet (§3.7): account over nickname, dashes as none', async () => {
    const { rows, problems } = await readAll(fixture('cn/generic-daily.csv'), 'cn-agent-daily', { source: 'feige' });
    expect(problems).toEqual([]);
    expect(rows[0]).toEqual({
      row: 2,
      source: 'feige',
      agent: 'acme旗舰店:小美',
      day: '2024-05-03',
      conversations: 128,
      validConversations: 121,
      avgFirstResponseSeconds: 11.2,
      satisfactionRate: '0.963',
    });
    expect(rows[3]).toMatchObject({ conversations: 0, avgFirstResponseSeconds: null, satisfactionRate: null });
  });

  it('千牛 in GBK with a 合计 row; 飞鸽 XLSX preferring 会话量 over 人数', async () => {
    const qianniu = await readAll(fixture('cn/qianniu-daily-gbk.csv'), 'cn-agent-daily');
    expect(qianniu.problems).toEqual([]);
    expect(qianniu.rows.map((r) => (r as { agent: string }).agent)).toEqual(['acme旗舰店:小美', 'acme旗舰店:阿杰']);
    expect(qianniu.rows[1]).toMatchObject({ satisfactionRate: '0.9286', day: '2024-05-03' });
    const feige = await readAll(fixture('cn/feige-daily.xlsx'), 'cn-agent-daily');
    expect(feige.problems).toEqual([]);
    expect(feige.rows[0]).toMatchObject({
      agent: 'acme抖店:小美',
      conversations: 131,
      avgFirstResponseSeconds: 13,
      satisfactionRate: '0.96',
    });
  });

  it('needs an agent column and a known header', async () => {
    const file = tempFile('x.csv', '日期,接待人数,心情\n2024-05-03,12,好\n');
    expect(lines((await readAll(file, 'cn-agent-daily')).problems)).toEqual([
      expect.stringMatching(/^1\|心情\|\|unknown column/),
      '1|客服账号||missing the agent: a column 客服账号 (or 账号名称, 旺旺) or 客服昵称 (or 客服)',
    ]);
  });
});
