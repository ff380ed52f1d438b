import { addDays, firstWorkdayFrom, isWorkday, mondayOf, workdaysFrom } from '../workdays/calendar.js';
import { localTime, zonedInstant } from '../workdays/zoned.js';
import type { WeeklyAt } from '../settings/settings.js';

// When a job is due, from its schedule setting and the working-day calendar. An occurrence has a
// period key (what job_runs makes unique), the instant it becomes due and the instant its period
// closes; the dispatcher runs it once anywhere in [dueAt, closesAt), so a run missed while the
// server was down is made up at the next tick or at start, and a closed period is let go.

export interface Occurrence {
  periodKey: string;
  /** Local date the run is for. */
  date: string;
  dueAt: Date;
  closesAt: Date;
  /** Escalation: the week being chased and which repeat this is (1-based). */
  week?: string;
  round?: number;
}

/**
 * A weekly job: on the set weekday if it is a working day, else the next working day of the same
 * Monday–Sunday week (a holiday Monday's digest goes out on Tuesday; 调休 Saturdays count); a week
 * with no working day left after the set weekday has no run. Open until the week ends.
 */
export function weeklyOccurrence(now: Date, at: WeeklyAt, tz: string): Occurrence | null {
  const today = localTime(now, tz).date;
  const monday = mondayOf(today);
  const sunday = addDays(monday, 6);
  const day = firstWorkdayFrom(addDays(monday, at.weekday - 1), sunday);
  if (!day) return null;
  const dueAt = zonedInstant(day, at.minutes, tz);
  const closesAt = zonedInstant(addDays(sunday, 1), 0, tz);
  if (now < dueAt || now >= closesAt) return null;
  return { periodKey: monday, date: day, dueAt, closesAt, week: monday };
}

/** The day a weekly job runs in the week of `monday` (null if none). */
export function weeklyRunDay(monday: string, at: WeeklyAt): string | null {
  return firstWorkdayFrom(addDays(monday, at.weekday - 1), addDays(monday, 6));
}

/** A daily job: every working day at the set time, open until the day ends. */
export function dailyOccurrence(now: Date, minutes: number, tz: string): Occurrence | null {
  const today = localTime(now, tz).date;
  if (!isWorkday(today)) return null;
  const dueAt = zonedInstant(today, minutes, tz);
  const closesAt = zonedInstant(addDays(today, 1), 0, tz);
  if (now < dueAt || now >= closesAt) return null;
  return { periodKey: today, date: today, dueAt, closesAt };
}

/**
 * Escalation: first on the set day of the week (moved like a weekly job), then on each following
 * working day at the same time, `cap` runs in all, each open until its day ends. Weeks up to three
 * back are considered, so repeats that run into the next week are found.
 */
export function escalationOccurrences(now: Date, at: WeeklyAt, cap: number, tz: string): Occurrence[] {
  if (cap <= 0) return [];
  const today = localTime(now, tz).date;
  const out: Occurrence[] = [];
  for (let back = 0; back <= 3; back++) {
    const monday = addDays(mondayOf(today), -7 * back);
    const first = weeklyRunDay(monday, at);
    if (!first) continue;
    const days = workdaysFrom(first, cap);
    days.forEach((day, i) => {
      if (day !== today) return;
      const dueAt = zonedInstant(day, at.minutes, tz);
      const closesAt = zonedInstant(addDays(day, 1), 0, tz);
      if (now >= dueAt && now < closesAt)
        out.push({ periodKey: `${monday}#${i + 1}`, date: day, dueAt, closesAt, week: monday, round: i + 1 });
    });
  }
  return out;
}
