import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLark, type FakeLark } from '../helpers/fakeLark.js';
import { messageEvent, postLark, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../helpers/larkEvents.js';
import { runTs, startServer } from '../helpers/spawnNode.js';

// Two servers (`npm start`) and the operator CLI as real processes on one database file, while a
// burst of signed, encrypted events arrives at both servers. Every event Lark was told we have
// (a 200) must be stored, processed, and answered exactly once.

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const MIN_EVENTS = 120;
const MAX_EVENTS = 6_000;

describe('one database file, several processes', () => {
  it('two servers and the CLI during a burst: acknowledged = stored = replied once', async () => {
    const fake: FakeLark = await startFakeLark({ perAppPerSecond: 1000, perTargetPerSecond: 1000 });
    cleanup.push(() => fake.close());
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'minsheng-mp-')), 'shared.db')}`;
    const env = {
      DATABASE_URL: url,
      LOG_LEVEL: 'info',
      LARK_APP_ID: fake.appId,
      LARK_APP_SECRET: fake.appSecret,
      LARK_BASE_URL: fake.url,
      LARK_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
      LARK_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
      MINSHENG_NOW: '2024-10-28T10:00:00+08:00',
    };
    // The first start creates the file and migrates it; the second finds it ready.
    const a = await startServer(env);
    cleanup.push(async () => {
      a.child.kill('SIGTERM');
      await a.exited;
    });
    const b = await startServer(env);
    cleanup.push(async () => {
      b.child.kill('SIGTERM');
      await b.exited;
    });
    const servers = [a, b].map((s) => `http://127.0.0.1:${s.port}`);

    // The CLI writes a year of demo reports, then a console conversation, while the burst runs.
    let cliDone = false;
    const cli = (async () => {
      const demo = await runTs('src/runtime/cli.ts', ['demo', '--until', '2024-10-25'], env);
      const chat = await runTs(
        'src/runtime/cli.ts',
        ['chat', '--as', '市住房城乡建委'],
        env,
        '截至10月25日，新开工改造城镇老旧小区1700个\n本周新增15个\n',
      );
      cliDone = true;
      return { demo, chat };
    })();

    const acked: Array<{ eventId: string; messageId: string }> = [];
    const refused: number[] = [];
    // Ten at a time, alternating servers, as Lark's pushes would arrive (paced: about 200 a second at
    // most; unpaced, the acks outran the CLI and the cap was reached before it finished), for as
    // long as the CLI runs (and at least MIN_EVENTS), so the burst overlaps the CLI's writes.
    let sent = 0;
    for (; (sent < MIN_EVENTS || !cliDone) && sent < MAX_EVENTS; sent += 10) {
      const events = Array.from({ length: 10 }, (_, i) =>
        messageEvent({ text: `本周新增助餐点${sent + i + 1}个`, senderOpenId: `ou_burst_${(sent + i) % 7}` }),
      );
      await Promise.all(
        events.map(async (ev, j) => {
          const res = await postLark(servers[j % 2]!, ev, { encryptKey: TEST_ENCRYPT_KEY });
          const header = ev.header as { event_id: string };
          const message = (ev.event as { message: { message_id: string } }).message;
          if (res.status === 200) acked.push({ eventId: header.event_id, messageId: message.message_id });
          else refused.push(res.status);
        }),
      );
      await new Promise((r) => setTimeout(r, 50));
    }
    const { demo, chat } = await cli;
    expect(demo.stderr).not.toMatch(/SQLITE_BUSY|database is locked/);
    expect(demo.code).toBe(0);
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('已记录');

    // A refusal (500) would be retried by Lark and is not a loss; none is expected.
    expect(refused).toEqual([]);
    expect(acked).toHaveLength(sent);
    expect(sent).toBeLessThan(MAX_EVENTS);
    const EVENTS = sent;

    // Wait until every acknowledged message has its reply at the fake, or until no new reply has
    // come for 20 s (the replies go out within Lark's rate limits: thousands take a while, and the
    // faster the acks, the more events the burst holds).
    const want = new Set(acked.map((e) => e.messageId));
    const replied = () => fake.messages.filter((m) => m.kind === 'reply' && want.has(m.target));
    const answered = () => new Set(replied().map((m) => m.target)).size;
    for (let last = -1, still = 0; answered() < want.size && still < 20_000; ) {
      await new Promise((r) => setTimeout(r, 100));
      const now = answered();
      still = now === last ? still + 100 : 0;
      last = now;
    }

    const client = createClient({ url });
    cleanup.push(() => client.close());
    const ids = acked.map((e) => `'${e.eventId}'`).join(',');
    const stored = await client.execute(
      `select status, count(*) n from processed_events where event_id in (${ids}) group by status`,
    );
    expect(stored.rows.map((r) => [r.status, Number(r.n)])).toEqual([['done', EVENTS]]);
    const outboxRows = await client.execute(
      `select target, count(*) n from outbox where kind = 'reply' and target in (${acked.map((e) => `'${e.messageId}'`).join(',')}) group by target`,
    );
    expect(outboxRows.rows).toHaveLength(EVENTS);
    expect(outboxRows.rows.every((r) => Number(r.n) === 1)).toBe(true);
    const perMessage = new Map<string, number>();
    for (const m of replied()) perMessage.set(m.target, (perMessage.get(m.target) ?? 0) + 1);
    expect(perMessage.size).toBe(EVENTS);
    expect([...perMessage.values()].every((n) => n === 1)).toBe(true);
    // Nothing in either server's log says a write failed.
    expect([...a.lines, ...b.lines].filter((l) => /SQLITE_BUSY|lark_request_failed|lark_event_retry/.test(l))).toEqual(
      [],
    );
  }, 600_000);
});
