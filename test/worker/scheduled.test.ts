import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/runtime/worker.js';

const DB = (env as unknown as { DB: D1Database }).DB;

async function tick(iso: string): Promise<void> {
  const ctrl = createScheduledController({ scheduledTime: Date.parse(iso), cron: '*/5 * * * *' });
  const ctx = createExecutionContext();
  await worker.scheduled(ctrl, env as never, ctx);
  await waitOnExecutionContext(ctx);
}

describe('scheduled() in workerd', () => {
  it('the tick at Monday 09:00 (01:00 UTC) enqueues the digest into D1 for a subscribed chat, once', async () => {
    await tick('2024-10-28T00:55:00Z'); // seeds the catalog; nothing due yet
    await DB.prepare("insert into chats (chat_id, name, projects) values ('oc_leaders', '领导群', '[1,13]')").run();
    await DB.prepare(
      "insert into reports (message_id, sender_open_id, org, text, status) values ('om_w1', 'ou_zj', '市住房城乡建委', '1-1：1402', 'recorded')",
    ).run();
    await DB.prepare(
      "insert into report_items (report_id, year, metric_id, value, mode, scope, as_of, reporter_open_id, org, created_at) values (1, 2024, '1-1', 1402, 'cumulative', 'city', '2024-10-25', 'ou_zj', '市住房城乡建委', 1729821600000)",
    ).run();
    await tick('2024-10-28T01:00:00Z');
    await tick('2024-10-28T01:05:00Z');
    const rows = await DB.prepare("select target, msg_type, content from outbox where target = 'oc_leaders'").all<{
      target: string;
      msg_type: string;
      content: string;
    }>();
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]!.msg_type).toBe('interactive');
    const card = JSON.parse(rows.results[0]!.content) as {
      schema: string;
      body: { elements: Array<{ tag: string; content?: string }> };
    };
    expect(card.schema).toBe('2.0');
    expect(JSON.stringify(card)).toContain('1402/1835');
    const run = await DB.prepare(
      "select status from job_runs where job = 'weekly-digest' and period_key = '2024-10-28'",
    ).first<{ status: string }>();
    expect(run?.status).toBe('done');
  });
});
