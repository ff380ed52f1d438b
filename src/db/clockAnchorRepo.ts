import { eq } from 'drizzle-orm';
import type { Db } from './Db.js';
import { clockAnchors } from './schema.js';

/**
 * The real instant a MINSHENG_NOW value stands for: the first time any process or isolate saw it on
 * this database (the first writer wins; everyone reads the same row afterwards).
 */
export async function clockAnchor(db: Db, pinned: string, realNow: number): Promise<number> {
  await db
    .insert(clockAnchors)
    .values({ pinned, realStart: realNow })
    .onConflictDoNothing({ target: clockAnchors.pinned });
  const [row] = await db
    .select({ realStart: clockAnchors.realStart })
    .from(clockAnchors)
    .where(eq(clockAnchors.pinned, pinned))
    .limit(1);
  return row?.realStart ?? realNow;
}
