import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Deps } from '../../src/deps.js';
import type { CardAction, IncomingMessage } from '../../src/bot/types.js';
import { enqueue } from '../../src/outbox/enqueue.js';
import { startFakeLark, type FakeLark } from '../helpers/fakeLark.js';
import {
  botAddedEvent,
  cardActionEvent,
  challengeRequest,
  encryptForLark,
  larkRequest,
  messageEvent,
  p2pEnteredEvent,
  postLark,
  signLark,
  TEST_ENCRYPT_KEY,
} from '../helpers/larkEvents.js';
import { removeDb, startTestServer, type TestServer } from '../helpers/testServer.js';

// The handlers belong to the conversation feature; here they are stand-ins that count calls and
// reply through the outbox with a uuid made from the *event* id, so any dedup seen here is the
// platform layer's, not the handler's.
const calls = vi.hoisted(() => ({
  messages: [] as IncomingMessage[],
  cards: [] as CardAction[],
  added: [] as unknown[],
  p2p: [] as unknown[],
  slowMs: 0,
  finished: 0,
}));
vi.mock('../../src/bot/handleMessage.js', () => ({
  handleMessage: async (deps: Deps, msg: IncomingMessage) => {
    calls.messages.push(msg);
    if (calls.slowMs) await new Promise((r) => setTimeout(r, calls.slowMs));
    calls.finished++;
    await enqueue(
      deps,
      {
        kind: 'reply',
        messageId: msg.messageId,
        msgType: 'text',
        content: JSON.stringify({ text: `收到：${msg.text}` }),
      },
      `t-${msg.eventId}`,
    );
  },
}));
vi.mock('../../src/bot/handleCardAction.js', () => ({
  handleCardAction: async (_deps: Deps, action: CardAction) => {
    calls.cards.push(action);
    return {
      toast: { type: 'success', content: '已确认' },
      card: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '已确认 ✅' }] } },
    };
  },
}));
vi.mock('../../src/bot/handleChatEvents.js', () => ({
  handleBotAdded: async (_d: Deps, chat: unknown) => {
    calls.added.push(chat);
  },
  handleP2pEntered: async (_d: Deps, user: unknown) => {
    calls.p2p.push(user);
  },
}));

let fake: FakeLark;
let s: TestServer;

async function count(table: 'processed_events' | 'outbox', where = '1=1'): Promise<number> {
  const rows = await s.deps.db.all<{ n: number }>(sql.raw(`select count(*) as n from ${table} where ${where}`));
  return Number(rows[0]?.n ?? 0);
}

beforeAll(async () => {
  fake = await startFakeLark();
  s = await startTestServer({ fake });
});
afterAll(async () => {
  await s.close();
  await fake.close();
  removeDb(s.dbUrl);
});
beforeEach(() => {
  calls.messages.length = 0;
  calls.cards.length = 0;
  calls.added.length = 0;
  calls.p2p.length = 0;
  calls.slowMs = 0;
  calls.finished = 0;
});

describe('url_verification', () => {
  it('answers a plain challenge after checking the token', async () => {
    const res = await postLark(s.url, challengeRequest('plain-123'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'plain-123' });
  });

  it('answers an encrypted challenge (Lark sends no signature for it)', async () => {
    const res = await postLark(s.url, challengeRequest('enc-456'), { encryptKey: TEST_ENCRYPT_KEY, unsigned: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'enc-456' });
  });

  it('refuses a challenge with the wrong token', async () => {
    const res = await postLark(s.url, challengeRequest('x', 'not-the-token'), {
      encryptKey: TEST_ENCRYPT_KEY,
      unsigned: true,
    });
    expect(res.status).toBe(401);
  });
});

