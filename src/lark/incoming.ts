import type { CardAction, IncomingMessage } from '../bot/types.js';
import type { LarkEvent } from './envelope.js';

// Lark's event payloads → the transport-free shapes the bot handlers take.

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {});
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

interface Mention { key: string; openId?: string; userId?: string; name: string }

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try { return JSON.parse(text); } catch { return undefined; }
}

/**
 * Rich text as received has no locale wrapper (`{title, content:[[…]]}`), but what was sent does
 * (`{zh_cn:{…}}`): accept both. Paragraphs become lines; `at` elements become @_user_N placeholders
 * (resolved with the text's), images and emoji are dropped.
 */
function flattenPost(content: unknown): string {
  let c = rec(content);
  if (!Array.isArray(c.content)) {
    const inner = Object.values(c).find((v) => Array.isArray(rec(v).content));
    c = rec(inner);
  }
  const lines: string[] = [];
  const title = s(c.title);
  if (title) lines.push(title);
  for (const para of Array.isArray(c.content) ? c.content : []) {
    let line = '';
    for (const el of Array.isArray(para) ? para : []) {
      const e = rec(el);
      switch (e.tag) {
        case 'text': case 'a': case 'md': line += typeof e.text === 'string' ? e.text : ''; break;
        case 'code_block': line += typeof e.text === 'string' ? e.text : ''; break;
        case 'at': {
          const id = s(e.user_id) ?? '';
          line += id === 'all' || id === '@_all' ? '@_all' : id.startsWith('@_user_') ? id : `@${s(e.user_name) ?? id}`;
          break;
        }
        default: break;
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
  return text.split('\n').map((l) => l.replace(/[ \t\u00a0\u3000]+/g, ' ').trim()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** im.message.receive_v1 (2.0) or `message` (1.0) → IncomingMessage; null when the payload has no message. */
export function toIncomingMessage(ev: LarkEvent, botOpenId?: string): IncomingMessage | null {
  if (ev.schema === '1.0') return fromV1(ev);
  const e = ev.event;
  const m = rec(e.message);
  const messageId = s(m.message_id);
  if (!messageId) return null;
  const sender = rec(rec(e.sender).sender_id);
  const chatType = m.chat_type === 'group' ? 'group' : 'p2p';
  const messageType = s(m.message_type) ?? 'unknown';
  const mentions: Mention[] = (Array.isArray(m.mentions) ? m.mentions : []).map((x) => {
    const r = rec(x);
    const id = rec(r.id);
    return { key: s(r.key) ?? '', openId: s(id.open_id), userId: s(id.user_id), name: s(r.name) ?? '' };
  }).filter((x) => x.key !== '');

  const content = parseJson(m.content);
  let raw = '';
  if (messageType === 'text') raw = s(rec(content).text) ?? '';
  else if (messageType === 'post') raw = flattenPost(content);

  const botKey = botMentionKey(mentions, raw, chatType, botOpenId);
  const text = tidy(raw.replace(/@_(user_\d+|all)/g, (key) => {
    if (key === '@_all') return '@所有人';
    if (key === botKey) return '';
    const who = mentions.find((x) => x.key === key);
    return who ? `@${who.name}` : key;
  }));

  return {
    eventId: ev.eventId,
    messageId,
    chatId: s(m.chat_id) ?? '',
    chatType,
    senderOpenId: s(sender.open_id) ?? '',
    text,
    mentions: mentions.filter((x) => x.key !== botKey && x.openId).map((x) => ({ openId: x.openId as string, name: x.name })),
    messageType,
    createTime: Number(m.create_time) || ev.createTime || 0,
  };
}

// Schema 1.0's `message` event: flat, with the bot's mention already removed in text_without_at_bot.
function fromV1(ev: LarkEvent): IncomingMessage | null {
  const e = ev.event;
  const messageId = s(e.open_message_id);
  if (!messageId) return null;
  const messageType = s(e.msg_type) ?? 'unknown';
  return {
    eventId: ev.eventId,
    messageId,
    chatId: s(e.open_chat_id) ?? '',
    chatType: e.chat_type === 'group' ? 'group' : 'p2p',
    senderOpenId: s(e.open_id) ?? '',
    text: messageType === 'text' ? tidy(s(e.text_without_at_bot) ?? s(e.text) ?? '') : '',
    mentions: [],
    messageType,
    createTime: ev.createTime ?? 0,
  };
}

/** card.action.trigger (2.0) or a legacy card callback → CardAction. */
export function toCardAction(ev: LarkEvent): CardAction {
  const e = ev.event;
  const action = rec(e.action);
  const ctx = rec(e.context);
  const value = typeof action.value === 'string' ? rec(parseJson(action.value)) : rec(action.value);
  const form = action.form_value === undefined ? undefined : rec(action.form_value);
  return {
    eventId: ev.eventId,
    // card.action.trigger names the clicker in event.operator; only the bare legacy callback has
    // open_id at the top. Never both: a 2.0 event's own open_id field is not the operator.
    operatorOpenId: (ev.schema === 'card' ? s(e.open_id) : s(rec(e.operator).open_id)) ?? '',
    value,
    ...(form ? { formValue: form } : {}),
    ...(s(ctx.open_message_id) ?? s(e.open_message_id) ? { openMessageId: s(ctx.open_message_id) ?? s(e.open_message_id) } : {}),
    ...(s(ctx.open_chat_id) ?? s(e.open_chat_id) ? { openChatId: s(ctx.open_chat_id) ?? s(e.open_chat_id) } : {}),
  };
}

/** im.chat.member.bot.added_v1 / add_bot → the chat. */
export function toBotAdded(ev: LarkEvent): { eventId: string; chatId: string; name?: string } | null {
  const e = ev.event;
  const chatId = s(e.chat_id) ?? s(e.open_chat_id);
  if (!chatId) return null;
  const name = s(e.name) ?? s(e.chat_name);
  return { eventId: ev.eventId, chatId, ...(name ? { name } : {}) };
}

/** im.chat.access_event.bot_p2p_chat_entered_v1 / p2p_chat_create → the user. */
export function toP2pEntered(ev: LarkEvent): { eventId: string; openId: string; chatId?: string } | null {
  const e = ev.event;
  const openId = s(rec(e.operator_id).open_id) ?? s(rec(e.user).open_id) ?? s(rec(e.operator).open_id);
  if (!openId) return null;
  const chatId = s(e.chat_id);
  return { eventId: ev.eventId, openId, ...(chatId ? { chatId } : {}) };
}
