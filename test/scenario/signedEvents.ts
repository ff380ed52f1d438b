// Lark's webhook requests built with WebCrypto only, so the same code runs in Node and in workerd:
// AES-256-CBC with key SHA-256(encryptKey), body {"encrypt": base64(iv ‖ ciphertext)}, signed
// hex(SHA-256(timestamp + nonce + encryptKey + body)). Written from the platform notes, independent
// of src/lark/verify.ts.

export const SCENARIO_ENCRYPT_KEY = 'scenario-encrypt-key-5d1e';
export const SCENARIO_TOKEN = 'scenario-verification-token-8b2c';
const APP_ID = 'cli_scenario000000001';

const bytes = (s: string) => new TextEncoder().encode(s);
const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
function base64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

async function encrypt(plain: string, key: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', await crypto.subtle.digest('SHA-256', bytes(key)), 'AES-CBC', false, [
    'encrypt',
  ]);
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, k, bytes(plain)));
  const out = new Uint8Array(16 + ct.length);
  out.set(iv);
  out.set(ct, 16);
  return base64(out);
}

/** The POST Lark would send for `payload`: encrypted, signed. */
export async function signedRequest(url: string, payload: unknown, key = SCENARIO_ENCRYPT_KEY): Promise<Request> {
  const body = JSON.stringify({ encrypt: await encrypt(JSON.stringify(payload), key) });
  const ts = String(Math.floor(Date.now() / 1000));
  const nonce = hex(crypto.getRandomValues(new Uint8Array(8)).buffer as ArrayBuffer);
  const sig = hex(await crypto.subtle.digest('SHA-256', bytes(ts + nonce + key + body)));
  return new Request(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-lark-request-timestamp': ts,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': sig,
    },
  });
}

const header = (type: string, eventId: string, createTime: number) => ({
  event_id: eventId,
  event_type: type,
  create_time: String(createTime),
  token: SCENARIO_TOKEN,
  app_id: APP_ID,
  tenant_key: 'tk_scenario',
});

export interface MessageSpec {
  eventId: string;
  messageId: string;
  from: string;
  text: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  /** Lark's create_time (ms): the order the user sent them. */
  sentAt: number;
  /** Prefix the text with an @mention of this open id (the bot, in groups). */
  mention?: string;
}

/** im.message.receive_v1, schema 2.0. */
export function messagePayload(m: MessageSpec): Record<string, unknown> {
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', m.eventId, m.sentAt),
    event: {
      sender: {
        sender_id: { open_id: m.from, union_id: `on_${m.from}`, user_id: 'u_scn' },
        sender_type: 'user',
        tenant_key: 'tk_scenario',
      },
      message: {
        message_id: m.messageId,
        create_time: String(m.sentAt),
        chat_id: m.chatId,
        chat_type: m.chatType,
        message_type: 'text',
        content: JSON.stringify({ text: m.mention ? `@_user_1 ${m.text}` : m.text }),
        mentions: m.mention
          ? [
              {
                key: '@_user_1',
                id: { open_id: m.mention, union_id: 'on_bot', user_id: '' },
                name: '进度助手',
                tenant_key: 'tk_scenario',
              },
            ]
          : [],
      },
    },
  };
}

/** card.action.trigger for a button's callback value. */
export function clickPayload(o: {
  eventId: string;
  from: string;
  value: Record<string, unknown>;
  messageId: string;
  chatId: string;
  at: number;
}): Record<string, unknown> {
  return {
    schema: '2.0',
    header: header('card.action.trigger', o.eventId, o.at),
    event: {
      operator: { tenant_key: 'tk_scenario', user_id: 'u_scn', open_id: o.from, union_id: `on_${o.from}` },
      token: `c-${o.eventId}`,
      action: { value: o.value, tag: 'button' },
      host: 'im_message',
      context: { open_message_id: o.messageId, open_chat_id: o.chatId },
    },
  };
}

/** im.chat.member.bot.added_v1. */
export function botAddedPayload(o: {
  eventId: string;
  chatId: string;
  name: string;
  at: number;
}): Record<string, unknown> {
  return {
    schema: '2.0',
    header: header('im.chat.member.bot.added_v1', o.eventId, o.at),
    event: {
      chat_id: o.chatId,
      operator_id: { open_id: 'ou_scn_operator', union_id: 'on_x', user_id: 'x' },
      external: false,
      operator_tenant_key: 'tk_scenario',
      name: o.name,
    },
  };
}
