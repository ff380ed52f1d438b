import cron from 'node-cron';
import type { Deps } from '../deps.js';
import { jobs } from '../jobs/registry.js';

/** Runs the job registry with node-cron in BOT_TIMEZONE. */
export function startNodeScheduler(deps: Deps): { stop(): void } {
  const tasks = jobs.map((job) =>
    cron.schedule(job.cron, () => {
      deps.defer(`job:${job.name}`, () => job.run(deps, deps.clock.now()));
    }, { timezone: deps.config.BOT_TIMEZONE, name: job.name }),
  );
  return { stop: () => { for (const t of tasks) void t.stop(); } };
}
