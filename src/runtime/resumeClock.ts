import { sql } from 'drizzle-orm';
import { pinnedClock, type Clock } from '../clock.js';
import type { Db } from '../db/Db.js';

/**
 * The latest time the inbox or outbox recorded something happening (received, processed,
 * enqueued, sent); 0 for an empty database. Leases are left out: they are deadlines, ahead of now
 * by design.
 */
export async function lastRecordedTime(db: Db): Promise<number> {
  const [row] = await db.all<{ t: number | null }>(sql`select max(coalesce(t, 0)) as t from (
    select max(received_at) as t from processed_events
    union all select max(processed_at) from processed_events
    union all select max(created_at) from outbox
    union all select max(sent_at) from outbox)`);
  return Number(row?.t ?? 0);
}

/**
 * MINSHENG_NOW's clock for a server start: from the pinned time, or, when the database already
 * holds later times (an earlier run went on past it), from just after the latest of them. A pinned
 * clock that restarted at the same instant every start made what the previous run received look
 * "in the future": recovery skipped it until the new run had been up as long as the old one.
 * So time under MINSHENG_NOW never goes backwards across restarts.
 */
export async function resumedPinnedClock(db: Db, iso: string): Promise<Clock> {
  const pinned = Date.parse(iso);
  const last = await lastRecordedTime(db);
  return pinnedClock(new Date(Math.max(pinned, last + 1)).toISOString());
}
