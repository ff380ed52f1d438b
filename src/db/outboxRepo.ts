import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from './Db.js';
import { outbox } from './schema.js';

// Outbox queries for delivery (enqueue.ts writes the rows). A row is leased while it is being
// sent; a holder that dies leaves the lease to expire and the row is sent again with the same
// uuid, which Lark deduplicates.

export type OutboxRow = typeof outbox.$inferSelect;

const free = (now: number) => or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, now));
const due = (now: number) => and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now), free(now));

export async function dueOutboxIds(db: Db, now: number, limit: number): Promise<number[]> {
  const rows = await db.select({ id: outbox.id }).from(outbox).where(due(now)).orderBy(asc(outbox.nextAttemptAt), asc(outbox.id)).limit(limit);
  return rows.map((r) => r.id);
}

/** Takes a due row for `leaseMs`; null when someone else took it or it is no longer due. */
export async function leaseOutboxRow(db: Db, id: number, now: number, leaseMs: number): Promise<OutboxRow | null> {
  const rows = await db.update(outbox)
    .set({ leaseUntil: now + leaseMs, attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.id, id), due(now)))
    .returning();
  return rows[0] ?? null;
}

export async function markOutboxSent(db: Db, id: number, now: number, larkMessageId: string | undefined): Promise<void> {
  await db.update(outbox).set({ status: 'sent', sentAt: now, leaseUntil: null, larkMessageId: larkMessageId ?? null, lastError: null })
    .where(eq(outbox.id, id));
}

export async function markOutboxRetry(db: Db, id: number, nextAttemptAt: number, error: string): Promise<void> {
  await db.update(outbox).set({ nextAttemptAt, leaseUntil: null, lastError: error.slice(0, 1000) }).where(eq(outbox.id, id));
}

export async function markOutboxFailed(db: Db, id: number, error: string): Promise<void> {
  await db.update(outbox).set({ status: 'failed', leaseUntil: null, lastError: error.slice(0, 1000) }).where(eq(outbox.id, id));
}

/** When the next pending row becomes due (its retry time, or its lease's end); null when nothing is pending. */
export async function nextOutboxDueAt(db: Db): Promise<number | null> {
  const [row] = await db.select({ at: sql<number | null>`min(max(${outbox.nextAttemptAt}, coalesce(${outbox.leaseUntil} + 1, 0)))` })
    .from(outbox).where(eq(outbox.status, 'pending'));
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

/** True when something was enqueued under this uuid (sent or not). */
export async function outboxHasUuid(db: Db, uuid: string): Promise<boolean> {
  const rows = await db.select({ id: outbox.id }).from(outbox).where(eq(outbox.uuid, uuid)).limit(1);
  return rows.length > 0;
}
