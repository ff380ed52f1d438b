import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from './Db.js';
import { chatLeases, processedEvents } from './schema.js';

// Per-chat order (see inbox/chatOrder.ts): a lease row per chat held by one processor at a time,
// taken and released with single conditional statements (no interactive transactions on D1).

/** Takes the chat for `leaseMs` if nobody holds it (or the holder's lease ran out). */
export async function takeChatLease(
  db: Db,
  chatId: string,
  holder: string,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const rows = await db
    .insert(chatLeases)
    .values({ chatId, holder, leaseUntil: now + leaseMs })
    .onConflictDoUpdate({
      target: chatLeases.chatId,
      set: { holder, leaseUntil: now + leaseMs },
      setWhere: lt(chatLeases.leaseUntil, now),
    })
    .returning({ holder: chatLeases.holder });
  return rows[0]?.holder === holder;
}

/** Extends a held lease (a long drain); false if it was lost. */
export async function renewChatLease(
  db: Db,
  chatId: string,
  holder: string,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const rows = await db
    .update(chatLeases)
    .set({ leaseUntil: now + leaseMs })
    .where(and(eq(chatLeases.chatId, chatId), eq(chatLeases.holder, holder)))
    .returning({ holder: chatLeases.holder });
  return rows.length > 0;
}

export async function releaseChatLease(db: Db, chatId: string, holder: string): Promise<void> {
  await db.delete(chatLeases).where(and(eq(chatLeases.chatId, chatId), eq(chatLeases.holder, holder)));
}

/** The chat of an inbox event (null for events that are not a chat's messages). */
export async function chatOfEvent(db: Db, eventId: string): Promise<string | null> {
  const [row] = await db
    .select({ chatId: processedEvents.chatId })
    .from(processedEvents)
    .where(eq(processedEvents.eventId, eventId))
    .limit(1);
  return row?.chatId ?? null;
}

/** Whether the event is no longer waiting (done, failed, or gone). */
export async function eventSettled(db: Db, eventId: string): Promise<boolean> {
  const [row] = await db
    .select({ status: processedEvents.status })
    .from(processedEvents)
    .where(eq(processedEvents.eventId, eventId))
    .limit(1);
  return row?.status !== 'pending';
}

/** A chat's pending events nobody holds, in the order Lark sent them (create_time, then arrival). */
export async function pendingChatEventIds(db: Db, chatId: string, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ eventId: processedEvents.eventId })
    .from(processedEvents)
    .where(
      and(
        eq(processedEvents.chatId, chatId),
        eq(processedEvents.status, 'pending'),
        or(isNull(processedEvents.leaseUntil), lt(processedEvents.leaseUntil, now)),
      ),
    )
    .orderBy(
      asc(sql`coalesce(${processedEvents.sentAt}, ${processedEvents.receivedAt})`),
      asc(processedEvents.receivedAt),
    )
    .limit(limit);
  return rows.map((r) => r.eventId);
}
