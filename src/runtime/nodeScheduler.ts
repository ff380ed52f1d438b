import cron from 'node-cron';
import type { Deps } from '../deps.js';
import type { Job } from '../jobs/Job.js';
import { jobs } from '../jobs/registry.js';

/** What node-cron does when a job's schedule fires: the job at the configured clock's now, deferred. */
export function fireJob(deps: Deps, job: Job): void {
  deps.defer(`job:${job.name}`, () => job.run(deps, deps.clock.now()));
}

/** Runs the job registry with node-cron in BOT_TIMEZONE. */
export function startNodeScheduler(deps: Deps): { stop(): void } {
  const tasks = jobs.map((job) =>
    cron.schedule(job.cron, () => fireJob(deps, job), { timezone: deps.config.BOT_TIMEZONE, name: job.name }),
  );
  return {
    stop: () => {
      for (const t of tasks) void t.stop();
    },
  };
}
