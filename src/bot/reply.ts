import type { Deps } from '../deps.js';
import { sha256Hex } from '../lark/verify.js';
import { enqueue } from '../outbox/enqueue.js';
import type { Card } from '../cards/kit.js';

// Every answer goes through the outbox with a uuid derived from what caused it (the message replied
// to, the report and action clicked), so running a handler again never answers twice.

/** `prefix` + key when it fits Lark's 50 characters, else prefix + a hash of the key. */
export async function uuidFor(prefix: string, key: string): Promise<string> {
  const plain = `${prefix}${key}`;
  if (plain.length <= 50) return plain;
  return prefix + (await sha256Hex(key)).slice(0, 50 - prefix.length);
}

export type Answer = Card | string;

function content(a: Answer): { msgType: 'text' | 'interactive'; content: string } {
  return typeof a === 'string'
    ? { msgType: 'text', content: JSON.stringify({ text: a }) }
    : { msgType: 'interactive', content: JSON.stringify(a) };
}

/** Replies to a chat message. `tag` tells apart several answers to one message. */
export async function replyTo(deps: Deps, messageId: string, answer: Answer, tag = 'r'): Promise<boolean> {
  return enqueue(deps, { kind: 'reply', messageId, ...content(answer) }, await uuidFor(`${tag}-`, messageId));
}

/** Sends to a user's p2p chat. `key` is what makes this message unique (the report and action). */
export async function sendToUser(deps: Deps, openId: string, answer: Answer, key: string, tag = 'u'): Promise<boolean> {
  return enqueue(
    deps,
    { kind: 'send', receiveIdType: 'open_id', receiveId: openId, ...content(answer) },
    await uuidFor(`${tag}-`, `${key}|${openId}`),
  );
}

/** Sends to a group. */
export async function sendToChat(deps: Deps, chatId: string, answer: Answer, key: string, tag = 'c'): Promise<boolean> {
  return enqueue(
    deps,
    { kind: 'send', receiveIdType: 'chat_id', receiveId: chatId, ...content(answer) },
    await uuidFor(`${tag}-`, `${key}|${chatId}`),
  );
}
