import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { jobRuns } from '../../src/db/schema.js';
import { catchUp, runDue } from '../../src/jobs/runDue.js';
import { updateSetting } from '../../src/settings/settings.js';
import { addDays } from '../../src/workdays/calendar.js';
import { contact, jobDeps, outboxRows, report, secondDeps, subscribe, type TestDeps } from './jobDeps.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

async function setup(iso = '2024-01-01T00:00:00+08:00') {
  const t = await jobDeps(iso);
  cleanup.push(t.close);
  return t;
}

/** Ticks at a few local times of every day from `from` to `to`, like a scheduler that was up all along. */
async function simulate(deps: TestDeps, from: string, to: string, times: string[], only?: string[]) {
  for (let d = from; d <= to; d = addDays(d, 1)) {
    for (const t of times) {
      deps.clock.set(`${d}T${t}:00+08:00`);
      await runDue(deps, deps.clock.now(), only);
    }
  }
}

describe('the weekly digest across 2024', () => {
  it('goes out once a week, on Monday or the next working day after a holiday', async () => {
    const { deps } = await setup();
    await subscribe(deps, 'oc_leaders', [13]);
    await simulate(deps, '2024-01-01', '2024-12-31', ['08:55', '09:00', '12:00', '23:55'], ['weekly-digest']);
    const runs = await deps.db.select().from(jobRuns).where(eq(jobRuns.job, 'weekly-digest'));
    const days = runs.map((r) => (JSON.parse(r.detail!) as { date: string }).date).sort();
    expect(days).toHaveLength(53); // every Monday-based week of 2024 has a working day
    expect(days).toContain('2024-10-08');
    expect(days).not.toContain('2024-10-07');
    expect(days).toContain('2024-02-18'); // 调休 Sunday of the Spring Festival week
    expect(days).toContain('2024-06-11'); // Dragon Boat Monday
    expect(days).toContain('2024-09-30');
    // Every other week on its Monday; these moved past a holiday Monday.
    expect(days.filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() !== 1)).toEqual([
      '2024-01-02',
      '2024-02-18',
      '2024-06-11',
      '2024-09-18',
      '2024-10-08',
    ]);
    const rows = await outboxRows(deps);
    expect(rows).toHaveLength(days.length);
    expect(new Set(rows.map((r) => r.uuid)).size).toBe(rows.length);
    expect(rows.every((r) => r.target === 'oc_leaders' && r.msgType === 'interactive')).toBe(true);
    // Each went out at 09:00 local on its day.
    for (const r of rows) expect(new Date(r.createdAt + 8 * 3600_000).toISOString().slice(11, 16)).toBe('09:00');
  }, 120_000);

  it('is not sent twice across restarts, retries and two schedulers at once', async () => {
    const { deps, url } = await setup('2024-10-28T09:00:00+08:00');
    await subscribe(deps, 'oc_a', [1, 2]);
    await subscribe(deps, 'oc_b', [13]);
    const other = await secondDeps(url, deps.catalog, '2024-10-28T09:00:00+08:00');
    cleanup.push(other.close);
    const [a, b] = await Promise.all([
      runDue(deps, deps.clock.now(), ['weekly-digest']),
      runDue(other.deps, other.deps.clock.now(), ['weekly-digest']),
    ]);
    expect([...a, ...b].filter((o) => o.status === 'done')).toHaveLength(1);
    // A restart later the same day, and the start-up catch-up: nothing more.
    const restarted = await secondDeps(url, deps.catalog, '2024-10-28T11:00:00+08:00');
    cleanup.push(restarted.close);
    await catchUp(restarted.deps);
    await runDue(deps, new Date('2024-10-28T09:05:00+08:00'));
    const rows = (await outboxRows(deps)).filter((r) => r.msgType === 'interactive');
    expect(rows.map((r) => r.target).sort()).toEqual(['oc_a', 'oc_b']);
  });

  it('a digest missed while the server was down is caught up at start while its week is open', async () => {
    const { deps, url } = await setup('2024-10-30T15:00:00+08:00');
    await subscribe(deps, 'oc_a', [1]);
    const started = await secondDeps(url, deps.catalog, '2024-10-30T15:00:00+08:00');
    cleanup.push(started.close);
    const out = await catchUp(started.deps);
    expect(out.find((o) => o.job === 'weekly-digest')).toMatchObject({ status: 'done', periodKey: '2024-10-28' });
    // A start the next Monday before 09:00: last week's digest is stale and is not sent.
    const { deps: d2 } = await setup('2024-11-04T08:30:00+08:00');
    await subscribe(d2, 'oc_a', [1]);
    expect((await catchUp(d2)).filter((o) => o.job === 'weekly-digest')).toEqual([]);
  });

  it('a failed run is retried on the next tick; a dead holder is taken over after the lease', async () => {
    const { deps } = await setup('2024-10-28T09:00:00+08:00');
    await subscribe(deps, 'oc_a', [1]);
    await deps.db.insert(jobRuns).values({
      job: 'weekly-digest',
      periodKey: '2024-10-28',
      status: 'running',
      startedAt: Date.parse('2024-10-28T09:00:00+08:00'),
    });
    expect((await runDue(deps, new Date('2024-10-28T09:05:00+08:00'), ['weekly-digest']))[0]!.status).toBe('skipped');
    expect((await runDue(deps, new Date('2024-10-28T09:15:00+08:00'), ['weekly-digest']))[0]!.status).toBe('done');
    expect(await outboxRows(deps)).toHaveLength(1);
  });

  it('follows a changed schedule at the next tick', async () => {
    const { deps } = await setup('2024-10-28T09:00:00+08:00');
    await subscribe(deps, 'oc_a', [1]);
    await updateSetting(deps, '周报时间', '周二 08:30', 'ou_admin');
    expect(await runDue(deps, deps.clock.now(), ['weekly-digest'])).toEqual([]);
    const out = await runDue(deps, new Date('2024-10-29T08:30:00+08:00'), ['weekly-digest']);
    expect(out).toMatchObject([{ status: 'done', periodKey: '2024-10-28' }]);
  });

  it('sends no reminders on a holiday', async () => {
    const { deps } = await setup();
    await contact(deps, 'ou_zj', '市住房城乡建委', '张三');
    await report(deps, {
      metricId: '1-1',
      value: 100,
      asOf: '2024-09-20',
      org: '市住房城乡建委',
      at: '2024-09-20T10:00:00+08:00',
    });
    await simulate(deps, '2024-09-30', '2024-10-08', ['10:00', '17:00'], ['report-reminder', 'escalation']);
    const rows = await outboxRows(deps);
    const days = rows.map((r) => new Date(r.createdAt + 8 * 3600_000).toISOString().slice(0, 10));
    expect(days.every((d) => d === '2024-09-30' || d === '2024-10-08')).toBe(true);
  });
});
