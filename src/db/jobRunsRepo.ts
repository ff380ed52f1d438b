import { and, eq, like, lt, or, sql } from 'drizzle-orm';
import type { Db } from './Db.js';
import { jobRuns } from './schema.js';

// "Already ran this period" lives here, in the unique (job, period_key) key: whichever scheduler
// inserts the row first runs the job; a restart, a retry or a second instance finds it and stops.
// A holder that dies mid-run leaves a 'running' row; after the lease it may be taken over (what it
// already enqueued is not enqueued again: outbox uuids are deterministic). A failed run is retried
// on a later tick while its period is open, up to MAX_ATTEMPTS.

export type JobRun = typeof jobRuns.$inferSelect;

export const MAX_ATTEMPTS = 5;

interface Detail {
  attempts?: number;
  error?: string;
  [k: string]: unknown;
}

function parseDetail(s: string | null): Detail {
  if (!s) return {};
  try {
    return JSON.parse(s) as Detail;
  } catch {
    return {};
  }
}

/**
 * Claims (job, period) for this caller. True: run it now. False: someone ran it, is running it, or
 * it failed too often. Atomic on libsql and D1 alike (one INSERT … ON CONFLICT DO NOTHING, or one
 * conditional UPDATE).
 */
export async function claimRun(db: Db, job: string, periodKey: string, now: number, leaseMs: number): Promise<boolean> {
  const inserted = await db
    .insert(jobRuns)
    .values({ job, periodKey, status: 'running', startedAt: now, detail: JSON.stringify({ attempts: 1 }) })
    .onConflictDoNothing()
    .returning({ job: jobRuns.job });
  if (inserted.length > 0) return true;
  const [row] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodKey, periodKey)))
    .limit(1);
  if (!row || row.status === 'done') return false;
  const attempts = (parseDetail(row.detail).attempts ?? 1) + 1;
  if (attempts > MAX_ATTEMPTS) return false;
  // Take over a failed run, or a running one whose holder has been silent past the lease.
  const taken = await db
    .update(jobRuns)
    .set({ status: 'running', startedAt: now, detail: JSON.stringify({ ...parseDetail(row.detail), attempts }) })
    .where(
      and(
        eq(jobRuns.job, job),
        eq(jobRuns.periodKey, periodKey),
        eq(jobRuns.startedAt, row.startedAt),
        or(eq(jobRuns.status, 'failed'), and(eq(jobRuns.status, 'running'), lt(jobRuns.startedAt, now - leaseMs))),
      ),
    )
    .returning({ job: jobRuns.job });
  return taken.length > 0;
}

/** Ends a run, keeping what its detail already said (the claim's notes) beside the new keys. */
async function closeRun(
  db: Db,
  job: string,
  periodKey: string,
  now: number,
  status: 'done' | 'failed',
  detail: Record<string, unknown>,
): Promise<void> {
  const [row] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodKey, periodKey)))
    .limit(1);
  await db
    .update(jobRuns)
    .set({ status, finishedAt: now, detail: JSON.stringify({ ...parseDetail(row?.detail ?? null), ...detail }) })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodKey, periodKey)));
}

export async function finishRun(
  db: Db,
  job: string,
  periodKey: string,
  now: number,
  detail: Record<string, unknown>,
): Promise<void> {
  await closeRun(db, job, periodKey, now, 'done', detail);
}

export async function failRun(db: Db, job: string, periodKey: string, now: number, error: string): Promise<void> {
  await closeRun(db, job, periodKey, now, 'failed', { error: error.slice(0, 500) });
}

export async function getRun(db: Db, job: string, periodKey: string): Promise<JobRun | undefined> {
  return (
    await db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.job, job), eq(jobRuns.periodKey, periodKey)))
      .limit(1)
  )[0];
}

/** Runs of a job whose period key starts with `prefix`, newest period first. */
export async function runsWithPrefix(db: Db, job: string, prefix: string): Promise<JobRun[]> {
  return db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), like(jobRuns.periodKey, `${prefix.replace(/[%_]/g, '')}%`)))
    .orderBy(sql`${jobRuns.startedAt} desc`);
}

/** Inserts a state row once (lag episodes); true when this caller inserted it. */
export async function insertOnce(
  db: Db,
  job: string,
  periodKey: string,
  status: string,
  now: number,
  detail: Record<string, unknown>,
): Promise<boolean> {
  const r = await db
    .insert(jobRuns)
    .values({ job, periodKey, status, startedAt: now, finishedAt: now, detail: JSON.stringify(detail) })
    .onConflictDoNothing()
    .returning({ job: jobRuns.job });
  return r.length > 0;
}

export async function setRunStatus(db: Db, job: string, periodKey: string, status: string, now: number): Promise<void> {
  await db
    .update(jobRuns)
    .set({ status, finishedAt: now })
    .where(and(eq(jobRuns.job, job), eq(jobRuns.periodKey, periodKey)));
}

export async function recentRuns(db: Db, limit = 30): Promise<JobRun[]> {
  return db.select().from(jobRuns).orderBy(sql`${jobRuns.startedAt} desc`).limit(limit);
}