describe('bad input: a clear status, nothing stored, the reason logged', () => {
  it.each([
    [
      'tampered signature',
      () => larkRequest(messageEvent(), { encryptKey: TEST_ENCRYPT_KEY, tamperSignature: true }),
      401,
      'signature_invalid',
    ],
    [
      'body changed after signing',
      () => larkRequest(messageEvent(), { encryptKey: TEST_ENCRYPT_KEY, tamperBody: true }),
      401,
      'signature_invalid',
    ],
    [
      'missing signature',
      () => larkRequest(messageEvent(), { encryptKey: TEST_ENCRYPT_KEY, unsigned: true }),
      401,
      'signature_missing',
    ],
    [
      'wrong verification token',
      () => larkRequest(messageEvent({ token: 'wrong-token' }), { encryptKey: TEST_ENCRYPT_KEY }),
      401,
      'token_invalid',
    ],
    [
      'signed with another key',
      () => larkRequest(messageEvent(), { encryptKey: 'another-key' }),
      401,
      'signature_invalid',
    ],
  ])('%s → %i', async (_name, build, status, reason) => {
    const before = await count('processed_events');
    const { body, headers } = build();
    const res = await fetch(`${s.url}/lark/events`, { method: 'POST', headers, body });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: reason });
    expect(await count('processed_events')).toBe(before);
    expect(s.logs('lark_request_refused').at(-1)).toMatchObject({ reason, status });
  });

  function signed(body: string): Record<string, string> {
    const ts = String(Math.floor(Date.now() / 1000));
    return {
      'content-type': 'application/json',
      'x-lark-request-timestamp': ts,
      'x-lark-request-nonce': 'n1',
      'x-lark-signature': signLark(ts, 'n1', TEST_ENCRYPT_KEY, body),
    };
  }

  it('malformed JSON (correctly signed) → 400', async () => {
    const before = await count('processed_events');
    const body = '{"schema":"2.0", oops';
    const res = await fetch(`${s.url}/lark/events`, { method: 'POST', headers: signed(body), body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad_json' });
    expect(await count('processed_events')).toBe(before);
  });

  it('undecryptable payload (correctly signed) → 400', async () => {
    const before = await count('processed_events');
    for (const encrypt of ['bm90IGEgY2lwaGVydGV4dA==', encryptForLark('{"a":1}', 'some-other-key'), '%%%']) {
      const body = JSON.stringify({ encrypt });
      const res = await fetch(`${s.url}/lark/events`, { method: 'POST', headers: signed(body), body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/^decrypt_failed/);
    }
    expect(await count('processed_events')).toBe(before);
  });

  it('a body over 1 MiB → 413, declared or streamed', async () => {
    const before = await count('processed_events');
    const big = JSON.stringify({ encrypt: 'A'.repeat(1024 * 1024 + 10) });
    const res = await fetch(`${s.url}/lark/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(413);
    // Chunked, no content-length: the cap applies while reading.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)));
        c.close();
      },
    });
    const res2 = await fetch(`${s.url}/lark/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res2.status).toBe(413);
    expect(await count('processed_events')).toBe(before);
  });

  it('logs never carry the secrets or the decrypted text', async () => {
    await postLark(s.url, messageEvent({ text: 'SECRET-PAYLOAD-本周新增' }), { encryptKey: TEST_ENCRYPT_KEY });
    await s.queue.drain();
    const all = s.log.lines.join('\n');
    expect(all).not.toContain(TEST_ENCRYPT_KEY);
    expect(all).not.toContain('SECRET-PAYLOAD');
  });
});

describe('events', () => {
  it('a text message: stored, acknowledged, handled, replied once', async () => {
    const ev = messageEvent({ text: '本周新增助餐点3个' });
    const res = await postLark(s.url, ev, { encryptKey: TEST_ENCRYPT_KEY });
    expect(res.status).toBe(200);
    await s.queue.drain();
    expect(calls.messages).toHaveLength(1);
    expect(calls.messages[0]).toMatchObject({
      text: '本周新增助餐点3个',
      chatType: 'p2p',
      messageType: 'text',
      senderOpenId: 'ou_84aad35d084aa403a838cf73ee18467',
    });
    const eventId = (ev.header as { event_id: string }).event_id;
    expect(await count('processed_events', `event_id = '${eventId}' and status = 'done'`)).toBe(1);
    expect(fake.messages.filter((m) => m.uuid === `t-${eventId}`)).toHaveLength(1);
  });

  it('the same event 5 times in a row and 5 times at once: one inbox row, one handler call, one reply', async () => {
    const seq = messageEvent({ text: 'seq' });
    for (let i = 0; i < 5; i++) expect((await postLark(s.url, seq, { encryptKey: TEST_ENCRYPT_KEY })).status).toBe(200);
    const par = messageEvent({ text: 'par' });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => postLark(s.url, par, { encryptKey: TEST_ENCRYPT_KEY })),
    );
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await s.queue.drain();
    for (const ev of [seq, par]) {
      const id = (ev.header as { event_id: string }).event_id;
      expect(await count('processed_events', `event_id = '${id}'`)).toBe(1);
      expect(fake.messages.filter((m) => m.uuid === `t-${id}`)).toHaveLength(1);
    }
    expect(calls.messages.map((m) => m.text).sort()).toEqual(['par', 'seq']);
  });

  it('one message under two event ids (concurrently) is handled once', async () => {
    const messageId = 'om_same_message_twice';
    const a = messageEvent({ messageId, text: 'once' });
    const b = messageEvent({ messageId, text: 'once' });
    await Promise.all([
      postLark(s.url, a, { encryptKey: TEST_ENCRYPT_KEY }),
      postLark(s.url, b, { encryptKey: TEST_ENCRYPT_KEY }),
      postLark(s.url, a, { encryptKey: TEST_ENCRYPT_KEY }),
    ]);
    await s.queue.drain();
    expect(calls.messages).toHaveLength(1);
    expect(fake.messages.filter((m) => m.kind === 'reply' && m.target === messageId)).toHaveLength(1);
    expect(await count('processed_events', `last_error = 'duplicate_message'`)).toBeGreaterThanOrEqual(1);
  });

  it('a group message: the bot mention stripped, other mentions resolved to names', async () => {
    const ev = messageEvent({
      chatType: 'group',
      text: '@_user_1 /绑定 @_user_2 市残联',
      mentions: [
        { key: '@_user_1', openId: fake.botOpenId, name: '民生助手' },
        { key: '@_user_2', openId: 'ou_zhangsan', name: '张三', userId: 'zs' },
      ],
    });
    await postLark(s.url, ev, { encryptKey: TEST_ENCRYPT_KEY });
    await s.queue.drain();
    expect(calls.messages[0]).toMatchObject({
      text: '/绑定 @张三 市残联',
      chatType: 'group',
      mentions: [{ openId: 'ou_zhangsan', name: '张三' }],
    });
  });

  it('rich text (post) is flattened; other types still reach the handler with their type', async () => {
    await postLark(
      s.url,
      messageEvent({
        chatType: 'group',
        messageType: 'post',
        mentions: [{ key: '@_user_1', openId: fake.botOpenId, name: 'Bot' }],
        content: {
          title: '',
          content: [
            [
              { tag: 'at', user_id: '@_user_1', user_name: 'Bot' },
              { tag: 'text', text: ' 本周新增助餐点3个' },
            ],
            [{ tag: 'img', image_key: 'img_v2_x' }],
            [
              { tag: 'text', text: '累计' },
              { tag: 'text', text: '120个' },
            ],
          ],
        },
      }),
      { encryptKey: TEST_ENCRYPT_KEY },
    );
    await postLark(s.url, messageEvent({ messageType: 'image', content: { image_key: 'img_v2_y' } }), {
      encryptKey: TEST_ENCRYPT_KEY,
    });
    await s.queue.drain();
    expect(calls.messages.map((m) => [m.messageType, m.text])).toEqual([
      ['post', '本周新增助餐点3个\n\n累计120个'],
      ['image', ''],
    ]);
  });

  it('card.action.trigger is answered at once with the toast and the card, on both URLs', async () => {
    for (const path of ['/lark/events', '/lark/card']) {
      const res = await postLark(s.url, cardActionEvent({ value: { action: 'confirm', report: 7 } }), {
        encryptKey: TEST_ENCRYPT_KEY,
        path,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        toast: { type: 'success', content: '已确认' },
        card: { type: 'raw', data: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '已确认 ✅' }] } } },
      });
    }
    expect(calls.cards.map((c) => c.value)).toEqual([
      { action: 'confirm', report: 7 },
      { action: 'confirm', report: 7 },
    ]);
    expect(calls.cards[0]).toMatchObject({
      operatorOpenId: 'ou_84aad35d084aa403a838cf73ee18467',
      openMessageId: 'om_card_message_1',
      openChatId: 'oc_5ce6d572455d361153b7xx51da133945',
    });
  });

  it('bot added to a group and p2p chat entered reach their handlers; unknown types are 200 and ignored', async () => {
    await postLark(s.url, botAddedEvent({ chatId: 'oc_new_group', name: '专班群' }), { encryptKey: TEST_ENCRYPT_KEY });
    await postLark(s.url, p2pEnteredEvent({ openId: 'ou_newcomer' }), { encryptKey: TEST_ENCRYPT_KEY });
    const unknown = {
      schema: '2.0',
      header: {
        event_id: 'ev_unknown_1',
        event_type: 'im.message.reaction.created_v1',
        token: (messageEvent().header as { token: string }).token,
        create_time: '1',
      },
      event: {},
    };
    const res = await postLark(s.url, unknown, { encryptKey: TEST_ENCRYPT_KEY });
    expect(res.status).toBe(200);
    await s.queue.drain();
    expect(calls.added).toEqual([{ eventId: expect.any(String), chatId: 'oc_new_group', name: '专班群' }]);
    expect(calls.p2p).toEqual([{ eventId: expect.any(String), openId: 'ou_newcomer', chatId: 'oc_p2p_entered_1' }]);
    expect(s.logs('lark_event_ignored').at(-1)).toMatchObject({
      eventId: 'ev_unknown_1',
      eventType: 'im.message.reaction.created_v1',
    });
  });

  it('schema 1.0 envelopes are understood', async () => {
    const v1 = {
      uuid: 'v1-uuid-1',
      token: (messageEvent().header as { token: string }).token,
      ts: '1608725989.000',
      type: 'event_callback',
      event: {
        type: 'message',
        open_message_id: 'om_v1_1',
        open_chat_id: 'oc_v1',
        chat_type: 'private',
        msg_type: 'text',
        open_id: 'ou_v1',
        text: '@Bot 累计120个',
        text_without_at_bot: '累计120个',
        is_mention: true,
      },
    };
    expect((await postLark(s.url, v1, { encryptKey: TEST_ENCRYPT_KEY })).status).toBe(200);
    await s.queue.drain();
    expect(calls.messages[0]).toMatchObject({
      eventId: 'v1-uuid-1',
      messageId: 'om_v1_1',
      text: '累计120个',
      chatType: 'p2p',
      senderOpenId: 'ou_v1',
    });
  });

  it('answers fast while the handler is slow (the work is deferred)', async () => {
    calls.slowMs = 1500;
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const res = await postLark(s.url, messageEvent({ text: `slow ${i}` }), { encryptKey: TEST_ENCRYPT_KEY });
      times.push(performance.now() - t);
      expect(res.status).toBe(200);
    }
    times.sort((a, b) => a - b);
    expect(times[times.length - 1]).toBeLessThan(500);
    expect(calls.finished).toBeLessThan(10); // not all done yet: they run after the answer
    await s.queue.drain();
    expect(calls.finished).toBe(10);
  });
});
