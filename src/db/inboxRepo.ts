import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from './Db.js';
import { processedEvents } from './schema.js';

// The inbox: processed_events, one row per Lark event_id, written before Lark gets its 200.
// Message dedup lives in the same table: a second row keyed `msg:<message_id>` (event_type
// 'message_id', status 'done', payload = the event_id that claimed it), so one message is handled
// once even when Lark delivers it under two event ids. Such rows are never 'pending', so the sweep
// never touches them.

export const MESSAGE_KEY_PREFIX = 'msg:';

export interface LeasedEvent {
  eventId: string;
  eventType: string;
  payload: string;
  attempts: number;
}

/** A verified event to store; message events carry their chat and Lark's send time (chat order). */
export interface NewEvent {
  eventId: string;
  eventType: string;
  payload: string;
  chatId?: string;
  sentAt?: number | null;
}

interface Waiting {
  e: NewEvent;
  now: number;
  leaseUntil: number | undefined;
  done: (isNew: boolean) => void;
  fail: (err: unknown) => void;
}

// Group commit: events stored in the same turn of the event loop go in one batch (one transaction,
// one commit) instead of one each. Under a burst the commits were most of an ack's cost; each
// caller still gets its own answer, and only after the batch is committed.
const groups = new WeakMap<Db, Waiting[]>();
const nextTurn: (f: () => void) => void =
  typeof setImmediate === 'function' ? (f) => void setImmediate(f) : (f) => void setTimeout(f, 0);

const insertOne = (db: Db, w: Pick<Waiting, 'e' | 'now' | 'leaseUntil'>) =>
  db
    .insert(processedEvents)
    .values({
      eventId: w.e.eventId,
      eventType: w.e.eventType,
      payload: w.e.payload,
      status: 'pending',
      receivedAt: w.now,
      leaseUntil: w.leaseUntil ?? null,
      chatId: w.e.chatId ?? null,
      sentAt: w.e.sentAt ?? null,
    })
    .onConflictDoNothing({ target: processedEvents.eventId })
    .returning({ eventId: processedEvents.eventId });

async function commitGroup(db: Db): Promise<void> {
  const group = groups.get(db) ?? [];
  groups.delete(db);
  try {
    const results =
      group.length === 1
        ? [await insertOne(db, group[0]!)]
        : ((await db.batch(group.map((w) => insertOne(db, w)) as never)) as unknown as Array<unknown[]>);
    // A duplicate within the batch (or of an older row) inserts nothing and returns no row.
    group.forEach((w, i) => {
      w.done(results[i]?.length === 1);
    });
  } catch (err) {
    // Nothing of the batch was written: every caller answers 500 and Lark sends its event again.
    for (const w of group) w.fail(err);
  }
}

/** Stores a verified event. False when the event_id is already there (a duplicate delivery). */
export function insertEvent(db: Db, e: NewEvent, now: number, leaseUntil?: number): Promise<boolean> {
  return new Promise<boolean>((done, fail) => {
    let group = groups.get(db);
    if (!group) {
      group = [];
      groups.set(db, group);
      nextTurn(() => void commitGroup(db));
    }
    group.push({ e, now, leaseUntil, done, fail });
  });
}

const free = (now: number) => or(isNull(processedEvents.leaseUntil), lt(processedEvents.leaseUntil, now));

/** Takes the row for `leaseMs` if it is pending and nobody holds it; null otherwise (done, or someone else's). */
export async function leaseEvent(db: Db, eventId: string, now: number, leaseMs: number): Promise<LeasedEvent | null> {
  const rows = await db
    .update(processedEvents)
    .set({ leaseUntil: now + leaseMs, attempts: sql`${processedEvents.attempts} + 1` })
    .where(and(eq(processedEvents.eventId, eventId), eq(processedEvents.status, 'pending'), free(now)))
    .returning({
      eventId: processedEvents.eventId,
      eventType: processedEvents.eventType,
      payload: processedEvents.payload,
      attempts: processedEvents.attempts,
    });
  return rows[0] ?? null;
}

export async function markEventDone(db: Db, eventId: string, now: number, note?: string): Promise<void> {
  await db
    .update(processedEvents)
    .set({ status: 'done', processedAt: now, leaseUntil: null, lastError: note ?? null })
    .where(eq(processedEvents.eventId, eventId));
}

/** A failed attempt: pending again from `retryAt` (the lease doubles as the backoff), or failed for good. */
export async function markEventFailed(
  db: Db,
  eventId: string,
  now: number,
  error: string,
  retryAt: number | null,
): Promise<void> {
  await db
    .update(processedEvents)
    .set(
      retryAt === null
        ? { status: 'failed', processedAt: now, leaseUntil: null, lastError: error.slice(0, 1000) }
        : { leaseUntil: retryAt, lastError: error.slice(0, 1000) },
    )
    .where(eq(processedEvents.eventId, eventId));
}

/** Pending events nobody holds, oldest first. */
export async function pendingEventIds(db: Db, now: number, limit: number, receivedBefore = now): Promise<string[]> {
  const rows = await db
    .select({ eventId: processedEvents.eventId })
    .from(processedEvents)
    .where(and(eq(processedEvents.status, 'pending'), free(now), lte(processedEvents.receivedAt, receivedBefore)))
    .orderBy(asc(processedEvents.receivedAt))
    .limit(limit);
  return rows.map((r) => r.eventId);
}

/** How many events are still pending (held or not): what a stop leaves to the next start. */
export async function pendingEventCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(processedEvents)
    .where(eq(processedEvents.status, 'pending'));
  return Number(row?.n ?? 0);
}

/**
 * Claims a message for an event. 'mine' when this event holds the claim (first, or the same event
 * retried after a crash); 'duplicate' when another event id already claimed the message.
 */
export async function claimMessage(
  db: Db,
  messageId: string,
  eventId: string,
  now: number,
): Promise<'mine' | 'duplicate'> {
  const key = MESSAGE_KEY_PREFIX + messageId;
  const inserted = await db
    .insert(processedEvents)
    .values({
      eventId: key,
      eventType: 'message_id',
      payload: eventId,
      status: 'done',
      receivedAt: now,
      processedAt: now,
    })
    .onConflictDoNothing({ target: processedEvents.eventId })
    .returning({ eventId: processedEvents.eventId });
  if (inserted.length === 1) return 'mine';
  const [row] = await db
    .select({ payload: processedEvents.payload })
    .from(processedEvents)
    .where(eq(processedEvents.eventId, key));
  return row?.payload === eventId ? 'mine' : 'duplicate';
}
