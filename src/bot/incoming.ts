import { z } from 'zod';
import type { LarkEvent } from '../lark/envelope.js';
import type { CardAction, IncomingMessage } from './types.js';

// Lark's event payloads → the transport-free shapes the bot handlers take. Read with zod, liberally
// (as envelope.ts reads the envelope): a field of the wrong type counts as absent, never as an
// error, since Lark adds and varies fields; the decoder says null when what it needs is missing.

/** A non-empty string, or absent. */
const str = z.string().min(1).optional().catch(undefined);
/** An object of this shape; anything else (an array, a string) reads as `{}`. */
const loose = <S extends z.ZodRawShape>(shape: S) => z.object(shape).catch({} as z.infer<z.ZodObject<S>>);
/** A JSON-encoded object (card values, message content arrive as strings), or the object itself. */
const jsonObject = z
  .unknown()
  .optional()
  .transform((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return undefined;
    }
  });
const record = z.record(z.string(), z.unknown()).catch({});

const ids = loose({ open_id: str, user_id: str });
const mention = loose({ key: str, id: ids, name: str });
const postElement = loose({ tag: z.unknown().optional(), text: z.unknown().optional(), user_id: str, user_name: str });
const postBody = loose({ title: str, content: z.array(z.array(z.unknown()).catch([])).optional().catch(undefined) });

const messageV2 = z.object({
  message: loose({
    message_id: str,
    chat_id: str,
    chat_type: z.unknown().optional(),
    message_type: str,
    content: jsonObject,
    create_time: z.unknown().optional(),
    mentions: z.array(mention).catch([]),
  }),
  sender: loose({ sender_id: ids }),
});
const messageV1 = z.object({
  open_message_id: str,
  open_chat_id: str,
  chat_type: z.unknown().optional(),
  open_id: str,
  msg_type: str,
  text_without_at_bot: str,
  text: str,
});
const cardAction = z.object({
  action: loose({ value: jsonObject.pipe(record), form_value: z.unknown().optional() }),
  context: loose({ open_message_id: str, open_chat_id: str }),
  operator: loose({ open_id: str }),
  open_id: str,
  open_message_id: str,
  open_chat_id: str,
});
const botAdded = z.object({ chat_id: str, open_chat_id: str, name: str, chat_name: str });
const p2pEntered = z.object({
  operator_id: loose({ open_id: str }),
  user: loose({ open_id: str }),
  operator: loose({ open_id: str }),
  chat_id: str,
});

interface Mention {
  key: string;
  openId?: string;
  userId?: string;
  name: string;
}

/**
 * Rich text as received has no locale wrapper (`{title, content:[[…]]}`), but what was sent does
 * (`{zh_cn:{…}}`): accept both. Paragraphs become lines; `at` elements become @_user_N placeholders
 * (resolved with the text's), images and emoji are dropped.
 */
