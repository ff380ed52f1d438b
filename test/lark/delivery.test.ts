import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { outbox, reports } from '../../src/db/schema.js';
import { FetchLarkApi } from '../../src/lark/FetchLarkApi.js';
import type { OutgoingMessage } from '../../src/lark/LarkApi.js';
import { defaultRateLimits, RateLimiter } from '../../src/lark/RateLimiter.js';
import { SdkLarkApi } from '../../src/lark/SdkLarkApi.js';
import { deliverOutbox } from '../../src/outbox/deliverOutbox.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { startFakeLark, type FakeLark } from '../helpers/fakeLark.js';
import { removeDb, startTestServer, type TestServer } from '../helpers/testServer.js';

// Delivery as Lark misbehaves: answers that are not Lark's, calls that hang, a busy group, an
// outage of hours (on an injected clock). Both LarkApi implementations, the fake Lark over HTTP.

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setUp(
  api: 'sdk' | 'fetch',
  o: { clock?: ReturnType<typeof manualClock> } = {},
): Promise<{ fake: FakeLark; s: TestServer }> {
  const fake = await startFakeLark();
  // With an injected clock the rate limiter runs on it too (hours pass between calls, not 250 ms).
  const clock = o.clock;
  const lark = clock
    ? new (api === 'sdk' ? SdkLarkApi : FetchLarkApi)({
        appId: fake.appId,
        appSecret: fake.appSecret,
        baseUrl: fake.url,
        timeoutMs: 5_000,
        limiter: new RateLimiter(defaultRateLimits, () => clock.now().getTime()),
      })
    : undefined;
  const s = await startTestServer({ fake, api, ...(clock ? { clock, lark } : {}) });
  cleanup.push(async () => {
    await s.close();
    await fake.close();
    removeDb(s.dbUrl);
  });
  return { fake, s };
}

const toUser = (id: string, t = 'hi'): OutgoingMessage => ({
  kind: 'send',
  receiveIdType: 'open_id',
  receiveId: id,
  msgType: 'text',
  content: JSON.stringify({ text: t }),
});
const toChat = (id: string, t = 'hi'): OutgoingMessage => ({
  kind: 'send',
  receiveIdType: 'chat_id',
  receiveId: id,
  msgType: 'text',
  content: JSON.stringify({ text: t }),
});
const fast = { backoffBaseMs: 20, backoffMaxMs: 100 };

