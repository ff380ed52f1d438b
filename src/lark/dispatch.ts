import { handleCardAction } from '../bot/handleCardAction.js';
import { handleBotAdded, handleP2pEntered } from '../bot/handleChatEvents.js';
import { handleMessage } from '../bot/handleMessage.js';
import type { CardActionResponse } from '../bot/types.js';
import { claimMessage, insertEvent, leaseEvent, markEventDone, markEventFailed } from '../db/inboxRepo.js';
import type { Deps } from '../deps.js';
import { kickDelivery } from '../outbox/kickDelivery.js';
import { messageOrder, processInChatOrder } from './chatOrder.js';
import { EventTypes, isType, readEnvelope, withoutTokens, type LarkEvent } from './envelope.js';
import { safeError } from './safeError.js';
import { toBotAdded, toCardAction, toIncomingMessage, toP2pEntered } from './incoming.js';

// The one path every verified event takes, whatever brought it (webhook, long connection, a test):
// inbox row first, then processing under a lease, then delivery of what the handlers enqueued.

export interface DispatchOptions {
  /** How long processing holds an event (a crashed holder's events are taken again after). */
  leaseMs?: number;
  /** Processing attempts before an event is marked failed. */
  maxAttempts?: number;
  /** After processing, keep delivering the outbox while retries come due within this long. */
  deliverWaitMs?: number;
  /** A card click is answered within this long (Lark allows 3 s); slower work continues deferred. */
  cardTimeoutMs?: number;
  /**
   * Who processes an event once it is stored (Node's processing thread); default: deferred here,
   * on this thread (Workers, tests).
   */
  onAccepted?: (eventId: string) => void;
}

const defaults: Required<Omit<DispatchOptions, 'onAccepted'>> = { leaseMs: 60_000, maxAttempts: 5, deliverWaitMs: 20_000, cardTimeoutMs: 2_500 };

// Logged and kept on the inbox row: never a database error's parameters (the decrypted event).
const errText = safeError;

/**
 * Stores a verified event and defers its processing. Returns false for a duplicate event_id (Lark's
 * retry, or another instance got it first): nothing more happens.
 */
export async function acceptEvent(deps: Deps, ev: LarkEvent, opts: DispatchOptions = {}): Promise<boolean> {
  const isNew = await insertEvent(deps.db, { eventId: ev.eventId, eventType: ev.eventType, payload: JSON.stringify(withoutTokens(ev)), ...messageOrder(ev) }, deps.clock.now().getTime());
  if (!isNew) {
    deps.log.info('lark_event_duplicate', { eventId: ev.eventId, eventType: ev.eventType });
    return false;
  }
  deps.log.debug('lark_event_accepted', { eventId: ev.eventId, eventType: ev.eventType });
  // The queued work holds the id only: the event itself is in the inbox, and a backlog of tens of
  // thousands of parsed events would otherwise sit in memory.
  const eventId = ev.eventId;
  if (opts.onAccepted) opts.onAccepted(eventId);
  else deps.defer(`event:${eventId}`, () => processAccepted(deps, eventId, opts));
  return true;
}

/** Processes a stored event, then starts delivering what it enqueued. */
export async function processAccepted(deps: Deps, eventId: string, opts: DispatchOptions = {}): Promise<void> {
  // A chat's messages take effect in Lark's order: whoever holds the chat's lease drains it.
  await processInChatOrder(deps, eventId, (id) => processEvent(deps, id, opts));
  // Delivery waits on the network and on rate limits: its own deferred work, not this event's turn.
  deps.defer('outbox', () => kickDelivery(deps, { waitUpToMs: opts.deliverWaitMs ?? defaults.deliverWaitMs }));
}

export type ProcessResult = 'done' | 'not_mine' | 'retry' | 'failed';

/** Leases an inbox row, dispatches it, marks it. 'not_mine' when it is done or held by someone else. */
export async function processEvent(deps: Deps, eventId: string, opts: DispatchOptions = {}): Promise<ProcessResult> {
  const o = { ...defaults, ...opts };
  const row = await leaseEvent(deps.db, eventId, deps.clock.now().getTime(), o.leaseMs);
  if (!row) return 'not_mine';
  try {
    const ev = JSON.parse(row.payload) as LarkEvent;
    const note = await dispatchEvent(deps, ev);
    await markEventDone(deps.db, eventId, deps.clock.now().getTime(), note);
    return 'done';
  } catch (err) {
    const now = deps.clock.now().getTime();
    const giveUp = row.attempts >= o.maxAttempts;
    await markEventFailed(deps.db, eventId, now, errText(err), giveUp ? null : now + Math.min(10 * 60_000, 5_000 * 2 ** (row.attempts - 1)));
    deps.log.error(giveUp ? 'lark_event_failed' : 'lark_event_retry', { eventId, eventType: row.eventType, attempts: row.attempts, error: errText(err) });
    return giveUp ? 'failed' : 'retry';
  }
}

