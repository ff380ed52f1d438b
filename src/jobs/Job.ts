import type { Deps } from '../deps.js';

/** A scheduled job: its schedule is local time in BOT_TIMEZONE (5-field cron). */
export interface Job {
  name: string;
  cron: string;
  run(deps: Deps, now: Date): Promise<void>;
}
