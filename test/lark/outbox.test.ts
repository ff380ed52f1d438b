import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { leaseOutboxRow } from '../../src/db/outboxRepo.js';
import type { OutgoingMessage } from '../../src/lark/LarkApi.js';
import { deliverOutbox } from '../../src/outbox/deliverOutbox.js';
import { notifyAdminsOfFailure } from '../../src/outbox/notifyAdmins.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { startFakeLark, type FakeLark } from '../helpers/fakeLark.js';
import { removeDb, startTestServer, type TestServer } from '../helpers/testServer.js';

// Delivery through the real LarkApi implementations (the SDK one used on Node, the fetch one used
// on Workers) to the fake Lark over HTTP.

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length) await (cleanup.pop() as () => Promise<void>)();
});

async function setUp(
  api: 'sdk' | 'fetch',
  opts: { dbUrl?: string; clockOffsetMs?: number; fake?: FakeLark } = {},
): Promise<{ fake: FakeLark; s: TestServer }> {
  const fake = opts.fake ?? (await startFakeLark());
  const s = await startTestServer({
    fake,
    api,
    ...(opts.dbUrl ? { dbUrl: opts.dbUrl } : {}),
    ...(opts.clockOffsetMs ? { clock: { now: () => new Date(Date.now() + (opts.clockOffsetMs as number)) } } : {}),
  });
  cleanup.push(async () => {
    await s.close();
    if (!opts.fake) await fake.close();
    if (!opts.dbUrl) removeDb(s.dbUrl);
  });
  return { fake, s };
}

const text = (chat: string, t: string): OutgoingMessage => ({
  kind: 'send',
  receiveIdType: 'chat_id',
  receiveId: chat,
  msgType: 'text',
  content: JSON.stringify({ text: t }),
});
const fast = { backoffBaseMs: 50, backoffMaxMs: 400 };

describe.each(['sdk', 'fetch'] as const)('outbox delivery (%s LarkApi)', (api) => {
  it('delivers every message once while Lark answers 429 for a while (honouring x-ogw-ratelimit-reset)', async () => {
    const { fake, s } = await setUp(api);
    // By count, not by time: a loaded machine cannot make the 429s miss the calls.
    fake.failNext(4, { kind: 'rate_limit', resetSec: 0.5 });
    for (let i = 0; i < 12; i++) await enqueue(s.deps, text(`oc_chat_${i % 3}`, `m${i}`), `rl-${api}-${i}`);
    const r = await deliverOutbox(s.deps, { ...fast, waitUpToMs: 20_000 });
    expect(r.sent).toBe(12);
    expect(r.retried).toBeGreaterThan(0);
    const delivered = fake.messages.filter((m) => m.uuid?.startsWith(`rl-${api}-`));
    expect(delivered).toHaveLength(12);
    expect(new Set(delivered.map((m) => m.uuid)).size).toBe(12);
    // No retry went out before the reset Lark named.
    const limited = fake.requests.filter((q) => q.status === 429);
    const firstRetry = fake.requests.find((q) => q.status === 200 && q.path === '/open-apis/im/v1/messages');
    expect(limited.length).toBeGreaterThan(0);
    expect((firstRetry?.at ?? 0) - (limited[0]?.at ?? 0)).toBeGreaterThanOrEqual(450);
    const rows = await s.deps.db.select().from(outbox);
    expect(rows.every((row) => row.status === 'sent' && row.larkMessageId?.startsWith('om_fake_'))).toBe(true);
  });

  it("keeps under Lark's limits: 12 to one chat and 45 to different users, no refusals from the fake", async () => {
    const { fake, s } = await setUp(api);
    for (let i = 0; i < 12; i++) await enqueue(s.deps, text('oc_busy_chat', `c${i}`), `lim-c-${i}`);
    for (let i = 0; i < 45; i++)
      await enqueue(
        s.deps,
        {
          kind: 'send',
          receiveIdType: 'open_id',
          receiveId: `ou_user_${i}`,
          msgType: 'text',
          content: '{"text":"hi"}',
        },
        `lim-u-${i}`,
      );
    const r = await deliverOutbox(s.deps, { ...fast, waitUpToMs: 20_000, concurrency: 16 });
    expect(r.sent).toBe(57);
    expect(fake.rateLimited()).toBe(0);
    expect(fake.messages).toHaveLength(57);
  });

  it('retries 500s and dropped connections, then delivers once', async () => {
    const { fake, s } = await setUp(api);
    fake.failNext(1, { kind: 'server_error' });
    fake.failNext(1, { kind: 'drop' });
    fake.failNext(1, { kind: 'server_error', status: 503 });
    await enqueue(s.deps, text('oc_flaky', 'eventually'), `flaky-${api}`);
    const r = await deliverOutbox(s.deps, { ...fast, waitUpToMs: 10_000 });
    expect(r).toMatchObject({ sent: 1, failed: 0 });
    expect(r.retried).toBe(3);
    expect(fake.messages).toHaveLength(1);
    const [row] = await s.deps.db
      .select()
      .from(outbox)
      .where(eq(outbox.uuid, `flaky-${api}`));
    expect(row).toMatchObject({ status: 'sent', attempts: 4 });
  });

  it('refreshes the tenant token on 99991663 and retries once', async () => {
    const { fake, s } = await setUp(api);
    await enqueue(s.deps, text('oc_t', 'one'), `tok-1-${api}`);
    await deliverOutbox(s.deps);
    expect(fake.tokensIssued).toHaveLength(1);
    fake.invalidateTokens();
    await enqueue(s.deps, text('oc_t', 'two'), `tok-2-${api}`);
    const r = await deliverOutbox(s.deps);
    expect(r).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(fake.tokensIssued).toHaveLength(2);
    expect(fake.requests.filter((q) => q.code === 99991663)).toHaveLength(1);
    expect(fake.messages.map((m) => m.uuid)).toEqual([`tok-1-${api}`, `tok-2-${api}`]);
  });

  it('a permanent error stops retrying, keeps the reason and tells the admins once', async () => {
    const { fake, s } = await setUp(api);
    fake.setFault((req) =>
      req.body.receive_id === 'oc_left_group'
        ? { kind: 'error_code', code: 230002, msg: 'Bot is not in the chat.' }
        : undefined,
    );
    await enqueue(s.deps, text('oc_left_group', 'digest'), `perm-${api}`);
    const r = await deliverOutbox(s.deps, { ...fast, waitUpToMs: 2_000 });
    expect(r.failed).toBe(1);
    const [row] = await s.deps.db
      .select()
      .from(outbox)
      .where(eq(outbox.uuid, `perm-${api}`));
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row?.lastError).toContain('bot_not_in_chat');
    expect(row?.lastError).toContain('230002');
    // Telling the admins again (another sweep, another instance) adds nothing.
    await notifyAdminsOfFailure(s.deps, row as NonNullable<typeof row>, 'again');
    await deliverOutbox(s.deps, { ...fast, waitUpToMs: 1_000 });
    const notices = fake.messages.filter((m) => m.target === 'ou_admin_1');
    expect(notices).toHaveLength(1);
    expect(JSON.parse(notices[0]?.content ?? '{}').text).toContain('bot_not_in_chat');
    expect(fake.requests.filter((q) => q.body.receive_id === 'oc_left_group')).toHaveLength(1);
  });
});

