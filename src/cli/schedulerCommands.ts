import type { Register } from './Command.js';
/** CLI commands of the scheduler feature (register(name, help, lazy loader)). */
export function registerSchedulerCommands(register: Register): void {
  register(
    'digest',
    'digest --date YYYY-MM-DD --format json|text|card [--chat oc_x]: render the weekly digest, send nothing',
    async () => (await import('./digestCommand.js')).digestCommand,
  );
  register(
    'remind',
    'remind --date YYYY-MM-DD --dry-run [--text]: who would get which reminder, escalation, deadline notice, lag alert',
    async () => (await import('./remindCommand.js')).remindCommand,
  );
  register(
    'settings',
    'settings get [KEY] | settings set KEY VALUE: schedules and thresholds',
    async () => (await import('./settingsCommand.js')).settingsCommand,
  );
  register(
    'demo',
    'demo [--until YYYY-MM-DD]: fill the database with a realistic year of reports (deterministic)',
    async () => (await import('./demoCommand.js')).demoCommand,
  );
  register(
    'deadline',
    'deadline list | deadline set METRIC YYYY-MM-DD: the deadlines in force; move one (序时进度 and notices follow)',
    async () => (await import('./deadlineCommand.js')).deadlineCommand,
  );
  register(
    'jobs',
    'jobs: recent scheduler runs (job, period, status)',
    async () => (await import('./jobsCommand.js')).jobsCommand,
  );
}
