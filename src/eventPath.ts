import { botRouter } from './bot/eventRoutes.js';
import type { Deps } from './deps.js';
import { acceptEvent, answerCardAction, type InboxOptions, type InboxTuning } from './inbox/inbox.js';
import type { EventSink } from './lark/envelope.js';
import type { ReceiverOptions } from './lark/receiveLarkRequest.js';
import { kickDelivery } from './outbox/kickDelivery.js';

// The event path assembled: lark/ verifies and hands events to a sink, the inbox stores and
// processes them through the bot's route table, and what processing enqueued is delivered after.
// None of the three knows the others; this file (used by app.ts and runtime/) joins them.

export interface EventPathOptions extends ReceiverOptions, InboxTuning {
  /** After processing, keep delivering the outbox while retries come due within this long. */
  deliverWaitMs?: number;
}

const DELIVER_WAIT_MS = 20_000;

/** The inbox with the bot's routes, delivering the outbox after each event. */
export function inboxOptions(opts: EventPathOptions = {}): InboxOptions {
  const waitUpToMs = opts.deliverWaitMs ?? DELIVER_WAIT_MS;
  return { ...opts, router: botRouter, afterProcessing: (deps) => kickDelivery(deps, { waitUpToMs }) };
}

/** Where the receivers (webhook, long connection) put verified events. */
export function eventSink(deps: Deps, opts: EventPathOptions = {}): EventSink {
  const inbox = inboxOptions(opts);
  return {
    accept: (ev) => acceptEvent(deps, ev, inbox),
    answerCard: (ev) => answerCardAction(deps, ev, inbox),
  };
}