async function until(cond: () => boolean, what: string, capMs = 30_000): Promise<void> {
  for (let waited = 0; !cond(); waited += 20) {
    if (waited > capMs) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(['sdk', 'fetch'] as const)('delivery (%s LarkApi)', (api) => {
  it('an empty 200 and a non-JSON 200 are failures: retried, then delivered once', async () => {
    const { fake, s } = await setUp(api);
    fake.failNext(1, { kind: 'empty_ok' });
    fake.failNext(1, { kind: 'not_json_ok' });
    await enqueue(s.deps, toUser('ou_empty'), `empty-${api}`);
    const r = await deliverOutbox(s.deps, { ...fast, waitUpToMs: 10_000 });
    expect(r).toEqual({ sent: 1, retried: 2, failed: 0 });
    expect(fake.messages.filter((m) => m.uuid === `empty-${api}`)).toHaveLength(1);
    const [row] = await s.deps.db
      .select()
      .from(outbox)
      .where(eq(outbox.uuid, `empty-${api}`));
    expect(row).toMatchObject({ status: 'sent', attempts: 3 });
    // The log lines keep their own code; Lark's (none here) and the status go under other keys.
    const retries = s.logs('outbox_retry');
    expect(retries).toHaveLength(2);
    expect(retries.every((l) => l.code === 'outbox_retry' && l.httpStatus === 200)).toBe(true);
  });

  it('a hung call does not hold the others: ten to other users are delivered while it waits', async () => {
    const { fake, s } = await setUp(api);
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    fake.setFault((req) => (req.body.receive_id === 'oc_hung' ? { kind: 'hold', release: released } : undefined));
    await enqueue(s.deps, toChat('oc_hung', 'slow one'), `hung-${api}`);
    const running = deliverOutbox(s.deps, { ...fast, waitUpToMs: 30_000, concurrency: 4 });
    // Enqueued after the hung call started: picked up without waiting for it.
    await until(() => fake.requests.some((q) => q.body.receive_id === 'oc_hung'), 'the hung call reached the fake');
    for (let i = 0; i < 10; i++) await enqueue(s.deps, toUser(`ou_fast_${i}`), `fast-${api}-${i}`);
    await until(
      () => fake.messages.filter((m) => m.uuid?.startsWith(`fast-${api}-`)).length === 10,
      'ten fast messages delivered',
    );
    expect(fake.messages.some((m) => m.target === 'oc_hung')).toBe(false);
    release();
    const r = await running;
    expect(r.failed).toBe(0);
    expect(fake.messages.filter((m) => m.target === 'oc_hung')).toHaveLength(1);
    expect(fake.messages).toHaveLength(11);
  });

  it('30 replies in one group keep to 5/s for that group: none refused by the fake', async () => {
    const { fake, s } = await setUp(api);
    const chat = 'oc_group_busy';
    for (let i = 0; i < 30; i++) {
      const messageId = `om_user_msg_${api}_${i}`;
      await s.deps.db.insert(reports).values({
        messageId,
        senderOpenId: `ou_${i}`,
        chatId: chat,
        chatType: 'group',
        text: '@bot 帮助',
        status: 'command',
        receivedAt: 0,
        updatedAt: 0,
      });
      fake.setChatOfMessage(messageId, chat);
      await enqueue(s.deps, { kind: 'reply', messageId, msgType: 'text', content: '{"text":"ok"}' }, `grp-${api}-${i}`);
    }
    // And one to someone else, which does not wait behind the group.
    await enqueue(s.deps, toUser('ou_elsewhere'), `else-${api}`);
    const r = await deliverOutbox(s.deps, { ...fast, waitUpToMs: 30_000, concurrency: 8 });
    expect(r).toMatchObject({ sent: 31, failed: 0 });
    expect(fake.rateLimited()).toBe(0);
    const at = fake.requests
      .filter((q) => q.path.endsWith('/reply'))
      .map((q) => q.at)
      .sort((a, b) => a - b);
    expect(at).toHaveLength(30);
    for (let i = 5; i < at.length; i++) expect(at[i]! - at[i - 5]!).toBeGreaterThanOrEqual(1000);
    const elseAt = fake.messages.find((m) => m.uuid === `else-${api}`)!.at;
    expect(elseAt).toBeLessThan(at[at.length - 1]!);
  });
});

describe('an outage of hours (injected clock)', () => {
  it('Lark down for 6 hours: retried with backoff capped at 10 minutes, then delivered once', async () => {
    const clock = manualClock('2024-10-28T08:00:00+08:00');
    const { fake, s } = await setUp('sdk', { clock });
    const start = clock.now().getTime();
    fake.setFault(() => ({ kind: 'server_error', status: 503 }));
    await enqueue(s.deps, toChat('oc_outage', 'weekly digest'), 'outage-1');
    const tries: number[] = [];
    while (clock.now().getTime() - start < 6 * 3600_000) {
      const r = await deliverOutbox(s.deps);
      expect(r).toEqual({ sent: 0, retried: 1, failed: 0 });
      tries.push(clock.now().getTime());
      const [row] = await s.deps.db.select().from(outbox).where(eq(outbox.uuid, 'outage-1'));
      expect(row!.status).toBe('pending');
      clock.set(new Date(row!.nextAttemptAt).toISOString());
    }
    const gaps = tries.slice(1).map((t, i) => t - tries[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(10 * 60_000 * 1.25);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(10 * 60_000 * 0.75);
    expect(tries.length).toBeGreaterThan(30);
    fake.setFault(undefined);
    expect(await deliverOutbox(s.deps)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(fake.messages.filter((m) => m.uuid === 'outage-1')).toHaveLength(1);
    expect(s.logs('outbox_retry').every((l) => l.code === 'outbox_retry' && l.httpStatus === 503)).toBe(true);
  }, 120_000);

  it('after a day it gives up, tells the admins, and `outbox retry` sends it again', async () => {
    const clock = manualClock('2024-10-28T08:00:00+08:00');
    const { fake, s } = await setUp('fetch', { clock });
    fake.setFault((req) =>
      req.body.receive_id === 'oc_gone' ? { kind: 'error_code', code: 1, status: 500 } : undefined,
    );
    await enqueue(s.deps, toChat('oc_gone', 'x'), 'gone-1');
    for (let i = 0; i < 400; i++) {
      const r = await deliverOutbox(s.deps);
      if (r.failed === 1) break;
      const [row] = await s.deps.db.select().from(outbox).where(eq(outbox.uuid, 'gone-1'));
      clock.set(new Date(row!.nextAttemptAt).toISOString());
    }
    const [row] = await s.deps.db.select().from(outbox).where(eq(outbox.uuid, 'gone-1'));
    expect(row!.status).toBe('failed');
    expect(clock.now().getTime() - row!.createdAt).toBeGreaterThanOrEqual(24 * 3600_000);
    const failed = s.logs('outbox_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ code: 'outbox_failed', larkCode: 1, httpStatus: 500 });
    await deliverOutbox(s.deps);
    expect(fake.messages.filter((m) => m.target === 'ou_admin_1')).toHaveLength(1);

    const { requeueFailed } = await import('../../src/db/outboxRepo.js');
    fake.setFault(undefined);
    expect(await requeueFailed(s.deps.db, clock.now().getTime())).toEqual([row!.id]);
    expect(await deliverOutbox(s.deps)).toMatchObject({ sent: 1 });
    expect(fake.messages.filter((m) => m.uuid === 'gone-1')).toHaveLength(1);
  }, 120_000);
});

describe('the call deadline', () => {
  it('runs from when the rate limiter lets a call go: waiting for the limit is not a hung call', async () => {
    const fake = await startFakeLark();
    cleanup.push(() => fake.close());
    // One call per 4 s to a target: the second waits about 4 s in the limiter, longer than the deadline.
    const limiter = new RateLimiter({ ...defaultRateLimits, targetPerSecond: 0.25, targetBurst: 1 });
    const lark = new FetchLarkApi({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url, limiter });
    const started = Date.now();
    const both = await Promise.allSettled([
      lark.deliver(toUser('ou_paced', 'one'), 'deadline-1', { deadlineMs: 2_000 }),
      lark.deliver(toUser('ou_paced', 'two'), 'deadline-2', { deadlineMs: 2_000 }),
    ]);
    expect(both.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect(fake.messages.map((m) => m.uuid).sort()).toEqual(['deadline-1', 'deadline-2']);
  });
});
