import { sql } from 'drizzle-orm';
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
