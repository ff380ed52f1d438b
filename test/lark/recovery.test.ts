import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IncomingMessage } from '../../src/bot/types.js';
import type { Deps } from '../../src/deps.js';
import { leaseEvent } from '../../src/db/inboxRepo.js';
import { processedEvents } from '../../src/db/schema.js';
import type { MakeWsClient } from '../../src/lark/wsMode.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { startFakeLark, type FakeLark } from '../helpers/fakeLark.js';
import { cardActionEvent, messageEvent, postLark, TEST_ENCRYPT_KEY } from '../helpers/larkEvents.js';
import { removeDb, startTestServer } from '../helpers/testServer.js';

const handled = vi.hoisted(() => [] as IncomingMessage[]);
vi.mock('../../src/bot/handleMessage.js', () => ({
  handleMessage: async (deps: Deps, msg: IncomingMessage) => {
    handled.push(msg);
    await enqueue(
      deps,
      { kind: 'reply', messageId: msg.messageId, msgType: 'text', content: JSON.stringify({ text: 'ok' }) },
      `rep-${msg.messageId}`,
    );
  },
}));

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  handled.length = 0;
  while (cleanup.length) await (cleanup.pop() as () => Promise<void>)();
});

async function fakeLark(): Promise<FakeLark> {
  const f = await startFakeLark();
  cleanup.push(() => f.close());
  return f;
}

describe('nothing acknowledged is lost', () => {
  it('killed after the ack and before processing: processed and answered once after restart', async () => {
    const fake = await fakeLark();
    const a = await startTestServer({ fake });
    a.deps.defer = () => {}; // the process dies before the deferred work runs
    const ev = messageEvent({ text: '累计建成120个' });
    expect((await postLark(a.url, ev, { encryptKey: TEST_ENCRYPT_KEY })).status).toBe(200);
    await a.abandon();
    expect(handled).toHaveLength(0);

    const b = await startTestServer({ fake, dbUrl: a.dbUrl });
    cleanup.push(async () => {
      await b.close();
      removeDb(a.dbUrl);
    });
    // The start-up pass processed it; Lark's retry of the same event changes nothing.
    expect((await postLark(b.url, ev, { encryptKey: TEST_ENCRYPT_KEY })).status).toBe(200);
    await b.queue.drain();
    await b.sweep();
    expect(handled.map((m) => m.text)).toEqual(['累计建成120个']);
    const id = (ev.header as { event_id: string }).event_id;
    const [row] = await b.deps.db.select().from(processedEvents).where(eq(processedEvents.eventId, id));
    expect(row).toMatchObject({ status: 'done', attempts: 1 });
    expect(fake.messages.filter((m) => m.kind === 'reply')).toHaveLength(1);
  });

  it('killed while processing (lease held): taken again only once the lease has run out', async () => {
    const fake = await fakeLark();
    const a = await startTestServer({ fake });
    a.deps.defer = () => {};
    const ev = messageEvent({ text: 'mid-processing' });
    await postLark(a.url, ev, { encryptKey: TEST_ENCRYPT_KEY });
    const id = (ev.header as { event_id: string }).event_id;
    expect(await leaseEvent(a.deps.db, id, Date.now(), 60_000)).not.toBeNull();
    await a.abandon();

    const b = await startTestServer({ fake, dbUrl: a.dbUrl });
    await b.sweep();
    expect(handled).toHaveLength(0); // still held by the dead process
    await b.close();
    const c = await startTestServer({ fake, dbUrl: a.dbUrl, clock: { now: () => new Date(Date.now() + 61_000) } });
    cleanup.push(async () => {
      await c.close();
      removeDb(a.dbUrl);
    });
    await c.sweep();
    expect(handled.map((m) => m.text)).toEqual(['mid-processing']);
    const [row] = await c.deps.db.select().from(processedEvents).where(eq(processedEvents.eventId, id));
    expect(row).toMatchObject({ status: 'done', attempts: 2 });
    expect(fake.messages.filter((m) => m.kind === 'reply')).toHaveLength(1);
  });

  it('two instances receiving the same event (Lark retrying to another one): handled once', async () => {
    const fake = await fakeLark();
    const a = await startTestServer({ fake });
    const b = await startTestServer({ fake, dbUrl: a.dbUrl });
    cleanup.push(async () => {
      await a.close();
      await b.close();
      removeDb(a.dbUrl);
    });
    const ev = messageEvent({ text: 'twice' });
    await Promise.all([
      postLark(a.url, ev, { encryptKey: TEST_ENCRYPT_KEY }),
      postLark(b.url, ev, { encryptKey: TEST_ENCRYPT_KEY }),
      postLark(a.url, ev, { encryptKey: TEST_ENCRYPT_KEY }),
    ]);
    await Promise.all([a.queue.drain(), b.queue.drain()]);
    expect(handled).toHaveLength(1);
    expect(fake.messages.filter((m) => m.kind === 'reply')).toHaveLength(1);
  });

  it('a card click whose answer never completed is not re-run unseen by the sweep', async () => {
    const a = await startTestServer();
    cleanup.push(async () => {
      await a.close();
      removeDb(a.dbUrl);
    });
    const ev = cardActionEvent();
    // As if the process died mid-click: the row exists, held for 10 minutes.
    const id = (ev.header as { event_id: string }).event_id;
    await a.deps.db.insert(processedEvents).values({
      eventId: id,
      eventType: 'card.action.trigger',
      payload: JSON.stringify({ schema: '2.0', eventId: id, eventType: 'card.action.trigger', event: ev.event }),
      leaseUntil: Date.now() - 1,
    });
    await a.sweep();
    const [row] = await a.deps.db.select().from(processedEvents).where(eq(processedEvents.eventId, id));
    expect(row).toMatchObject({ status: 'done', lastError: 'card_action_unanswered' });
  });
});

describe('long-connection mode', () => {
  it('LARK_EVENT_MODE=ws starts a WSClient whose dispatcher feeds the same inbox and handlers', async () => {
    const fake = await fakeLark();
    let started: { eventDispatcher: { invoke(data: unknown, p?: unknown): Promise<unknown> } } | undefined;
    let params: Record<string, unknown> | undefined;
    const makeWsClient = ((p: Record<string, unknown>) => {
      params = p;
      return {
        start: async (x: typeof started) => {
          started = x;
        },
        close: () => {},
      };
    }) as unknown as MakeWsClient;
    const s = await startTestServer({ fake, env: { LARK_EVENT_MODE: 'ws' }, makeWsClient });
    cleanup.push(async () => {
      await s.close();
      removeDb(s.dbUrl);
    });
    expect(params).toMatchObject({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url });
    expect(started).toBeDefined();

    // What WSClient hands over: the parsed envelope, header intact, no signature (needCheck false).
    const ev = messageEvent({ text: 'via ws' });
    expect(await started?.eventDispatcher.invoke(ev, { needCheck: false })).toEqual({});
    expect(await started?.eventDispatcher.invoke(ev, { needCheck: false })).toEqual({}); // duplicate
    await s.queue.drain();
    expect(handled.map((m) => m.text)).toEqual(['via ws']);
    expect(fake.messages.filter((m) => m.kind === 'reply')).toHaveLength(1);
    const click = cardActionEvent();
    const card = await started?.eventDispatcher.invoke(click, { needCheck: false });
    expect(card).toBeTypeOf('object'); // the card handler's answer goes back over the socket
    const id = (click.header as { event_id: string }).event_id;
    expect(await s.deps.db.select().from(processedEvents).where(eq(processedEvents.eventId, id))).toHaveLength(1);
  });
});
