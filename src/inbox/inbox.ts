import { insertEvent, leaseEvent, markEventDone, markEventFailed, type NewEvent } from '../db/inboxRepo.js';
import type { Deps } from '../deps.js';
import { backoffMs } from '../backoff.js';
import type { LarkEvent } from '../lark/envelope.js';
import { withoutTokens } from '../lark/envelope.js';
import { safeError } from '../lark/safeError.js';
import { messageOrder, processInChatOrder, type ProcessResult } from './chatOrder.js';

// The one path every verified event takes, whatever brought it (webhook, long connection, a test):
// inbox row first (under `npm start`, an accept-log line the processing thread moves here), then
// processing under a lease. The inbox knows no use case: what an event means
// is the router's (bot/eventRoutes.ts), and what follows processing (delivering the outbox) is the
// composing layer's `afterProcessing` (eventPath.ts).

export type { ProcessResult } from './chatOrder.js';

/** What runs a stored event. Implemented by the bot's route table. */
export interface EventRouter {
  /** Runs the use case for an event; returns a note kept on the inbox row when it was skipped. */
  route(deps: Deps, ev: LarkEvent): Promise<string | undefined>;
  /** A card click's synchronous answer, the body Lark shows the user (`{}`, a toast, a card). */
  answerCard(deps: Deps, ev: LarkEvent): Promise<Record<string, unknown>>;
}

export interface InboxTuning {
  /** How long processing holds an event (a crashed holder's events are taken again after). */
  leaseMs?: number;
  /** Processing attempts before an event is marked failed. */
  maxAttempts?: number;
  /** A card click is answered within this long (Lark allows 3 s); slower work continues deferred. */
  cardTimeoutMs?: number;
  /**
   * Who processes an event once it is stored (Node's processing thread); default: deferred here,
   * on this thread (Workers, tests).
   */
  onAccepted?: (eventId: string) => void;
  /**
   * Where an accepted event is kept until it reaches the inbox, instead of the inbox itself
   * (Node's accept log, moved into the inbox by the processing thread). Rejects when the event
   * could not be kept (Lark gets a 500 and sends it again). Duplicates are then told apart when the
   * event reaches the inbox, by its key, as always.
   */
  keep?: (e: NewEvent & { receivedAt: number }) => Promise<void>;
  /** Asked between events: true stops processing after the event in hand (a shutdown). */
  stop?: () => boolean;
}

export interface InboxOptions extends InboxTuning {
  router: EventRouter;
  /** Deferred after an event (or a card click) was processed: delivery of what it enqueued. */
  afterProcessing?: (deps: Deps) => Promise<unknown>;
}

const defaults = { leaseMs: 60_000, maxAttempts: 5, cardTimeoutMs: 2_500 };

/** Retries of a failed event: 5 s, 10 s, 20 s … up to 10 minutes (the shared policy's jitter included). */
export const INBOX_RETRY = { baseMs: 5_000, maxMs: 10 * 60_000 };

// Logged and kept on the inbox row: never a database error's parameters (the decrypted event).
const errText = safeError;

/**
 * Stores a verified event and defers its processing. Returns false for a duplicate event_id (Lark's
 * retry, or another instance got it first): nothing more happens. With `keep` (Node's accept log)
 * it returns true: the duplicate is found when the event is moved into the inbox.
 */
