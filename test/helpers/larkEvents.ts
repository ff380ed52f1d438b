import { createCipheriv, createHash, randomBytes } from 'node:crypto';

// Builds requests as Lark sends them: real payload shapes (see ../fixtures/lark), encrypted with
// AES-256-CBC (node:crypto, independent of the code under test) and signed
// hex(SHA256(timestamp + nonce + encryptKey + rawBody)).

export const TEST_ENCRYPT_KEY = 'test-encrypt-key-7f3a9c';
export const TEST_VERIFICATION_TOKEN = 'rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV';
export const TEST_APP_ID = 'cli_9f5343c580712544';

export function encryptForLark(plaintext: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const c = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, c.update(plaintext, 'utf8'), c.final()]).toString('base64');
}

export function signLark(timestamp: string, nonce: string, encryptKey: string, rawBody: string | Buffer): string {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(timestamp + nonce + encryptKey), Buffer.from(rawBody)]))
    .digest('hex');
}

export interface LarkRequestOptions {
  /** Encrypt (and sign) with this key; omit for a plain, unsigned body. */
  encryptKey?: string;
  /** Sign without encrypting (plain body, signature headers). */
  signOnly?: boolean;
  /** Leave the signature headers off. */
  unsigned?: boolean;
  /** Change one character of the signature. */
  tamperSignature?: boolean;
  /** Change the body after signing. */
  tamperBody?: boolean;
}

/** The body and headers Lark would POST for `payload`. */
export function larkRequest(
  payload: unknown,
  o: LarkRequestOptions = {},
): { body: string; headers: Record<string, string> } {
  const plain = JSON.stringify(payload);
  let body = o.encryptKey && !o.signOnly ? JSON.stringify({ encrypt: encryptForLark(plain, o.encryptKey) }) : plain;
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (o.encryptKey && !o.unsigned) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(8).toString('hex');
    let sig = signLark(timestamp, nonce, o.encryptKey, body);
    if (o.tamperSignature) sig = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = sig;
  }
  if (o.tamperBody) body = body.replace(/.$/, ' }').replace(/^\{/, '{ ');
  return { body, headers };
}

/** POSTs an event to a running server (`base` = http://127.0.0.1:PORT). */
export async function postLark(
  base: string,
  payload: unknown,
  o: LarkRequestOptions & { path?: string } = {},
): Promise<Response> {
  const { body, headers } = larkRequest(payload, o);
  return fetch(`${base}${o.path ?? '/lark/events'}`, { method: 'POST', headers, body });
}

let counter = 0;
const hex32 = () => randomBytes(16).toString('hex');

function header(eventType: string, eventId: string, token: string) {
  return {
    event_id: eventId,
    event_type: eventType,
    create_time: String(Date.now()),
    token,
    app_id: TEST_APP_ID,
    tenant_key: '2ca1d211f64f6438',
  };
}

export interface MessageEventOptions {
  eventId?: string;
  messageId?: string;
  chatType?: 'p2p' | 'group';
  chatId?: string;
  senderOpenId?: string;
  /** Text with @_user_N placeholders (the notes' shape). */
  text?: string;
  messageType?: string;
  /** Raw content object (overrides text). */
  content?: unknown;
  mentions?: Array<{ key: string; openId: string; name: string; userId?: string }>;
  token?: string;
}

/** im.message.receive_v1, schema 2.0, as in the platform notes. */
export function messageEvent(o: MessageEventOptions = {}): Record<string, unknown> {
  const n = ++counter;
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', o.eventId ?? hex32(), o.token ?? TEST_VERIFICATION_TOKEN),
    event: {
      sender: {
        sender_id: {
          union_id: 'on_8ed6aa67826108097d9ee143816345',
          user_id: 'e33ggbyz',
          open_id: o.senderOpenId ?? 'ou_84aad35d084aa403a838cf73ee18467',
        },
        sender_type: 'user',
        tenant_key: '736588c9260f175e',
      },
      message: {
        message_id: o.messageId ?? `om_${hex32()}`,
        create_time: String(Date.now()),
        chat_id: o.chatId ?? (o.chatType === 'group' ? 'oc_5ce6d572455d361153b7xx51da133945' : `oc_p2p_${n}`),
        chat_type: o.chatType ?? 'p2p',
        message_type: o.messageType ?? 'text',
        content: JSON.stringify(o.content ?? { text: o.text ?? '本周新增助餐点3个' }),
        mentions: (o.mentions ?? []).map((m) => ({
          key: m.key,
          id: { union_id: `on_${m.openId}`, user_id: m.userId ?? '', open_id: m.openId },
          name: m.name,
          tenant_key: '736588c9260f175e',
        })),
      },
    },
  };
}

/** card.action.trigger (a button with a callback behaviour). */
export function cardActionEvent(
  o: { eventId?: string; value?: Record<string, unknown>; operatorOpenId?: string; token?: string } = {},
): Record<string, unknown> {
  return {
    schema: '2.0',
    header: header('card.action.trigger', o.eventId ?? hex32(), o.token ?? TEST_VERIFICATION_TOKEN),
    event: {
      operator: {
        tenant_key: '736588c9260f175e',
        user_id: 'e33ggbyz',
        open_id: o.operatorOpenId ?? 'ou_84aad35d084aa403a838cf73ee18467',
        union_id: 'on_8ed6aa67826108097d9ee143816345',
      },
      token: 'c-295ee57216a5dc9de90fefd0aadb4b1d7d5c8ff5',
      action: { value: o.value ?? { action: 'confirm', report: 1 }, tag: 'button' },
      host: 'im_message',
      context: { open_message_id: 'om_card_message_1', open_chat_id: 'oc_5ce6d572455d361153b7xx51da133945' },
    },
  };
}

export function botAddedEvent(o: { eventId?: string; chatId?: string; name?: string } = {}): Record<string, unknown> {
  return {
    schema: '2.0',
    header: header('im.chat.member.bot.added_v1', o.eventId ?? hex32(), TEST_VERIFICATION_TOKEN),
    event: {
      chat_id: o.chatId ?? 'oc_group_added_1',
      operator_id: { open_id: 'ou_84aad35d084aa403a838cf73ee18467', union_id: 'on_x', user_id: 'e33ggbyz' },
      external: false,
      operator_tenant_key: '736588c9260f175e',
      name: o.name ?? '民生实事专班',
    },
  };
}

export function p2pEnteredEvent(o: { eventId?: string; openId?: string } = {}): Record<string, unknown> {
  return {
    schema: '2.0',
    header: header('im.chat.access_event.bot_p2p_chat_entered_v1', o.eventId ?? hex32(), TEST_VERIFICATION_TOKEN),
    event: {
      chat_id: 'oc_p2p_entered_1',
      operator_id: { open_id: o.openId ?? 'ou_new_user_1', union_id: 'on_y', user_id: 'u1' },
      last_message_id: '',
      last_message_create_time: '',
    },
  };
}

export function challengeRequest(
  challenge = 'ajls384kdjx98XX',
  token = TEST_VERIFICATION_TOKEN,
): Record<string, unknown> {
  return { challenge, token, type: 'url_verification' };
}
