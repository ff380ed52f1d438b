import { inArray } from 'drizzle-orm';
import { getRun } from '../db/jobRunsRepo.js';
import { outbox } from '../db/schema.js';
import type { Deps } from '../deps.js';
import type { Planned } from './plans.js';
import { loadSchedulerSettings } from '../settings/settings.js';
import { dueOn, tasks } from './tasks.js';

export interface DryRunSection {
  job: string;
  periodKey: string;
  /** When the occurrence falls due on the date. */
  dueAt: Date;
  /** The scheduler already ran it: it sends nothing more for it. */
  alreadyRun: boolean;
  /** What the scheduler would enqueue: the plan less uuids already in the outbox. */
  planned: Planned[];
}

/**
 * What the scheduler would send on a local date, from the database as it is: the same tasks, the
 * same occurrences (working days, holidays, escalation rounds) and the same plans as runDue, each
 * planned as at its due time, less what the outbox already holds (enqueue would ignore it) and
 * less occurrences already run. A test holds this equal to what the scheduler enqueues over a
 * simulated year.
 */
export async function dryRun(deps: Deps, date: string): Promise<DryRunSection[]> {
  const s = await loadSchedulerSettings(deps.db, deps.log);
  const tz = deps.config.BOT_TIMEZONE;
  const out: DryRunSection[] = [];
  for (const task of tasks) {
    for (const occ of dueOn(task, date, s, tz)) {
      const run = await getRun(deps.db, task.name, occ.periodKey);
      if (run?.status === 'done') {
        out.push({ job: task.name, periodKey: occ.periodKey, dueAt: occ.dueAt, alreadyRun: true, planned: [] });
        continue;
      }
      const plan = await task.plan(deps, occ, s, occ.dueAt);
      const sent = await existingUuids(
        deps,
        plan.planned.map((p) => p.uuid),
      );
      out.push({
        job: task.name,
        periodKey: occ.periodKey,
        dueAt: occ.dueAt,
        alreadyRun: false,
        planned: plan.planned.filter((p) => !sent.has(p.uuid)),
      });
    }
  }
  return out;
}

async function existingUuids(deps: Pick<Deps, 'db'>, uuids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < uuids.length; i += 90) {
    const rows = await deps.db
      .select({ uuid: outbox.uuid })
      .from(outbox)
      .where(inArray(outbox.uuid, uuids.slice(i, i + 90)));
    for (const r of rows) out.add(r.uuid);
  }
  return out;
}
