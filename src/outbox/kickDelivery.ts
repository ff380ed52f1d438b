import { safeError } from '../lark/safeError.js';
import type { Db } from '../db/Db.js';
import type { Deps } from '../deps.js';
import { deliverOutbox, type DeliveryOptions } from './deliverOutbox.js';

// One delivery loop per database per process (isolate): each event used to run its own loop,
// and a burst of events meant as many loops polling the same rows. Leases keep delivery correct
// either way; this keeps it cheap.
const loops = new WeakMap<Db, { running: Promise<void> | null; again: boolean }>();

/**
 * Delivers what is due. If a loop is already running it goes round once more (so rows enqueued
 * just now are not missed) and its promise is returned: on Workers the first caller's waitUntil
 * holds the loop open; on Node nobody needs to hold a queue slot for it.
 */
export function kickDelivery(deps: Deps, opts: DeliveryOptions = {}): Promise<void> {
  if (!deps.lark) return Promise.resolve();
  let st = loops.get(deps.db);
  if (!st) {
    st = { running: null, again: false };
    loops.set(deps.db, st);
  }
  const s = st;
  if (s.running) {
    s.again = true;
    return s.running;
  }
  s.running = (async () => {
    try {
      do {
        s.again = false;
        await deliverOutbox(deps, opts);
      } while (s.again);
    } catch (err) {
      deps.log.error('outbox_delivery_failed', { error: safeError(err) });
    } finally {
      s.running = null;
    }
  })();
  return s.running;
}
