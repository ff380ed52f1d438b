import type { Job } from './Job.js';

/** Every scheduled job, in one place: node-cron and the Worker's Cron Triggers both read this. */
export const jobs: Job[] = [];
