import { backoffMs } from '../backoff.js';
import type { Deps } from '../deps.js';
import { dueOutboxIds, leaseOutboxRow, markOutboxFailed, markOutboxRetry, markOutboxSent, nextOutboxDueAt, type OutboxRow } from '../db/outboxRepo.js';
import { LarkApiError, type OutgoingMessage } from '../lark/LarkApi.js';
import { notifyAdminsOfFailure } from './notifyAdmins.js';

// Sends what the outbox holds. Each row is leased while it is being sent, so two instances (or a
// sweep and a deferred delivery) never send it at the same time; a holder that dies leaves its
// lease to expire and the row goes again under the same uuid, which Lark deduplicates for 1 h.

export interface DeliveryOptions {
  /** Keep delivering while retries come due within this long (0: one pass over what is due now). */
  waitUpToMs?: number;
  /** How long a row is held while it is sent. */
  leaseMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** After this many attempts a retryable failure becomes permanent. */
  maxAttempts?: number;
  concurrency?: number;
  batch?: number;
}

export interface DeliveryResult { sent: number; retried: number; failed: number }

const defaults = { waitUpToMs: 0, leaseMs: 60_000, backoffBaseMs: 2_000, backoffMaxMs: 10 * 60_000, maxAttempts: 12, concurrency: 8, batch: 50 };

export function messageOf(row: OutboxRow): OutgoingMessage {
  const msgType = row.msgType as 'text' | 'post' | 'interactive';
  if (row.kind === 'reply') return { kind: 'reply', messageId: row.target, msgType, content: row.content };
  if (row.kind === 'update') return { kind: 'update', messageId: row.target, msgType: 'interactive', content: row.content };
  return { kind: 'send', receiveIdType: (row.receiveIdType ?? 'open_id') as 'open_id', receiveId: row.target, msgType, content: row.content };
}

export { backoffMs };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function sendOne(deps: Deps, row: OutboxRow, o: typeof defaults, result: DeliveryResult): Promise<void> {
  const lark = deps.lark;
  if (!lark) return;
  try {
    const { messageId } = await lark.deliver(messageOf(row), row.uuid);
    await markOutboxSent(deps.db, row.id, deps.clock.now().getTime(), messageId);
    result.sent++;
    deps.log.debug('outbox_sent', { uuid: row.uuid, kind: row.kind, attempts: row.attempts });
  } catch (err) {
    const e = err instanceof LarkApiError ? err : new LarkApiError(err instanceof Error ? err.message : String(err), undefined, undefined, false);
    const now = deps.clock.now().getTime();
    if (e.permanent || row.attempts >= o.maxAttempts) {
      const reason = e.permanent ? e.message : `gave up after ${row.attempts} attempts: ${e.message}`;
      await markOutboxFailed(deps.db, row.id, reason);
      result.failed++;
      deps.log.warn('outbox_failed', { uuid: row.uuid, kind: row.kind, code: e.code, reason });
      await notifyAdminsOfFailure(deps, row, reason);
      return;
    }
    const delay = e.retryAfterMs !== undefined
      ? e.retryAfterMs + Math.round(Math.random() * 250)
      : backoffMs(row.attempts, o.backoffBaseMs, o.backoffMaxMs);
    await markOutboxRetry(deps.db, row.id, now + delay, e.message);
    result.retried++;
    deps.log.info('outbox_retry', { uuid: row.uuid, kind: row.kind, code: e.code, httpStatus: e.httpStatus, attempts: row.attempts, inMs: delay });
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
  for (;;) {
    const now = deps.clock.now().getTime();
    const ids = await dueOutboxIds(deps.db, now, o.batch);
    if (ids.length > 0) {
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const id = ids[next++] as number;
          const row = await leaseOutboxRow(deps.db, id, deps.clock.now().getTime(), o.leaseMs);
          if (row) await sendOne(deps, row, o, result);
        }
      };
      await Promise.all(Array.from({ length: Math.min(o.concurrency, ids.length) }, worker));
      continue;
    }
    const at = await nextOutboxDueAt(deps.db);
    if (at === null || at > deadline || Date.now() - startedReal > o.waitUpToMs) break;
    await sleep(Math.min(Math.max(10, at - now), Math.max(10, o.waitUpToMs - (Date.now() - startedReal))));
  }
  return result;
}
