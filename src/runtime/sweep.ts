import { pendingEventIds } from '../db/inboxRepo.js';
import type { Deps } from '../deps.js';
import { inboxOptions, type EventPathOptions } from '../eventPath.js';
import { processInChatOrder } from '../inbox/chatOrder.js';
import { processEvent, type InboxOptions } from '../inbox/inbox.js';
import { deliverOutbox, type DeliveryOptions } from '../outbox/deliverOutbox.js';
import { runDeferred } from './runDeferred.js';
import { sleep } from '../sleep.js';

// Recovery: events acknowledged but never processed (a crash, a deploy) and outbox rows never sent
// are picked up here, at start and periodically. Leases keep it exactly-once alongside deferred
// work and other instances.

/** Processes every pending inbox event nobody holds, oldest first. Returns how many were processed. */
export async function sweepInbox(
  deps: Deps,
  inbox: InboxOptions,
  opts: { limit?: number; olderThanMs?: number } = {},
): Promise<number> {
  let n = 0;
  const now = deps.clock.now().getTime();
  const ids = await pendingEventIds(deps.db, now, opts.limit ?? 200, now - (opts.olderThanMs ?? 0));
  const stop = inbox.stop ? { stop: inbox.stop } : {};
  for (const id of ids) {
    if (inbox.stop?.()) break;
    if ((await processInChatOrder(deps, id, (e) => processEvent(deps, e, inbox), stop)) !== 'not_mine') n++;
    // Let requests that arrived meanwhile be answered: Lark's acks come before recovery work.
    await sleep(0);
  }
  return n;
}

/** One pass: the inbox, then the outbox (what is due now and what the events just enqueued). */
export async function sweep(
  deps: Deps,
  opts: {
    dispatch?: EventPathOptions;
    delivery?: DeliveryOptions;
    olderThanMs?: number;
    /** Asked between events: true ends the pass early (a shutdown). */
    stop?: () => boolean;
  } = {},
): Promise<{ events: number; sent: number; retried: number; failed: number }> {
  const inbox = { ...inboxOptions(opts.dispatch), ...(opts.stop ? { stop: opts.stop } : {}) };
  const events = await sweepInbox(deps, inbox, { olderThanMs: opts.olderThanMs });
  const r = await deliverOutbox(deps, opts.delivery);
  if (events > 0 || r.sent + r.retried + r.failed > 0) deps.log.info('lark_sweep', { events, ...r });
  return { events, ...r };
}

/** Events younger than this are left to the deferred work queued when they arrived. */
export const PERIODIC_GRACE_MS = 30_000;

/**
 * Runs `sweep` now and every `intervalMs` (never two at once). stop() ends a running pass after the
 * event in hand (a pass over a large backlog could otherwise hold a shutdown for minutes) and
 * waits for it.
 */
export function startPeriodicSweep(
  deps: Deps,
  intervalMs = 15_000,
  opts: Parameters<typeof sweep>[1] = {},
): { stop(): Promise<void>; runNow(): Promise<void>; firstPass: Promise<void> } {
  let running: Promise<void> | undefined;
  let stopping = false;
  const run = (olderThanMs = 0): Promise<void> => {
    running ??= runDeferred(
      deps.log,
      'sweep',
      () => sweep(deps, { ...opts, olderThanMs, stop: () => stopping }),
      'lark_sweep_failed',
    ).finally(() => {
      running = undefined;
    });
    return running;
  };
  const firstPass = run();
  // Periodic passes leave fresh events to the deferred work that is already queued for them (they
  // are pending until their turn); the start-up pass and runNow take everything.
  const timer = setInterval(() => void run(PERIODIC_GRACE_MS), intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return {
    stop: async () => {
      stopping = true;
      clearInterval(timer);
      await running;
    },
    runNow: () => run(0),
    firstPass,
  };
}
