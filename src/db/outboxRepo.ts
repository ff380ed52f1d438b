import { and, asc, desc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from './Db.js';
import { outbox, reports } from './schema.js';

// Outbox queries for delivery (enqueue.ts writes the rows). A row is leased while it is being
// sent; a holder that dies leaves the lease to expire and the row is sent again with the same
// uuid, which Lark deduplicates.

export type OutboxRow = typeof outbox.$inferSelect;

const free = (now: number) => or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, now));
const due = (now: number) => and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now), free(now));

export async function dueOutboxIds(db: Db, now: number, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(due(now))
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Takes a due row for `leaseMs`; null when someone else took it or it is no longer due. */
export async function leaseOutboxRow(db: Db, id: number, now: number, leaseMs: number): Promise<OutboxRow | null> {
  const rows = await db
    .update(outbox)
    .set({ leaseUntil: now + leaseMs, attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.id, id), due(now)))
    .returning();
  return rows[0] ?? null;
}

export async function markOutboxSent(
  db: Db,
  id: number,
  now: number,
  larkMessageId: string | undefined,
): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', sentAt: now, leaseUntil: null, larkMessageId: larkMessageId ?? null, lastError: null })
    .where(eq(outbox.id, id));
}

export async function markOutboxRetry(db: Db, id: number, nextAttemptAt: number, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ nextAttemptAt, leaseUntil: null, lastError: error.slice(0, 1000) })
    .where(eq(outbox.id, id));
}

export async function markOutboxFailed(db: Db, id: number, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'failed', leaseUntil: null, lastError: error.slice(0, 1000) })
    .where(eq(outbox.id, id));
}

/** When the next pending row becomes due (its retry time, or its lease's end); null when nothing is pending. */
export async function nextOutboxDueAt(db: Db): Promise<number | null> {
  const [row] = await db
    .select({ at: sql<number | null>`min(max(${outbox.nextAttemptAt}, coalesce(${outbox.leaseUntil} + 1, 0)))` })
    .from(outbox)
    .where(eq(outbox.status, 'pending'));
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

/** True when something was enqueued under this uuid (sent or not). */
export async function outboxHasUuid(db: Db, uuid: string): Promise<boolean> {
  const rows = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.uuid, uuid)).limit(1);
  return rows.length > 0;
}

export interface DueRow {
  id: number;
  kind: string;
  target: string;
  receiveIdType: string | null;
  chatId: string | null;
}

/**
 * Due rows with what their rate limit is keyed on: a reply's chat comes from the report of the
 * message it answers (every incoming message is one), so a group's replies count together.
 */
export async function dueOutbox(db: Db, now: number, limit: number): Promise<DueRow[]> {
  return db
    .select({
      id: outbox.id,
      kind: outbox.kind,
      target: outbox.target,
      receiveIdType: outbox.receiveIdType,
      chatId: reports.chatId,
    })
    .from(outbox)
    .leftJoin(reports, and(eq(outbox.kind, 'reply'), eq(reports.messageId, outbox.target)))
    .where(due(now))
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(limit);
}

/** For the operator: the newest rows, or only the failed ones. */
export async function listOutbox(db: Db, opts: { failed?: boolean; limit?: number } = {}): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(opts.failed ? eq(outbox.status, 'failed') : undefined)
    .orderBy(desc(outbox.id))
    .limit(opts.limit ?? 50);
}

/**
 * Puts failed rows back to pending, due now, with a fresh attempt count (the running bot sends
 * them at its next pass, under the same uuid). `id` one row; otherwise every failed row. Returns
 * the ids requeued.
 */
export async function requeueFailed(db: Db, now: number, id?: number): Promise<number[]> {
  const rows = await db
    .update(outbox)
    .set({ status: 'pending', nextAttemptAt: now, attempts: 0, leaseUntil: null, createdAt: now })
    .where(id === undefined ? eq(outbox.status, 'failed') : and(eq(outbox.id, id), eq(outbox.status, 'failed')))
    .returning({ id: outbox.id });
  return rows.map((r) => r.id);
}