function flattenPost(content: unknown): string {
  let c = postBody.parse(content);
  if (!c.content) {
    const inner = Object.values(record.parse(content)).find((v) => postBody.parse(v).content);
    c = postBody.parse(inner);
  }
  const lines: string[] = [];
  if (c.title) lines.push(c.title);
  for (const para of c.content ?? []) {
    let line = '';
    for (const el of para) {
      const e = postElement.parse(el);
      switch (e.tag) {
        case 'text':
        case 'a':
        case 'md':
          line += typeof e.text === 'string' ? e.text : '';
          break;
        case 'code_block':
          line += typeof e.text === 'string' ? e.text : '';
          break;
        case 'at': {
          const id = e.user_id ?? '';
          line += id === 'all' || id === '@_all' ? '@_all' : id.startsWith('@_user_') ? id : `@${e.user_name ?? id}`;
          break;
        }
        default:
          break;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/**
 * Which mention is the bot: the one with the bot's open_id when known. Otherwise (no bot info) the
 * mention that opens a group message, which is how people address a bot ("@Bot 本周新增…").
 */
function botMentionKey(mentions: Mention[], text: string, chatType: string, botOpenId?: string): string | undefined {
  if (botOpenId) return mentions.find((m) => m.openId === botOpenId)?.key;
  if (chatType !== 'group') return undefined;
  const lead = /^\s*(@_user_\d+)/.exec(text)?.[1];
  return lead && mentions.some((m) => m.key === lead) ? lead : undefined;
}

function tidy(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0\u3000]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** im.message.receive_v1 (2.0) or `message` (1.0) → IncomingMessage; null when the payload has no message. */
export function toIncomingMessage(ev: LarkEvent, botOpenId?: string): IncomingMessage | null {
  if (ev.schema === '1.0') return fromV1(ev);
  const { message: m, sender } = messageV2.parse(ev.event);
  const messageId = m.message_id;
  if (!messageId) return null;
  const chatType = m.chat_type === 'group' ? 'group' : 'p2p';
  const messageType = m.message_type ?? 'unknown';
  const mentions: Mention[] = m.mentions
    .map((x) => ({ key: x.key ?? '', openId: x.id.open_id, userId: x.id.user_id, name: x.name ?? '' }))
    .filter((x) => x.key !== '');

  let raw = '';
  if (messageType === 'text') raw = loose({ text: str }).parse(m.content).text ?? '';
  else if (messageType === 'post') raw = flattenPost(m.content);

  const botKey = botMentionKey(mentions, raw, chatType, botOpenId);
  const text = tidy(
    raw.replace(/@_(user_\d+|all)/g, (key) => {
      if (key === '@_all') return '@所有人';
      if (key === botKey) return '';
      const who = mentions.find((x) => x.key === key);
      return who ? `@${who.name}` : key;
    }),
  );

  return {
    eventId: ev.eventId,
    messageId,
    chatId: m.chat_id ?? '',
    chatType,
    senderOpenId: sender.sender_id.open_id ?? '',
    text,
    mentions: mentions.flatMap((x) => (x.key !== botKey && x.openId ? [{ openId: x.openId, name: x.name }] : [])),
    messageType,
    createTime: Number(m.create_time) || ev.createTime || 0,
  };
}

// Schema 1.0's `message` event: flat, with the bot's mention already removed in text_without_at_bot.
function fromV1(ev: LarkEvent): IncomingMessage | null {
  const e = messageV1.parse(ev.event);
  if (!e.open_message_id) return null;
  const messageType = e.msg_type ?? 'unknown';
  return {
    eventId: ev.eventId,
    messageId: e.open_message_id,
    chatId: e.open_chat_id ?? '',
    chatType: e.chat_type === 'group' ? 'group' : 'p2p',
    senderOpenId: e.open_id ?? '',
    text: messageType === 'text' ? tidy(e.text_without_at_bot ?? e.text ?? '') : '',
    mentions: [],
    messageType,
    createTime: ev.createTime ?? 0,
  };
}

/** card.action.trigger (2.0) or a legacy card callback → CardAction. */
export function toCardAction(ev: LarkEvent): CardAction {
  const e = cardAction.parse(ev.event);
  const form = e.action.form_value === undefined ? undefined : record.parse(e.action.form_value);
  const openMessageId = e.context.open_message_id ?? e.open_message_id;
  const openChatId = e.context.open_chat_id ?? e.open_chat_id;
  return {
    eventId: ev.eventId,
    // card.action.trigger names the clicker in event.operator; only the bare legacy callback has
    // open_id at the top. Never both: a 2.0 event's own open_id field is not the operator.
    operatorOpenId: (ev.schema === 'card' ? e.open_id : e.operator.open_id) ?? '',
    value: e.action.value ?? {},
    ...(form ? { formValue: form } : {}),
    ...(openMessageId ? { openMessageId } : {}),
    ...(openChatId ? { openChatId } : {}),
  };
}

/** im.chat.member.bot.added_v1 / add_bot → the chat. */
export function toBotAdded(ev: LarkEvent): { eventId: string; chatId: string; name?: string } | null {
  const e = botAdded.parse(ev.event);
  const chatId = e.chat_id ?? e.open_chat_id;
  if (!chatId) return null;
  const name = e.name ?? e.chat_name;
  return { eventId: ev.eventId, chatId, ...(name ? { name } : {}) };
}

/** im.chat.access_event.bot_p2p_chat_entered_v1 / p2p_chat_create → the user. */
export function toP2pEntered(ev: LarkEvent): { eventId: string; openId: string; chatId?: string } | null {
  const e = p2pEntered.parse(ev.event);
  const openId = e.operator_id.open_id ?? e.user.open_id ?? e.operator.open_id;
  if (!openId) return null;
  return { eventId: ev.eventId, openId, ...(e.chat_id ? { chatId: e.chat_id } : {}) };
}
