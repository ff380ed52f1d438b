import { claimMessage } from '../db/inboxRepo.js';
import type { Deps } from '../deps.js';
import type { EventRouter } from '../inbox/inbox.js';
import type { LarkEvent } from '../lark/envelope.js';
import { handleCardAction } from './handleCardAction.js';
import { handleBotAdded, handleP2pEntered } from './handleChatEvents.js';
import { handleMessage } from './handleMessage.js';
import { toBotAdded, toCardAction, toIncomingMessage, toP2pEntered } from './incoming.js';
import type { CardActionResponse } from './types.js';

// What each Lark event means to the bot: one entry per event type (both schemas' names), a zod
// decoder (incoming.ts) and the use case. Adding an event type is adding an entry here.

/** A note kept on the inbox row when the event was skipped; undefined when it was handled. */
type Note = string | undefined;

interface Route<T> {
  /** The handler's input, or null when the payload lacks what it needs. */
  decode(ev: LarkEvent, botOpenId: string | undefined): T | null;
  /** The inbox note when decode says null. */
  undecodable: string;
  /** Message events need the bot's open_id to tell its mention from others. */
  needsBotOpenId?: boolean;
  handle(deps: Deps, input: T, ev: LarkEvent): Promise<Note>;
}

type Run = (deps: Deps, ev: LarkEvent) => Promise<Note>;

/** Closes a route over its input type, so routes of different inputs share one table. */
function route<T>(r: Route<T>): Run {
  return async (deps, ev) => {
    const bot = r.needsBotOpenId ? await deps.lark?.botOpenId?.().catch(() => undefined) : undefined;
    const input = r.decode(ev, bot);
    return input === null ? r.undecodable : r.handle(deps, input, ev);
  };
}

const message = route({
  decode: toIncomingMessage,
  undecodable: 'no_message_in_event',
  needsBotOpenId: true,
  async handle(deps, msg, ev) {
    if ((await claimMessage(deps.db, msg.messageId, ev.eventId, deps.clock.now().getTime())) === 'duplicate') {
      deps.log.info('lark_message_duplicate', { eventId: ev.eventId, messageId: msg.messageId });
      return 'duplicate_message';
    }
    await handleMessage(deps, msg);
    return undefined;
  },
});

const cardAction = route({
  decode: toCardAction,
  undecodable: 'no_action_in_event',
  // Clicks are answered synchronously (answerCard below); the inbox routes one only when that
  // answer never completed (the process died): the user saw an error and can click again, and
  // running it now, unseen, could apply it twice.
  async handle(deps, _action, ev) {
    deps.log.warn('lark_card_action_unanswered', { eventId: ev.eventId });
    return 'card_action_unanswered';
  },
});

const botAdded = route({
  decode: toBotAdded,
  undecodable: 'no_chat_in_event',
  async handle(deps, chat) {
    await handleBotAdded(deps, chat);
    return undefined;
  },
});

const p2pEntered = route({
  decode: toP2pEntered,
  undecodable: 'no_user_in_event',
  async handle(deps, user) {
    await handleP2pEntered(deps, user);
    return undefined;
  },
});

/** Event type (2.0's name and 1.0's) → its route. */
export const eventRoutes: Readonly<Record<string, Run>> = {
  'im.message.receive_v1': message,
  message,
  'card.action.trigger': cardAction,
  'im.chat.member.bot.added_v1': botAdded,
  add_bot: botAdded,
  'im.chat.access_event.bot_p2p_chat_entered_v1': p2pEntered,
  p2p_chat_create: p2pEntered,
};

/** Lark's answer to a click: `{}` or a toast and/or a replacement card. */
export function cardResponseBody(r: CardActionResponse): Record<string, unknown> {
  return {
    ...(r.toast ? { toast: r.toast } : {}),
    ...(r.card ? { card: { type: 'raw', data: r.card } } : {}),
  };
}

/** The inbox's router: the table above, and the synchronous answer to a card click. */
export const botRouter: EventRouter = {
  async route(deps, ev) {
    const run = Object.hasOwn(eventRoutes, ev.eventType) ? eventRoutes[ev.eventType] : undefined;
    if (run) return run(deps, ev);
    deps.log.info('lark_event_ignored', { eventId: ev.eventId, eventType: ev.eventType });
    return 'ignored_unknown_type';
  },
  async answerCard(deps, ev) {
    return cardResponseBody(await handleCardAction(deps, toCardAction(ev)));
  },
};
