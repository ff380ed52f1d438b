import { backoffMs } from '../backoff.js';
import type { Deps } from '../deps.js';
import {
  dueOutbox,
  leaseOutboxRow,
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSent,
  nextOutboxDueAt,
  type DueRow,
  type OutboxRow,
} from '../db/outboxRepo.js';
import { LarkApiError, type OutgoingMessage } from '../lark/LarkApi.js';
import { rateKey } from '../lark/larkErrors.js';
import { safeError } from '../lark/safeError.js';
import { notifyAdminsOfFailure } from './notifyAdmins.js';
import { sleep } from '../sleep.js';

// Sends what the outbox holds. Each row is leased while it is being sent, so two instances (or a
// sweep and a deferred delivery) never send it at the same time; a holder that dies leaves its
// lease to expire and the row goes again under the same uuid, which Lark deduplicates for 1 h.
//
// Rows go out as a pool, not in batches: a slot that frees takes the next due row at once, so one
// slow or hung call holds its own slot only. At most one call per rate-limit target is in flight
// (a busy group's replies wait their turn without taking every slot), and every call has a
// deadline.

export { backoffMs };

export interface DeliveryOptions {
  /** Keep delivering while retries come due within this long (0: one pass over what is due now). */
  waitUpToMs?: number;
  /** How long a row is held while it is sent. */
  leaseMs?: number;
  backoffBaseMs?: number;
  /** The longest pause between two tries of one row. */
  backoffMaxMs?: number;
  /**
   * A row that keeps failing (network, 5xx, 429, not a Lark answer) is tried for this long after
   * it was enqueued, then failed and the admins told. Lark itself retries a push for about 7 h;
   * an outage of a working day is survived.
   */
  giveUpAfterMs?: number;
  /** Calls in flight at once. */
  concurrency?: number;
  /** One call's deadline (the API clients have their own, shorter; this bounds a hung token fetch too). */
  callTimeoutMs?: number;
  batch?: number;
  /** While calls are in flight, how often to look for newly due rows. */
  pollMs?: number;
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

const defaults = {
  waitUpToMs: 0,
  leaseMs: 60_000,
  backoffBaseMs: 2_000,
  backoffMaxMs: 10 * 60_000,
  giveUpAfterMs: 24 * 3600_000,
  concurrency: 8,
  callTimeoutMs: 30_000,
  batch: 200,
  pollMs: 200,
};

export function messageOf(row: OutboxRow, chatId?: string | null): OutgoingMessage {
  const msgType = row.msgType as 'text' | 'post' | 'interactive';
  if (row.kind === 'reply')
    return { kind: 'reply', messageId: row.target, msgType, content: row.content, ...(chatId ? { chatId } : {}) };
  if (row.kind === 'update')
    return { kind: 'update', messageId: row.target, msgType: 'interactive', content: row.content };
  return {
    kind: 'send',
    receiveIdType: (row.receiveIdType ?? 'open_id') as 'open_id',
    receiveId: row.target,
    msgType,
    content: row.content,
  };
}

function keyOf(d: DueRow): string {
  if (d.kind === 'send') return `${d.receiveIdType ?? 'open_id'}:${d.target}`;
  return d.kind === 'reply' && d.chatId ? `chat_id:${d.chatId}` : `message:${d.target}`;
}

/** Lark's own word on when to come back (x-ogw-ratelimit-reset), per rate key or for the whole app. */
interface Pauses {
  app: number;
  keys: Map<string, number>;
}

/** 99991400 is the app's limit; 230020 and a bare 429 are taken as the target's. */
const APP_LIMIT_CODE = 99991400;

async function sendOne(
  deps: Deps,
  row: OutboxRow,
  chatId: string | null,
  o: typeof defaults,
  result: DeliveryResult,
  pauses: Pauses,
  key: string,
): Promise<void> {
  const lark = deps.lark;
  if (!lark) return;
  const message = messageOf(row, chatId);
  try {
    // The deadline runs from when the rate limiter lets the call go: waiting for Lark's per-minute
    // limit (up to a minute) is not a hung call, and timing it out sent the message again.
    const { messageId } = await lark.deliver(message, row.uuid, { deadlineMs: o.callTimeoutMs });
    await markOutboxSent(deps.db, row.id, deps.clock.now().getTime(), messageId);
    result.sent++;
    deps.log.debug('outbox_sent', { uuid: row.uuid, kind: row.kind, attempts: row.attempts });
  } catch (err) {
    const e = err instanceof LarkApiError ? err : new LarkApiError(safeError(err), undefined, undefined, false);
    const now = deps.clock.now().getTime();
    const tooOld = now - row.createdAt >= o.giveUpAfterMs;
    if (e.permanent || tooOld) {
      const reason = e.permanent
        ? e.message
        : `gave up after ${row.attempts} attempts over ${Math.round((now - row.createdAt) / 60_000)} min: ${e.message}`;
      await markOutboxFailed(deps.db, row.id, reason);
      result.failed++;
      // `code` is the log line's own; Lark's error code goes under larkCode.
      deps.log.warn('outbox_failed', {
        uuid: row.uuid,
        kind: row.kind,
        larkCode: e.code,
        httpStatus: e.httpStatus,
        attempts: row.attempts,
        reason,
      });
      await notifyAdminsOfFailure(deps, row, reason);
      return;
    }
    if (e.retryAfterMs !== undefined) {
      // Everything else for that key (or the app) waits as well, not only this row.
      const until = Date.now() + e.retryAfterMs;
      if (e.code === APP_LIMIT_CODE) pauses.app = Math.max(pauses.app, until);
      else pauses.keys.set(key, Math.max(pauses.keys.get(key) ?? 0, until));
    }
    const delay =
      e.retryAfterMs !== undefined
        ? e.retryAfterMs + Math.round(Math.random() * 250)
        : backoffMs(row.attempts, o.backoffBaseMs, o.backoffMaxMs);
    await markOutboxRetry(deps.db, row.id, now + delay, e.message);
    result.retried++;
    deps.log.info('outbox_retry', {
      uuid: row.uuid,
      kind: row.kind,
      larkCode: e.code,
      httpStatus: e.httpStatus,
      attempts: row.attempts,
      inMs: delay,
      rateKey: rateKey(message),
    });
  }
}

/**
 * Delivers every due outbox row (leased, sent with its uuid, marked). With `waitUpToMs` it stays
 * until nothing more comes due within that time. In local mode (no LarkApi) it does nothing: rows
 * stay 'local'.
 */
export async function deliverOutbox(deps: Deps, opts: DeliveryOptions = {}): Promise<DeliveryResult> {
  const o = { ...defaults, ...opts };
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
  if (!deps.lark) return result;
  const startedReal = Date.now();
  const deadline = deps.clock.now().getTime() + o.waitUpToMs;
  const inFlight = new Map<number, Promise<void>>();
  const busyKeys = new Set<string>();
  const pauses: Pauses = { app: 0, keys: new Map() };
  /** The earliest end of a pause that held a due row back in the last fill (0: none). */
  let heldUntil = 0;

  /** Starts sends for due rows while slots are free; returns how many it started. */
  const fill = async (): Promise<number> => {
    if (inFlight.size >= o.concurrency) return 0;
    let started = 0;
    heldUntil = 0;
    for (const d of await dueOutbox(deps.db, deps.clock.now().getTime(), o.batch)) {
      if (inFlight.size >= o.concurrency) break;
      const key = keyOf(d);
      if (inFlight.has(d.id) || busyKeys.has(key)) continue;
      const pausedUntil = Math.max(pauses.app, pauses.keys.get(key) ?? 0);
      if (pausedUntil > Date.now()) {
        heldUntil = heldUntil === 0 ? pausedUntil : Math.min(heldUntil, pausedUntil);
        continue;
      }
      const row = await leaseOutboxRow(deps.db, d.id, deps.clock.now().getTime(), o.leaseMs);
      if (!row) continue;
      busyKeys.add(key);
      const p = sendOne(deps, row, d.chatId, o, result, pauses, key)
        .catch((err: unknown) => deps.log.error('outbox_send_failed', { uuid: row.uuid, error: safeError(err) }))
        .finally(() => {
          inFlight.delete(d.id);
          busyKeys.delete(key);
        });
      inFlight.set(d.id, p);
      started++;
    }
    return started;
  };

  for (;;) {
    const started = await fill();
    if (inFlight.size > 0) {
      // Wait for any one call to finish (its slot and its target free up), or a moment for rows
      // enqueued or come due meanwhile (a hung call must not keep them waiting), then look again.
      if (started === 0 || inFlight.size >= o.concurrency) await Promise.race([...inFlight.values(), sleep(o.pollMs)]);
      continue;
    }
    if (started > 0) continue;
    const now = deps.clock.now().getTime();
    const at = await nextOutboxDueAt(deps.db);
    if (at === null || at > deadline || Date.now() - startedReal > o.waitUpToMs) break;
    // Due rows held back by Lark's reset: wait for the reset rather than look again every 10 ms.
    const wait = heldUntil > 0 && at <= now ? heldUntil - Date.now() : at - now;
    await sleep(Math.min(Math.max(10, wait), Math.max(10, o.waitUpToMs - (Date.now() - startedReal))));
  }
  return result;
}
