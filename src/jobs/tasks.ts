import { insertOnce, setRunStatus } from '../db/jobRunsRepo.js';
import type { Deps } from '../deps.js';
import { enqueue } from '../outbox/enqueue.js';
import { zonedInstant } from '../workdays/zoned.js';
import { dailyOccurrence, escalationOccurrences, weeklyOccurrence, type Occurrence } from '../duties/occurrences.js';
import {
  planDeadlineNotices,
  planDigests,
  planEscalations,
  planLagAlerts,
  planReminders,
  type Planned,
} from './plans.js';
import type { SchedulerSettings } from '../settings/settings.js';

// The scheduled jobs: a name, when it is due (from the settings, in BOT_TIMEZONE, on working
// days) and what it does. The dispatcher (runDue) asks each which occurrence is open now and runs it
// once per period. A run is its plan (what it would send, computed without sending) then the
// sending and any bookkeeping: `remind --dry-run` prints the same plans, so the dry run and the
// scheduler cannot drift apart.

export interface TaskPlan {
  planned: Planned[];
  /** Bookkeeping after the messages are enqueued (lag episodes); never run by a dry run. */
  commit?: (deps: Deps) => Promise<Record<string, unknown>>;
}

export interface Task {
  name: string;
  /** Human description of the schedule in force. */
  describe(s: SchedulerSettings): string;
  /** The local time of day (minutes) the task becomes due, when it is due on a day. */
  dueMinutes(s: SchedulerSettings): number;
  occurrences(now: Date, s: SchedulerSettings, tz: string): Occurrence[];
  plan(deps: Deps, occ: Occurrence, s: SchedulerSettings, now: Date): Promise<TaskPlan>;
}

/** The occurrences of a task that fall due on a local date (none on a day it does not run). */
export function dueOn(task: Task, date: string, s: SchedulerSettings, tz: string): Occurrence[] {
  return task.occurrences(zonedInstant(date, task.dueMinutes(s), tz), s, tz).filter((o) => o.date === date);
}

/** Runs one occurrence: plan, enqueue (the outbox keeps each uuid once), bookkeeping. */
export async function runTask(
  deps: Deps,
  task: Task,
  occ: Occurrence,
  s: SchedulerSettings,
  now: Date,
): Promise<Record<string, unknown>> {
  const plan = await task.plan(deps, occ, s, now);
  let enqueued = 0;
  // Messages first, then the bookkeeping: a run that dies in between is taken over and enqueues
  // the same uuids again, which the outbox ignores.
  for (const p of plan.planned) if (await enqueue(deps, p.message, p.uuid)) enqueued++;
  const extra = plan.commit ? await plan.commit(deps) : {};
  return { planned: plan.planned.length, enqueued, ...extra };
}

const one = (o: Occurrence | null): Occurrence[] => (o ? [o] : []);

export const tasks: Task[] = [
  {
    name: 'weekly-digest',
    describe: (s) => `每周第 ${s.digest.weekday} 天（节假日顺延至下一工作日）`,
    dueMinutes: (s) => s.digest.minutes,
    occurrences: (now, s, tz) => one(weeklyOccurrence(now, s.digest, tz)),
    plan: async (deps, occ, s, now) => ({
      planned: await planDigests(deps, { date: occ.date, periodKey: occ.periodKey, settings: s, until: now }),
    }),
  },
  {
    name: 'report-reminder',
    describe: () => 'weekly',
    dueMinutes: (s) => s.remind.minutes,
    occurrences: (now, s, tz) => one(weeklyOccurrence(now, s.remind, tz)),
    plan: async (deps, occ, s, now) => ({
      planned: await planReminders(deps, { date: occ.date, week: occ.week!, now, settings: s }),
    }),
  },
  {
    name: 'escalation',
    describe: () => 'weekly, repeated on following working days up to the cap',
    dueMinutes: (s) => s.escalate.minutes,
    occurrences: (now, s, tz) => escalationOccurrences(now, s.escalate, s.escalationCap, tz),
    plan: async (deps, occ, s, now) => ({
      planned: await planEscalations(deps, { date: occ.date, week: occ.week!, round: occ.round!, now, settings: s }),
    }),
  },
  {
    name: 'deadline-notice',
    describe: () => 'every working day',
    dueMinutes: (s) => s.deadlineAt,
    occurrences: (now, s, tz) => one(dailyOccurrence(now, s.deadlineAt, tz)),
    plan: async (deps, occ, s) => ({ planned: await planDeadlineNotices(deps, { date: occ.date, settings: s }) }),
  },
  {
    name: 'lag-alert',
    describe: () => 'every working day',
    dueMinutes: (s) => s.lagAt,
    occurrences: (now, s, tz) => one(dailyOccurrence(now, s.lagAt, tz)),
    plan: async (deps, occ, s) => {
      const plan = await planLagAlerts(deps, { date: occ.date, settings: s });
      return {
        planned: plan.planned,
        commit: async (d) => {
          const now = d.clock.now().getTime();
          for (const o of plan.open)
            await insertOnce(d.db, 'lag-episode', `${d.catalog.year}:${o.metricId}:${o.episode}`, 'open', now, {
              since: occ.date,
            });
          for (const key of plan.close) await setRunStatus(d.db, 'lag-episode', key, 'closed', now);
          return { opened: plan.open.map((o) => o.metricId), closed: plan.close.length };
        },
      };
    },
  },
];
