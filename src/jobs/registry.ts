import type { Deps } from '../deps.js';
import type { Job } from './Job.js';
import { runDue } from './runDue.js';
import { kickDelivery } from '../outbox/kickDelivery.js';
import { toUtcCron } from './cronUtc.js';
import { errorMessage } from '../errors.js';

/**
 * The trigger every runtime fires: every 5 minutes, local time. What is due is decided by the tasks
 * (src/jobs/tasks.ts) from the settings in the database, so an admin's `/设置 周报时间 周二 08:30`
 * takes effect at the next tick on Node and on Workers alike, without redeploying wrangler.toml's
 * static Cron Triggers. A setting's time is honoured to within the tick (at most 5 minutes late).
 */
export const TICK_CRON = '*/5 * * * *';

/** Every scheduled job, in one place: node-cron and the Worker's Cron Triggers both read this. */
export const jobs: Job[] = [
  {
    name: 'scheduler-tick',
    cron: TICK_CRON,
    // Deliver what the jobs enqueued now rather than at the next outbox sweep.
    run: async (deps, now) => {
      await runDue(deps, now);
      await kickDelivery(deps);
    },
  },
];

/** The Cron Triggers wrangler.toml must list (UTC), one per distinct registry schedule. */
export function utcCrons(tz: string): string[] {
  return [...new Set(jobs.map((j) => toUtcCron(j.cron, tz)))];
}

/** The Worker's scheduled(): runs the registry jobs whose UTC trigger fired. */
export async function runScheduled(deps: Deps, cron: string, at: Date): Promise<void> {
  const matching = jobs.filter((j) => toUtcCron(j.cron, deps.config.BOT_TIMEZONE) === cron);
  if (matching.length === 0) {
    deps.log.warn('scheduled_unknown_cron', { cron, known: utcCrons(deps.config.BOT_TIMEZONE) });
    return;
  }
  for (const job of matching) {
    try {
      await job.run(deps, at);
    } catch (err) {
      deps.log.error('scheduled_job_failed', { job: job.name, error: errorMessage(err) });
    }
  }
}
