import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './Db.js';
import { learnedPhrases } from './schema.js';

export type LearnedPhrase = typeof learnedPhrases.$inferSelect;

/**
 * Remembers phrase → metric for an organisation. The unique key (year, org, phrase) holds one
 * reading per phrase: choosing again for the same phrase replaces the metric.
 */
export async function learnPhrase(
  db: Db,
  r: { year: number; org: string; phrase: string; metricId: string; by: string; reportId: number | null; now: number },
): Promise<void> {
  await db
    .insert(learnedPhrases)
    .values({
      year: r.year,
      org: r.org,
      phrase: r.phrase,
      metricId: r.metricId,
      createdBy: r.by,
      reportId: r.reportId,
      createdAt: r.now,
    })
    .onConflictDoUpdate({
      target: [learnedPhrases.year, learnedPhrases.org, learnedPhrases.phrase],
      set: { metricId: r.metricId, createdBy: r.by, reportId: r.reportId, createdAt: r.now },
    });
}

export async function learnedOf(db: Db, year: number, org: string): Promise<LearnedPhrase[]> {
  return db
    .select()
    .from(learnedPhrases)
    .where(and(eq(learnedPhrases.year, year), eq(learnedPhrases.org, org)))
    .orderBy(asc(learnedPhrases.id));
}

/** Every learned phrase of the year, for administrators. */
export async function allLearned(db: Db, year: number): Promise<LearnedPhrase[]> {
  return db
    .select()
    .from(learnedPhrases)
    .where(eq(learnedPhrases.year, year))
    .orderBy(asc(learnedPhrases.org), asc(learnedPhrases.id));
}

/** Forgets a phrase; true when there was one. */
export async function forgetPhrase(db: Db, year: number, org: string, phrase: string): Promise<boolean> {
  const rows = await db
    .delete(learnedPhrases)
    .where(and(eq(learnedPhrases.year, year), eq(learnedPhrases.org, org), eq(learnedPhrases.phrase, phrase)))
    .returning({ id: learnedPhrases.id });
  return rows.length > 0;
}
