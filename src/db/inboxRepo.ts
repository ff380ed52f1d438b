import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from './Db.js';
import { processedEvents } from './schema.js';

// The inbox: processed_events, one row per Lark event_id, written before Lark gets its 200 (under
// `npm start`, the accept log holds it at the 200 and the processing thread moves it here).
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

// Group commit: events stored in the same turn of the event loop go in one INSERT of several rows
// (one statement is its own transaction: one commit, no BEGIN and COMMIT around it) instead of a
// statement and a commit each. Under a burst the commits were most of an ack's cost; each caller
// still gets its own answer, and only after the rows are committed.
const groups = new WeakMap<Db, Waiting[]>();
const nextTurn: (f: () => void) => void =
  typeof setImmediate === 'function' ? (f) => void setImmediate(f) : (f) => void setTimeout(f, 0);

/** Rows per INSERT: 9 bound values a row (drizzle binds the status and attempts defaults too), under D1's limit of 100 per statement. */
export const ROWS_PER_INSERT = 11;

const row = (w: Pick<Waiting, 'e' | 'now' | 'leaseUntil'>) => ({
  eventId: w.e.eventId,
  eventType: w.e.eventType,
  payload: w.e.payload,
  status: 'pending' as const,
  receivedAt: w.now,
  leaseUntil: w.leaseUntil ?? null,
  chatId: w.e.chatId ?? null,
  sentAt: w.e.sentAt ?? null,
});

const insertRows = (db: Db, ws: Waiting[]) =>
  db
    .insert(processedEvents)
    .values(ws.map(row))
    .onConflictDoNothing({ target: processedEvents.eventId })
    .returning({ eventId: processedEvents.eventId });

// The INSERT of n rows, built once per database and size: building a query costs more than running it.
const PLACEHOLDERS = ['eventId', 'eventType', 'payload', 'receivedAt', 'leaseUntil', 'chatId', 'sentAt'] as const;
type Prepared = { all(values: Record<string, unknown>): Promise<Array<{ eventId: string }>> };
const prepared = new WeakMap<Db, Map<number, Prepared>>();
function insertOf(db: Db, n: number): Prepared {
  let byN = prepared.get(db);
  if (!byN) {
    byN = new Map();
    prepared.set(db, byN);
  }
  let q = byN.get(n);
  if (!q) {
    const rows = Array.from({ length: n }, (_, i) => ({
      ...(Object.fromEntries(PLACEHOLDERS.map((k) => [k, sql.placeholder(`${k}${i}`)])) as Record<
        (typeof PLACEHOLDERS)[number],
        ReturnType<typeof sql.placeholder>
      >),
      status: 'pending' as const,
    }));
    q = db
      .insert(processedEvents)
      .values(rows as never)
      .onConflictDoNothing({ target: processedEvents.eventId })
      .returning({ eventId: processedEvents.eventId })
      .prepare() as unknown as Prepared;
    byN.set(n, q);
  }
  return q;
}

function valuesOf(ws: Waiting[]): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  ws.forEach((w, i) => {
    const r = row(w);
    for (const k of PLACEHOLDERS) v[`${k}${i}`] = r[k];
  });
  return v;
}

async function commitGroup(db: Db): Promise<void> {
  const group = groups.get(db) ?? [];
  groups.delete(db);
  // The same event twice in one group (Lark's retry racing the first delivery): the first is
  // stored, the second answered as a duplicate, as it would be a turn later.
  const first = new Map<string, Waiting>();
  const rows: Waiting[] = [];
  for (const w of group) {
    if (first.has(w.e.eventId)) continue;
    first.set(w.e.eventId, w);
    rows.push(w);
  }
  try {
    let stored: Array<{ eventId: string }>;
    if (rows.length <= ROWS_PER_INSERT) stored = await insertOf(db, rows.length).all(valuesOf(rows));
    else {
      // More than one statement: one batch, so all of them or none are written.
      const chunks: Waiting[][] = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) chunks.push(rows.slice(i, i + ROWS_PER_INSERT));
      const results = (await db.batch(chunks.map((c) => insertRows(db, c)) as never)) as unknown as Array<
        Array<{ eventId: string }>
      >;
      stored = results.flat();
    }
    // A duplicate (of an older row) inserts nothing and returns no row.
    const isNew = new Set(stored.map((r) => r.eventId));
    for (const w of group) w.done(first.get(w.e.eventId) === w && isNew.has(w.e.eventId));
  } catch (err) {
    // Nothing of the group was written: every caller answers 500 and Lark sends its event again.
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

/**
 * Stores events given as a JSON array of `{eventId, eventType, receivedAt, chatId, sentAt, event}`
 * (the accept log's lines, joined; `event` is the payload as a JSON object): one statement and one
 * bound value for any number of rows. Returns the ids stored; an id already in the inbox (a
 * duplicate, or a line moved twice after a crash) is left as it is.
 */
export async function insertLoggedEvents(db: Db, jsonArray: string): Promise<string[]> {
  const rows = await db.all<{ event_id: string }>(sql`
    insert into processed_events (event_id, event_type, payload, status, attempts, received_at, chat_id, sent_at)
    select value ->> 'eventId', value ->> 'eventType', value -> 'event', 'pending', 0,
      value ->> 'receivedAt', value ->> 'chatId', value ->> 'sentAt'
    from json_each(${jsonArray}) where true
    on conflict (event_id) do nothing
    returning event_id`);
  return rows.map((r) => r.event_id);
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
