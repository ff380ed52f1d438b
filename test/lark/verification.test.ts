import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getContact } from '../../src/db/contactsRepo.js';
import { startFakeLark, type FakeLark } from '../helpers/fakeLark.js';
import {
  cardActionEvent,
  encryptForLark,
  messageEvent,
  signLark,
  TEST_ENCRYPT_KEY,
  TEST_VERIFICATION_TOKEN,
} from '../helpers/larkEvents.js';
import { removeDb, startTestServer, type TestServer } from '../helpers/testServer.js';

// The receiver as an attacker meets it: forged card clicks, replayed signatures, hostile bodies,
// and what ends up stored and logged. Real handlers, a real database, the fake Lark.

const ADMIN = 'ou_admin_1';
const ATTACKER = 'ou_attacker000000000000000000001';
const WALL = Date.parse('2026-03-02T08:00:00Z');

let fake: FakeLark;
let s: TestServer;
beforeAll(async () => {
  fake = await startFakeLark();
  s = await startTestServer({ fake, receiver: { wallNow: () => WALL } });
});
afterAll(async () => {
  await s.close();
  await fake.close();
  removeDb(s.dbUrl);
});

const count = async (where = '1=1') =>
  Number(
    (await s.deps.db.all<{ n: number }>(sql.raw(`select count(*) n from processed_events where ${where}`)))[0]?.n ?? 0,
  );

/** Signed as Lark signs, at a chosen time (seconds); encrypted unless `plain`. */
function signedRequest(payload: unknown, o: { at?: number; plain?: boolean; raw?: string } = {}) {
  const body =
    o.raw ??
    (o.plain
      ? JSON.stringify(payload)
      : JSON.stringify({ encrypt: encryptForLark(JSON.stringify(payload), TEST_ENCRYPT_KEY) }));
  const ts = String(Math.floor((o.at ?? WALL) / 1000));
  const nonce = randomBytes(6).toString('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': ts,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signLark(ts, nonce, TEST_ENCRYPT_KEY, body),
    },
  };
}

/** The legacy card signature: SHA-1 over timestamp + nonce + verification token + body. */
function legacySigned(payload: unknown, token = TEST_VERIFICATION_TOKEN, at = WALL) {
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(at / 1000));
  const nonce = randomBytes(6).toString('hex');
  const sig = createHash('sha1')
    .update(ts + nonce + token + body)
    .digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': ts,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': sig,
    },
  };
}

const post = (base: string, path: string, r: { body: string; headers: Record<string, string> }) =>
  fetch(`${base}${path}`, { method: 'POST', ...r });

