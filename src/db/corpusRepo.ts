import { and, asc, gte, inArray } from 'drizzle-orm';
import type { Db } from './Db.js';
import { reportItems, reports } from './schema.js';

type Report = typeof reports.$inferSelect;
type Item = typeof reportItems.$inferSelect;

/** What became of the message, for a regression corpus: the figures that finally stand for it. */
export interface CorpusCase {
  report: Report;
  /** The message's figures as finally recorded: a /修改 replaces a figure by the corrected one; 撤销 removes it. */
  items: Item[];
}

/** Statuses whose message a contact meant as a report and whose outcome is final. */
export const CORPUS_STATUSES = ['recorded', 'undone', 'cancelled', 'not_understood'] as const;

// D1 binds at most 100 variables a statement.
const CHUNK = 90;

/**
 * Reports received since `since` with their final figures. A figure superseded by a /修改 follows
 * the corrections to the one that stands (or was last undone: then none); a figure undone is gone.
 */
export async function corpusCases(db: Db, since: number): Promise<CorpusCase[]> {
  const rows = await db
    .select()
    .from(reports)
    .where(and(gte(reports.receivedAt, since), inArray(reports.status, [...CORPUS_STATUSES])))
    .orderBy(asc(reports.id));
  const own = new Map<number, Item[]>();
  for (let k = 0; k < rows.length; k += CHUNK) {
    const ids = rows.slice(k, k + CHUNK).map((r) => r.id);
    for (const it of await db
      .select()
      .from(reportItems)
      .where(inArray(reportItems.reportId, ids))
      .orderBy(asc(reportItems.id))) {
      own.set(it.reportId, [...(own.get(it.reportId) ?? []), it]);
    }
  }
  const byId = new Map<number, Item>();
  const lookup = async (ids: number[]) => {
    const missing = [...new Set(ids)].filter((id) => !byId.has(id));
    for (let k = 0; k < missing.length; k += CHUNK) {
      for (const it of await db
        .select()
        .from(reportItems)
        .where(inArray(reportItems.id, missing.slice(k, k + CHUNK))))
        byId.set(it.id, it);
    }
  };
  const out: CorpusCase[] = [];
  for (const report of rows) {
    const final: Item[] = [];
    for (let it of own.get(report.id) ?? []) {
      // Follow corrections (bounded: a chain cannot be longer than the table, but a loop must not hang).
      for (let hops = 0; it.supersedeReason === 'fix' && it.supersededBy !== null && hops < 50; hops++) {
        await lookup([it.supersededBy]);
        const next = byId.get(it.supersededBy);
        if (!next) break;
        it = next;
      }
      if (it.supersededAt === null) final.push(it);
    }
    out.push({ report, items: final });
  }
  return out;
}
