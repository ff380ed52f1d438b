import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { encryptEvent, sha256Hex } from '../../src/lark/verify.js';

// The Worker build receiving Lark events in workerd: WebCrypto decryption and signature, the D1 inbox.

const KEY = 'worker-test-encrypt-key';
const TOKEN = 'worker-test-verification-token';
const worker = () => (exports as unknown as { default: Fetcher }).default;
const db = () => (env as unknown as { DB: D1Database }).DB;

async function signedRequest(payload: unknown, opts: { tamper?: boolean } = {}): Promise<RequestInit> {
  const body = JSON.stringify({ encrypt: await encryptEvent(JSON.stringify(payload), KEY) });
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = 'workerd-nonce';
  let sig = await sha256Hex(ts + nonce + KEY + body);
  if (opts.tamper) sig = (sig[0] === '0' ? '1' : '0') + sig.slice(1);
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': ts,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': sig,
    },
    body,
  };
}

function messageEvent(eventId: string) {
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: TOKEN,
      app_id: 'cli_9f5343c580712544',
      tenant_key: 't',
    },
    event: {
      sender: { sender_id: { open_id: 'ou_worker_sender' }, sender_type: 'user' },
      message: {
        message_id: `om_${eventId}`,
        create_time: String(Date.now()),
        chat_id: 'oc_w',
        chat_type: 'p2p',
        message_type: 'text',
        content: JSON.stringify({ text: '本周新增助餐点3个' }),
      },
    },
  };
}

describe('Lark events on the Worker', () => {
  it('an encrypted, signed event is answered 200 and lands in the D1 inbox once', async () => {
    const ev = messageEvent('ev_workerd_1');
    const res = await worker().fetch('http://worker/lark/events', await signedRequest(ev));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const again = await worker().fetch('http://worker/lark/events', await signedRequest(ev));
    expect(again.status).toBe(200);
    const rows = await db()
      .prepare("select event_id, event_type from processed_events where event_id = 'ev_workerd_1'")
      .all<{ event_id: string; event_type: string }>();
    expect(rows.results).toEqual([{ event_id: 'ev_workerd_1', event_type: 'im.message.receive_v1' }]);
  });

  it('answers the encrypted challenge and refuses a tampered signature', async () => {
    const body = JSON.stringify({
      encrypt: await encryptEvent(JSON.stringify({ type: 'url_verification', challenge: 'wc', token: TOKEN }), KEY),
    });
    const res = await worker().fetch('http://worker/lark/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(await res.json()).toEqual({ challenge: 'wc' });
    const bad = await worker().fetch(
      'http://worker/lark/events',
      await signedRequest(messageEvent('ev_workerd_bad'), { tamper: true }),
    );
    expect(bad.status).toBe(401);
    const n = await db()
      .prepare("select count(*) as n from processed_events where event_id = 'ev_workerd_bad'")
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });
});