function callbackValues(card: unknown, label: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (n: unknown) => {
    if (found || !n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    const text = (o.text as { content?: string } | undefined)?.content;
    if (o.tag === 'button' && text === label) {
      const b = (o.behaviors as Array<{ type: string; value: Record<string, unknown> }> | undefined)?.find(
        (x) => x.type === 'callback',
      );
      if (b) found = b.value;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(card);
  return found;
}

describe('card callbacks with an Encrypt Key set', () => {
  it('a click signed the legacy way (SHA-1 over the token) is refused: 401, nobody bound', async () => {
    const ask = messageEvent({ text: '/绑定 渝中区', senderOpenId: ATTACKER });
    expect((await post(s.url, '/lark/events', signedRequest(ask))).status).toBe(200);
    await s.queue.drain();
    const card = fake.messages.find((m) => m.kind === 'send' && m.target === ADMIN && m.content.includes('渝中区'));
    expect(card).toBeDefined();
    const approve = callbackValues(JSON.parse(card!.content), '批准');
    expect(approve).toBeDefined();
    const before = await count();

    // The bare legacy shape, claiming to be the admin, and a 2.0 envelope the same way.
    const legacy = { open_id: ADMIN, open_message_id: card!.messageId, action: { value: approve, tag: 'button' } };
    const envelope = cardActionEvent({ operatorOpenId: ADMIN, value: approve });
    for (const path of ['/lark/card', '/lark/events']) {
      expect((await post(s.url, path, legacySigned(legacy))).status).toBe(401);
      expect((await post(s.url, path, legacySigned(envelope))).status).toBe(401);
    }
    await s.queue.drain();
    expect(await count()).toBe(before);
    expect(await getContact(s.deps.db, ATTACKER)).toMatchObject({
      status: 'pending',
      org: null,
      requestedOrg: '渝中区',
    });

    // The same click from Lark itself (the key's signature) works: the signature was the only problem.
    const real = await post(
      s.url,
      '/lark/card',
      signedRequest(cardActionEvent({ operatorOpenId: ADMIN, value: approve })),
    );
    expect(real.status).toBe(200);
    expect(await getContact(s.deps.db, ATTACKER)).toMatchObject({ status: 'active', org: '渝中区' });
  });

  it("the operator is the event's operator, not an open_id field beside it", async () => {
    const ev = cardActionEvent({ operatorOpenId: ATTACKER, value: { action: 'nothing' } });
    const e = ev.event as Record<string, unknown>;
    e.open_id = ADMIN;
    const { toCardAction } = await import('../../src/bot/incoming.js');
    const { readEnvelope } = await import('../../src/lark/envelope.js');
    const env = readEnvelope(ev);
    expect(env.kind).toBe('event');
    expect(toCardAction((env as unknown as { event: never }).event).operatorOpenId).toBe(ATTACKER);
    // Without an operator there is nobody, not the stray field.
    delete e.operator;
    expect(toCardAction((readEnvelope(ev) as unknown as { event: never }).event).operatorOpenId).toBe('');
  });

  it('no token reaches processed_events (the verification token, the card token)', async () => {
    await post(s.url, '/lark/events', signedRequest(messageEvent({ text: '帮助' })));
    await post(s.url, '/lark/card', signedRequest(cardActionEvent({ value: { action: 'nothing' } })));
    await s.queue.drain();
    const rows = await s.deps.db.all<{ payload: string }>(sql`select payload from processed_events`);
    expect(rows.length).toBeGreaterThan(2);
    const all = rows.map((r) => r.payload).join('\n');
    expect(all).not.toContain(TEST_VERIFICATION_TOKEN);
    expect(all).not.toContain('c-295ee57216a5dc9de90fefd0aadb4b1d7d5c8ff5');
  });
});

describe('signature window and hostile bodies', () => {
  it('signed an hour ago or ten minutes ahead: 401 before the inbox; four minutes either way: 200', async () => {
    for (const [offset, status] of [
      [-3600_000, 401],
      [10 * 60_000, 401],
      [-5 * 60_000 - 2000, 401],
      [-4 * 60_000, 200],
      [4 * 60_000, 200],
    ] as const) {
      const ev = messageEvent({ text: '帮助' });
      const id = (ev.header as { event_id: string }).event_id;
      const res = await post(s.url, '/lark/events', signedRequest(ev, { at: WALL + offset }));
      expect(res.status, `offset ${offset}`).toBe(status);
      expect(await count(`event_id = '${id}'`)).toBe(status === 200 ? 1 : 0);
    }
    expect(s.logs('lark_request_refused').filter((l) => l.reason === 'timestamp_out_of_window')).toHaveLength(3);
    // A stale signature is refused even for an event id already stored (no dedup answer for a replay).
    const ev = messageEvent({ text: '帮助' });
    expect((await post(s.url, '/lark/events', signedRequest(ev))).status).toBe(200);
    expect((await post(s.url, '/lark/events', signedRequest(ev, { at: WALL - 3600_000 }))).status).toBe(401);
  });

  it('a signed body 5,000 levels deep: 400, plain or encrypted, nothing stored', async () => {
    const before = await count();
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const plain = await post(s.url, '/lark/events', signedRequest(null, { raw: deep }));
    expect(plain.status).toBe(400);
    expect(await plain.json()).toEqual({ error: 'json_too_deep' });
    const inner = `{"schema":"2.0","header":{"event_id":"deep1","event_type":"im.message.receive_v1","token":"${TEST_VERIFICATION_TOKEN}"},"event":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const enc = await post(
      s.url,
      '/lark/card',
      signedRequest(null, { raw: JSON.stringify({ encrypt: encryptForLark(inner, TEST_ENCRYPT_KEY) }) }),
    );
    expect(enc.status).toBe(400);
    // 60 levels (deeper than any real event) still passes the depth check.
    const ok = await post(
      s.url,
      '/lark/events',
      signedRequest(null, { raw: `{"x":${'['.repeat(60)}${']'.repeat(60)}}` }),
    );
    expect(ok.status).toBe(400);
    expect(await ok.json()).toEqual({ error: 'invalid_envelope' });
    expect(await count()).toBe(before);
  });

  it('a database failure logs a code and the event id, never the decrypted event', async () => {
    await s.deps.db.run(sql`alter table processed_events rename to processed_events_away`);
    try {
      const ev = messageEvent({ text: 'SECRET-PAYLOAD-本周新增助餐点3个' });
      const res = await post(s.url, '/lark/events', signedRequest(ev));
      expect(res.status).toBe(500);
      const failed = s.logs('lark_request_failed').at(-1);
      expect(failed).toMatchObject({ path: 'events', eventId: (ev.header as { event_id: string }).event_id });
      expect(String(failed?.error)).toMatch(/^database_error/);
    } finally {
      await s.deps.db.run(sql`alter table processed_events_away rename to processed_events`);
    }
    expect(s.log.lines.join('\n')).not.toContain('SECRET-PAYLOAD');
  });
});

describe('card callbacks without an Encrypt Key', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ fake, env: { LARK_ENCRYPT_KEY: '' }, receiver: { wallNow: () => WALL } });
  });
  afterAll(async () => {
    await t.close();
    removeDb(t.dbUrl);
  });

  it("the legacy signature is checked against the token, and a 2.0 envelope's token too", async () => {
    const legacy = {
      open_id: 'ou_someone',
      open_message_id: 'om_x',
      action: { value: { action: 'nothing' }, tag: 'button' },
    };
    expect((await post(t.url, '/lark/card', legacySigned(legacy, 'not-the-token'))).status).toBe(401);
    expect(
      (
        await post(t.url, '/lark/card', {
          body: JSON.stringify(legacy),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    expect((await post(t.url, '/lark/card', legacySigned(legacy))).status).toBe(200);
    expect(
      (await post(t.url, '/lark/card', legacySigned(legacy, TEST_VERIFICATION_TOKEN, WALL - 3600_000))).status,
    ).toBe(401);
    const wrongToken = cardActionEvent({ token: 'wrong-verification-token', value: { action: 'nothing' } });
    expect((await post(t.url, '/lark/card', legacySigned(wrongToken))).status).toBe(401);
    expect(
      (await post(t.url, '/lark/card', legacySigned(cardActionEvent({ value: { action: 'nothing' } })))).status,
    ).toBe(200);
  });
});
