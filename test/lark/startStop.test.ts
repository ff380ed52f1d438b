import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../src/bootstrap.js';
import { insertEvent } from '../../src/db/inboxRepo.js';
import { openNodeDb } from '../../src/runtime/openNodeDb.js';
import { startFakeLark } from '../helpers/fakeLark.js';
import { messageEvent } from '../helpers/larkEvents.js';
import { startServer } from '../helpers/spawnNode.js';
import { removeDb, startTestServer, tempDbUrl } from '../helpers/testServer.js';

const root = resolve(import.meta.dirname, '../..');
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe('starting and stopping', () => {
  it('SIGTERM while the server is still starting: it finishes starting, stops, and exits 0', async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'minsheng-sig-')), 'm.db')}`;
    // node with tsx's loader in-process (as a compiled start would be): no tsx parent relaying the
    // signal, which hid a missing handler.
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'src/runtime/node.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', DATABASE_URL: url },
    });
    const lines: string[] = [];
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // The first line (local mode) is written before the server listens: signal right then.
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      lines.push(...d.toString().split('\n').filter(Boolean));
      if (!signalled && lines.some((l) => l.includes('"local_mode"'))) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => lines.push(d.toString()));
    expect(await exited).toBe(0);
    expect(signalled).toBe(true);
    const codes = lines.map((l) => {
      try {
        return (JSON.parse(l) as { code: string }).code;
      } catch {
        return l;
      }
    });
    expect(codes.indexOf('local_mode')).toBeLessThan(codes.indexOf('shutting_down'));
    expect(codes.at(-1)).toBe('stopped');
  }, 60_000);

  it('MINSHENG_NOW resumes after the last stored time: what a long previous run received is recovered at once', async () => {
    const fake = await startFakeLark();
    cleanup.push(() => fake.close());
    const dbUrl = tempDbUrl();
    cleanup.push(() => removeDb(dbUrl));
    const env = { MINSHENG_NOW: '2024-10-28T10:00:00+08:00' };
    const a = await startTestServer({ fake, dbUrl, env });
    const pinned = Date.parse(env.MINSHENG_NOW);
    // The previous run had been up three hours when it acknowledged this event, then died.
    const ev = messageEvent({ text: '帮助' });
    const eventId = (ev.header as { event_id: string }).event_id;
    const late = pinned + 3 * 3600_000;
    expect(
      await insertEvent(
        a.deps.db,
        {
          eventId,
          eventType: 'im.message.receive_v1',
          payload: JSON.stringify({ schema: '2.0', eventId, eventType: 'im.message.receive_v1', event: ev.event }),
        },
        late,
      ),
    ).toBe(true);
    await a.abandon();

    const b = await startTestServer({ fake, dbUrl, env });
    cleanup.push(() => b.close());
    // Time continued from the last stored instant rather than restarting at MINSHENG_NOW…
    expect(b.deps.clock.now().getTime()).toBeGreaterThan(late);
    // …so the start-up pass took the event (not "in the future") and answered it.
    const [row] = await b.deps.db.all<{ status: string }>(
      (await import('drizzle-orm')).sql`select status from processed_events where event_id = ${eventId}`,
    );
    expect(row?.status).toBe('done');
    await b.queue.drain();
  });
});

describe('stopping with a backlog', () => {
  it('SIGTERM in the middle of one chat’s long backlog: the server stops after the event in hand, the rest stays pending', async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'minsheng-backlog-')), 'm.db')}`;
    const { db, client } = await openNodeDb(url);
    await prepareDatabase(db, {});
    // 2,000 messages of one chat, acknowledged a minute ago and never processed (a crash): the
    // start-up sweep takes them, and the chat's lease holder drains the chat oldest-first.
    const at = Date.now() - 60_000;
    for (let i = 0; i < 2000; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) => {
          const ev = messageEvent({ text: '帮助', chatId: 'oc_backlog', chatType: 'group' });
          const eventId = (ev.header as { event_id: string }).event_id;
          return insertEvent(
            db,
            {
              eventId,
              eventType: 'im.message.receive_v1',
              payload: JSON.stringify({ schema: '2.0', eventId, eventType: 'im.message.receive_v1', event: ev.event }),
              chatId: 'oc_backlog',
              sentAt: at + i + j,
            },
            at + i + j,
          );
        }),
      );
    }
    const count = async (status: string) =>
      Number(
        (await client.execute({ sql: 'select count(*) n from processed_events where status = ?', args: [status] }))
          .rows[0]!.n,
      );
    expect(await count('pending')).toBe(2000);
    const srv = await startServer({ DATABASE_URL: url });
    // Wait for processing to be under way (events done), then stop.
    while ((await count('done')) < 5) await new Promise((r) => setTimeout(r, 50));
    srv.child.kill('SIGTERM');
    expect(await srv.exited).toBe(0);
    const left = await count('pending');
    client.close();
    // Stopped early (draining the whole chat first would leave nothing), and said so.
    expect(left).toBeGreaterThan(1000);
    const leftLine = srv.lines.find((l) => l.includes('"events_left_in_inbox"'));
    expect(leftLine && (JSON.parse(leftLine) as { count: number }).count).toBe(left);
  }, 120_000);
});
