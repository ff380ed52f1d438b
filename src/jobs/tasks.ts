import { insertOnce, setRunStatus } from '../db/jobRunsRepo.js';
import type { Deps } from '../deps.js';
import { enqueue } from '../outbox/enqueue.js';
import { dailyOccurrence, escalationOccurrences, weeklyOccurrence, type Occurrence } from './occurrences.js';
import { planDeadlineNotices, planDigests, planEscalations, planLagAlerts, planReminders, type Planned } from './plans.js';
import type { SchedulerSettings } from './settings.js';

// The scheduled jobs: a name, when it is due (from the settings, in BOT_TIMEZONE, on working
// days) and what it does. The dispatcher (runDue) asks each which occurrence is open now and runs it
// once per period.

export interface Task {
  name: string;
  /** Human description of the schedule in force. */
  describe(s: SchedulerSettings): string;
  occurrences(now: Date, s: SchedulerSettings, tz: string): Occurrence[];
  run(deps: Deps, occ: Occurrence, s: SchedulerSettings, now: Date): Promise<Record<string, unknown>>;
}

async function send(deps: Deps, planned: Planned[]): Promise<{ planned: number; enqueued: number }> {
  let enqueued = 0;
  for (const p of planned) if (await enqueue(deps, p.message, p.uuid)) enqueued++;
  return { planned: planned.length, enqueued };
}

const one = (o: Occurrence | null): Occurrence[] => (o ? [o] : []);

export const tasks: Task[] = [
  {
    name: 'weekly-digest',
    describe: (s) => `每周第 ${s.digest.weekday} 天（节假日顺延至下一工作日）`,
    occurrences: (now, s, tz) => one(weeklyOccurrence(now, s.digest, tz)),
    run: async (deps, occ, s, now) => send(deps, await planDigests(deps, { date: occ.date, periodKey: occ.periodKey, settings: s, until: now })),
  },
  {
    name: 'report-reminder',
    describe: () => 'weekly',
    occurrences: (now, s, tz) => one(weeklyOccurrence(now, s.remind, tz)),
    run: async (deps, occ, s, now) => send(deps, await planReminders(deps, { date: occ.date, week: occ.week!, now, settings: s })),
  },
  {
    name: 'escalation',
    describe: () => 'weekly, repeated on following working days up to the cap',
    occurrences: (now, s, tz) => escalationOccurrences(now, s.escalate, s.escalationCap, tz),
    run: async (deps, occ, s, now) => send(deps, await planEscalations(deps, { date: occ.date, week: occ.week!, round: occ.round!, now, settings: s })),
  },
  {
    name: 'deadline-notice',
    describe: () => 'every working day',
    occurrences: (now, s, tz) => one(dailyOccurrence(now, s.deadlineAt, tz)),
    run: async (deps, occ, s) => send(deps, await planDeadlineNotices(deps, { date: occ.date, settings: s })),
  },
  {
    name: 'lag-alert',
    describe: () => 'every working day',
    occurrences: (now, s, tz) => one(dailyOccurrence(now, s.lagAt, tz)),
    run: async (deps, occ, s) => {
      const plan = await planLagAlerts(deps, { date: occ.date, settings: s });
      // Messages first, then the episode rows: a run that dies in between is taken over and
      // enqueues the same uuids again, which the outbox ignores.
      const r = await send(deps, plan.planned);
      const now = deps.clock.now().getTime();
      for (const o of plan.open) await insertOnce(deps.db, 'lag-episode', `${deps.catalog.year}:${o.metricId}:${o.episode}`, 'open', now, { since: occ.date });
      for (const key of plan.close) await setRunStatus(deps.db, 'lag-episode', key, 'closed', now);
      return { ...r, opened: plan.open.map((o) => o.metricId), closed: plan.close.length };
    },
  },
];
