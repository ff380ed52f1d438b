import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import { messageEvent, postLark, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../helpers/larkEvents.js';
import { startServer } from '../helpers/spawnNode.js';
import { sql } from 'drizzle-orm';
import { parseConfig } from '../../src/config.js';
import { memoryLogger } from '../../src/logger.js';
import { startNodeServer } from '../../src/runtime/node.js';

// `npm start` acknowledges an event once it is in the accept log; the processing thread moves it
// into the inbox. A server killed outright (SIGKILL: no shutdown code runs) must lose none of the
// events it acknowledged: the next start finds its log and processes every one.

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe('accept log across a crash', () => {
  it('SIGKILL right after the acks: the next start stores and processes every acknowledged event, and the log is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minsheng-crash-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const url = `file:${join(dir, 'm.db')}`;
    const env = {
      DATABASE_URL: url,
      LOG_LEVEL: 'info',
      LARK_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
      LARK_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    };
    const a = await startServer(env);
    const base = `http://127.0.0.1:${a.port}`;
    const events = Array.from({ length: 40 }, (_, i) =>
      messageEvent({ text: `帮助 ${i}`, senderOpenId: `ou_c_${i % 4}` }),
    );
    const statuses = await Promise.all(events.map((ev) => postLark(base, ev, { encryptKey: TEST_ENCRYPT_KEY })));
    expect(statuses.map((r) => r.status)).toEqual(events.map(() => 200));
    a.child.kill('SIGKILL');
    await a.exited;

    const b = await startServer(env);
    cleanup.push(async () => {
      b.child.kill('SIGKILL');
      await b.exited;
    });
    const client = createClient({ url });
    cleanup.push(() => client.close());
    const ids = events.map((ev) => `'${(ev.header as { event_id: string }).event_id}'`).join(',');
    const done = async () =>
      Number(
        (await client.execute(`select count(*) n from processed_events where event_id in (${ids}) and status = 'done'`))
          .rows[0]!.n,
      );
    // Wait on the outcome, not a clock: every acknowledged event processed (or the test's timeout).
    while ((await done()) < events.length) await new Promise((r) => setTimeout(r, 100));
    expect(await done()).toBe(events.length);
    // The killed server's segments were moved and deleted by the new start.
    const logDir = `${join(dir, 'm.db')}-acklog`;
    expect(readdirSync(logDir).filter((f) => f.startsWith(`${a.child.pid}.`))).toEqual([]);

    // A clean stop moves the rest and leaves no log behind.
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(readdirSync(logDir)).toEqual([]);
  }, 120_000);

  it('the processing thread dies: the log is closed for others to move, and later events go straight into the inbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minsheng-thread-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = parseConfig({
      PORT: '0',
      DATABASE_URL: `file:${join(dir, 'm.db')}`,
      LARK_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
      LARK_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
      LOG_LEVEL: 'debug',
    });
    const start = async () => {
      const log = memoryLogger();
      const s = await startNodeServer(config, { log, processing: 'thread', scheduler: false, sweepIntervalMs: 0 });
      await s.recovered;
      return Object.assign(s, { log });
    };
    const a = await start();
    cleanup.push(() => a.close());
    const before = messageEvent({ text: '帮助', senderOpenId: 'ou_t_1' });
    expect((await postLark(a.url, before, { encryptKey: TEST_ENCRYPT_KEY })).status).toBe(200);
    await a.processor!.kill();
    expect(a.log.lines.some((l) => l.includes('accept_log_closed'))).toBe(true);
    // Acknowledged after the thread died: in the inbox at once, nobody here to process it.
    const after = messageEvent({ text: '帮助', senderOpenId: 'ou_t_2' });
    expect((await postLark(a.url, after, { encryptKey: TEST_ENCRYPT_KEY })).status).toBe(200);
    const id = (ev: Record<string, unknown>) => (ev.header as { event_id: string }).event_id;
    const status = async (eventId: string) =>
      (await a.deps.db.all<{ status: string }>(sql`select status from processed_events where event_id = ${eventId}`))[0]
        ?.status;
    expect(await status(id(after))).toBe('pending');

    // Another server on the file moves the closed log and processes both.
    const b = await start();
    cleanup.push(() => b.close());
    while ((await status(id(before))) !== 'done' || (await status(id(after))) !== 'done')
      await new Promise((r) => setTimeout(r, 50));
    expect([await status(id(before)), await status(id(after))]).toEqual(['done', 'done']);
  }, 60_000);
});
