import { claimRun, failRun, finishRun } from '../db/jobRunsRepo.js';
import type { Deps } from '../deps.js';
import { syncDeadlines } from '../duties/deadlines.js';
import { loadSchedulerSettings } from '../settings/settings.js';
import { runTask, tasks } from './tasks.js';
import { errorMessage } from '../errors.js';

/** A run that has not finished after this long is presumed dead and may be taken over. */
export const RUN_LEASE_MS = 10 * 60_000;

export interface RunOutcome {
  job: string;
  periodKey: string;
  status: 'done' | 'failed' | 'skipped';
  detail?: Record<string, unknown>;
  error?: string;
}

/**
 * Runs every job whose occurrence is open at `now` (due, period not closed) and has not run for its
 * period. Safe to call as often as you like, from as many schedulers as you like: job_runs' unique
 * (job, period) decides who runs. This is the tick, the Worker's scheduled() and the start-up
 * catch-up alike.
 */
export async function runDue(deps: Deps, now: Date, only?: string[]): Promise<RunOutcome[]> {
  // A deadline moved from the CLI or another instance: this process's catalog follows each tick.
  await syncDeadlines(deps);
  const settings = await loadSchedulerSettings(deps.db, deps.log);
  const tz = deps.config.BOT_TIMEZONE;
  const out: RunOutcome[] = [];
  for (const task of tasks) {
    if (only && !only.includes(task.name)) continue;
    for (const occ of task.occurrences(now, settings, tz)) {
      let claimed = false;
      try {
        claimed = await claimRun(deps.db, task.name, occ.periodKey, now.getTime(), RUN_LEASE_MS);
      } catch (err) {
        // Another scheduler holding the write lock: it is the one running this period.
        deps.log.warn('job_claim_failed', { job: task.name, period: occ.periodKey, error: errorMessage(err) });
      }
      if (!claimed) {
        out.push({ job: task.name, periodKey: occ.periodKey, status: 'skipped' });
        continue;
      }
      try {
        const detail = await runTask(deps, task, occ, settings, now);
        await finishRun(deps.db, task.name, occ.periodKey, deps.clock.now().getTime(), { ...detail, date: occ.date });
        deps.log.info('job_done', { job: task.name, period: occ.periodKey, ...detail });
        out.push({ job: task.name, periodKey: occ.periodKey, status: 'done', detail });
      } catch (err) {
        const error = errorMessage(err);
        deps.log.error('job_failed', { job: task.name, period: occ.periodKey, error });
        await failRun(deps.db, task.name, occ.periodKey, deps.clock.now().getTime(), error).catch(() => undefined);
        out.push({ job: task.name, periodKey: occ.periodKey, status: 'failed', error });
      }
    }
  }
  return out;
}

/**
 * Call once at start (Node): runs whatever became due while the server was down and whose period is
 * still open (this week's digest on a Wednesday start, today's deadline notices…).
 */
export async function catchUp(deps: Deps): Promise<RunOutcome[]> {
  return runDue(deps, deps.clock.now());
}