describe('crash recovery', () => {
  it('killed between the outbox write and the send: delivered once after restart', async () => {
    const fake = await startFakeLark();
    cleanup.push(() => fake.close());
    const a = await startTestServer({ fake });
    await enqueue(a.deps, text('oc_crash', 'before crash'), 'crash-1');
    // A took the row and died before sending it.
    const leased = await leaseOutboxRow(a.deps.db, 1, Date.now(), 60_000);
    expect(leased?.uuid).toBe('crash-1');
    // Another row A had sent to Lark but died before marking it sent.
    await enqueue(a.deps, text('oc_crash', 'sent but unmarked'), 'crash-2');
    const row2 = await leaseOutboxRow(a.deps.db, 2, Date.now(), 60_000);
    await a.deps.lark?.deliver(text('oc_crash', 'sent but unmarked'), row2?.uuid ?? '');
    await a.abandon();
    expect(fake.messages).toHaveLength(1);

    // B starts on the same file; once the leases have run out its start-up sweep sends both.
    const b = await startTestServer({ fake, dbUrl: a.dbUrl, clock: { now: () => new Date(Date.now() + 61_000) } });
    cleanup.push(async () => {
      await b.close();
      removeDb(a.dbUrl);
    });
    for (let i = 0; i < 100 && (await b.deps.db.select().from(outbox).where(eq(outbox.status, 'sent'))).length < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(fake.messages.map((m) => m.uuid).sort()).toEqual(['crash-1', 'crash-2']);
    const rows = await b.deps.db.select().from(outbox);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    // And a later sweep finds nothing to do.
    expect(await deliverOutbox(b.deps)).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(fake.messages).toHaveLength(2);
  });

  it('two instances sweeping the same outbox at once send each row once', async () => {
    const fake = await startFakeLark();
    cleanup.push(() => fake.close());
    const a = await startTestServer({ fake });
    const b = await startTestServer({ fake, dbUrl: a.dbUrl });
    cleanup.push(async () => {
      await a.close();
      await b.close();
      removeDb(a.dbUrl);
    });
    for (let i = 0; i < 20; i++)
      await enqueue(
        a.deps,
        { kind: 'send', receiveIdType: 'open_id', receiveId: `ou_${i}`, msgType: 'text', content: '{"text":"x"}' },
        `race-${i}`,
      );
    const [ra, rb] = await Promise.all([deliverOutbox(a.deps), deliverOutbox(b.deps)]);
    expect(ra.sent + rb.sent).toBe(20);
    expect(fake.messages).toHaveLength(20);
    expect(fake.requests.filter((q) => q.path === '/open-apis/im/v1/messages')).toHaveLength(20);
  });
});

describe('local mode', () => {
  it('keeps rows as local and sends nothing', async () => {
    const s = await startTestServer();
    cleanup.push(async () => {
      await s.close();
      removeDb(s.dbUrl);
    });
    expect(s.deps.lark).toBeNull();
    await enqueue(s.deps, text('oc_local', 'hello'), 'local-1');
    expect(await deliverOutbox(s.deps)).toEqual({ sent: 0, retried: 0, failed: 0 });
    const rows = await s.deps.db.all<{ status: string }>(sql`select status from outbox`);
    expect(rows).toEqual([{ status: 'local' }]);
    expect(s.logs('outbox_local')).toHaveLength(1);
  });
});