export async function acceptEvent(deps: Deps, ev: LarkEvent, opts: InboxOptions): Promise<boolean> {
  const e: NewEvent = {
    eventId: ev.eventId,
    eventType: ev.eventType,
    payload: JSON.stringify(withoutTokens(ev)),
    ...messageOrder(ev),
  };
  const now = deps.clock.now().getTime();
  if (opts.keep) {
    await opts.keep({ ...e, receivedAt: now });
    opts.onAccepted?.(ev.eventId);
    return true;
  }
  const isNew = await insertEvent(deps.db, e, now);
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

/** Processes a stored event, then defers `afterProcessing` (delivery of what it enqueued). */
export async function processAccepted(deps: Deps, eventId: string, opts: InboxOptions): Promise<void> {
  // A chat's messages take effect in Lark's order: whoever holds the chat's lease drains it.
  await processInChatOrder(deps, eventId, (id) => processEvent(deps, id, opts), opts.stop ? { stop: opts.stop } : {});
  // Delivery waits on the network and on rate limits: its own deferred work, not this event's turn.
  const after = opts.afterProcessing;
  if (after)
    deps.defer('outbox', async () => {
      await after(deps);
    });
}

/** Leases an inbox row, routes it, marks it. 'not_mine' when it is done or held by someone else. */
export async function processEvent(deps: Deps, eventId: string, opts: InboxOptions): Promise<ProcessResult> {
  const o = { ...defaults, ...opts };
  const row = await leaseEvent(deps.db, eventId, deps.clock.now().getTime(), o.leaseMs);
  if (!row) return 'not_mine';
  try {
    const ev = JSON.parse(row.payload) as LarkEvent;
    const note = await o.router.route(deps, ev);
    await markEventDone(deps.db, eventId, deps.clock.now().getTime(), note);
    return 'done';
  } catch (err) {
    const now = deps.clock.now().getTime();
    const giveUp = row.attempts >= o.maxAttempts;
    await markEventFailed(
      deps.db,
      eventId,
      now,
      errText(err),
      giveUp ? null : now + backoffMs(row.attempts, INBOX_RETRY.baseMs, INBOX_RETRY.maxMs),
    );
    deps.log.error(giveUp ? 'lark_event_failed' : 'lark_event_retry', {
      eventId,
      eventType: row.eventType,
      attempts: row.attempts,
      error: errText(err),
    });
    return giveUp ? 'failed' : 'retry';
  }
}

const TIMED_OUT = Symbol('timed out');

/**
 * card.action.trigger: stored (for dedup) and answered synchronously, since Lark shows the answer
 * to the user and does not retry. The row is held while the handler runs so the sweep leaves it
 * alone; if the handler is slower than `cardTimeoutMs`, Lark gets `{}` and the work finishes deferred.
 */
export async function answerCardAction(
  deps: Deps,
  ev: LarkEvent,
  opts: InboxOptions,
): Promise<Record<string, unknown>> {
  const o = { ...defaults, ...opts };
  const now = deps.clock.now().getTime();
  const isNew = await insertEvent(
    deps.db,
    { eventId: ev.eventId, eventType: ev.eventType, payload: JSON.stringify(withoutTokens(ev)) },
    now,
    now + 10 * 60_000,
  );
  if (!isNew) {
    deps.log.info('lark_event_duplicate', { eventId: ev.eventId, eventType: ev.eventType });
    return {};
  }
  const work = (async () => {
    try {
      const body = await o.router.answerCard(deps, ev);
      await markEventDone(deps.db, ev.eventId, deps.clock.now().getTime());
      return body;
    } catch (err) {
      await markEventFailed(deps.db, ev.eventId, deps.clock.now().getTime(), errText(err), null);
      deps.log.error('lark_card_action_failed', { eventId: ev.eventId, error: errText(err) });
      return { toast: { type: 'error', content: '操作没有完成，请稍后再试。' } };
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const answer = await Promise.race([
    work,
    new Promise<typeof TIMED_OUT>((r) => {
      timer = setTimeout(() => r(TIMED_OUT), o.cardTimeoutMs);
    }),
  ]);
  clearTimeout(timer);
  deps.defer(`card:${ev.eventId}`, async () => {
    await work;
    await o.afterProcessing?.(deps);
  });
  if (answer === TIMED_OUT) {
    deps.log.warn('lark_card_action_slow', { eventId: ev.eventId, afterMs: o.cardTimeoutMs });
    return {};
  }
  return answer;
}
