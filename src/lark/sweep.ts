import { pendingEventIds } from '../db/inboxRepo.js';
import type { Deps } from '../deps.js';
import { deliverOutbox, type DeliveryOptions } from '../outbox/deliverOutbox.js';
import { processEvent, type DispatchOptions } from './dispatch.js';

// Recovery: events acknowledged but never processed (a crash, a deploy) and outbox rows never sent
// are picked up here, at start and periodically. Leases keep it exactly-once alongside deferred
// work and other instances.

/** Processes every pending inbox event nobody holds, oldest first. Returns how many were processed. */
export async function sweepInbox(deps: Deps, opts: DispatchOptions & { limit?: number } = {}): Promise<number> {
  let n = 0;
  const ids = await pendingEventIds(deps.db, deps.clock.now().getTime(), opts.limit ?? 200);
  for (const id of ids) if ((await processEvent(deps, id, opts)) !== 'not_mine') n++;
  return n;
}

/** One pass: the inbox, then the outbox (what is due now and what the events just enqueued). */
export async function sweep(deps: Deps, opts: { dispatch?: DispatchOptions; delivery?: DeliveryOptions } = {}): Promise<{ events: number; sent: number; retried: number; failed: number }> {
  const events = await sweepInbox(deps, opts.dispatch);
  const r = await deliverOutbox(deps, opts.delivery);
  if (events > 0 || r.sent + r.retried + r.failed > 0) deps.log.info('lark_sweep', { events, ...r });
  return { events, ...r };
}

/** Runs `sweep` now and every `intervalMs` (never two at once). stop() waits for a running pass. */
export function startPeriodicSweep(deps: Deps, intervalMs = 15_000, opts: Parameters<typeof sweep>[1] = {}): { stop(): Promise<void>; runNow(): Promise<void>; firstPass: Promise<void> } {
  let running: Promise<void> | undefined;
  const run = (): Promise<void> => {
    running ??= sweep(deps, opts).then(
      () => undefined,
      (err: unknown) => deps.log.error('lark_sweep_failed', { error: err instanceof Error ? err.message : String(err) }),
    ).finally(() => { running = undefined; });
    return running;
  };
  const firstPass = run();
  const timer = setInterval(() => void run(), intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return {
    stop: async () => { clearInterval(timer); await running; },
    runNow: run,
    firstPass,
  };
}