/** Calls the handler for one event. Returns a note kept on the inbox row when the event was skipped. */
async function dispatchEvent(deps: Deps, ev: LarkEvent): Promise<string | undefined> {
  if (isType(ev, EventTypes.message)) {
    const bot = await deps.lark?.botOpenId?.().catch(() => undefined);
    const msg = toIncomingMessage(ev, bot);
    if (!msg) return 'no_message_in_event';
    if (await claimMessage(deps.db, msg.messageId, ev.eventId, deps.clock.now().getTime()) === 'duplicate') {
      deps.log.info('lark_message_duplicate', { eventId: ev.eventId, messageId: msg.messageId });
      return 'duplicate_message';
    }
    await handleMessage(deps, msg);
    return undefined;
  }
  if (isType(ev, EventTypes.cardAction)) {
    // Reached only when a click's synchronous answer never completed (the process died): the user
    // saw an error and can click again; running it now, unseen, could apply it twice.
    deps.log.warn('lark_card_action_unanswered', { eventId: ev.eventId });
    return 'card_action_unanswered';
  }
  if (isType(ev, EventTypes.botAdded)) {
    const chat = toBotAdded(ev);
    if (!chat) return 'no_chat_in_event';
    await handleBotAdded(deps, chat);
    return undefined;
  }
  if (isType(ev, EventTypes.p2pEntered)) {
    const user = toP2pEntered(ev);
    if (!user) return 'no_user_in_event';
    await handleP2pEntered(deps, user);
    return undefined;
  }
  deps.log.info('lark_event_ignored', { eventId: ev.eventId, eventType: ev.eventType });
  return 'ignored_unknown_type';
}

/** Lark's answer to a click: `{}` or a toast and/or a replacement card. */
export function cardResponseBody(r: CardActionResponse): Record<string, unknown> {
  return {
    ...(r.toast ? { toast: r.toast } : {}),
    ...(r.card ? { card: { type: 'raw', data: r.card } } : {}),
  };
}

const TIMED_OUT = Symbol('timed out');

/**
 * card.action.trigger: stored (for dedup) and answered synchronously, since Lark shows the answer
 * to the user and does not retry. The row is held while the handler runs so the sweep leaves it
 * alone; if the handler is slower than `cardTimeoutMs`, Lark gets `{}` and the work finishes deferred.
 */
export async function answerCardAction(deps: Deps, ev: LarkEvent, opts: DispatchOptions = {}): Promise<Record<string, unknown>> {
  const o = { ...defaults, ...opts };
  const now = deps.clock.now().getTime();
  const isNew = await insertEvent(deps.db, { eventId: ev.eventId, eventType: ev.eventType, payload: JSON.stringify(withoutTokens(ev)) }, now, now + 10 * 60_000);
  if (!isNew) {
    deps.log.info('lark_event_duplicate', { eventId: ev.eventId, eventType: ev.eventType });
    return {};
  }
  const work = (async () => {
    try {
      const r = await handleCardAction(deps, toCardAction(ev));
      await markEventDone(deps.db, ev.eventId, deps.clock.now().getTime());
      return cardResponseBody(r);
    } catch (err) {
      await markEventFailed(deps.db, ev.eventId, deps.clock.now().getTime(), errText(err), null);
      deps.log.error('lark_card_action_failed', { eventId: ev.eventId, error: errText(err) });
      return { toast: { type: 'error', content: '操作没有完成，请稍后再试。' } };
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const answer = await Promise.race([work, new Promise<typeof TIMED_OUT>((r) => { timer = setTimeout(() => r(TIMED_OUT), o.cardTimeoutMs); })]);
  clearTimeout(timer);
  deps.defer(`card:${ev.eventId}`, async () => {
    await work;
    await kickDelivery(deps, { waitUpToMs: o.deliverWaitMs });
  });
  if (answer === TIMED_OUT) {
    deps.log.warn('lark_card_action_slow', { eventId: ev.eventId, afterMs: o.cardTimeoutMs });
    return {};
  }
  return answer;
}

/**
 * An envelope from a channel that is authenticated already (the long connection: no signature, no
 * encryption): the same inbox and processing as the webhook. Returns what Lark should get back.
 */
export async function dispatchTrusted(deps: Deps, body: unknown, opts: DispatchOptions = {}): Promise<Record<string, unknown>> {
  const env = readEnvelope(body);
  if (env.kind !== 'event') {
    deps.log.warn('lark_ws_refused', { reason: env.kind === 'invalid' ? env.reason : 'unexpected_challenge' });
    return {};
  }
  if (isType(env.event, EventTypes.cardAction)) return answerCardAction(deps, env.event, opts);
  await acceptEvent(deps, env.event, opts);
  return {};
}
