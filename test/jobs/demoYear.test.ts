import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gt } from 'drizzle-orm';
import { outbox } from '../../src/db/schema.js';
import { progressOn } from '../../src/db/progressRepo.js';
import { computeDigest } from '../../src/digest/computeDigest.js';
import { renderDigestText } from '../../src/digest/renderDigestText.js';
import { seedDemo } from '../../src/jobs/demo/demoData.js';
import { dryRun } from '../../src/jobs/dryRun.js';
import type { Planned } from '../../src/jobs/plans.js';
import { runDue } from '../../src/jobs/runDue.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';
import { tasks } from '../../src/jobs/tasks.js';
import { md } from '../../src/digest/format.js';
import { addDays, isWorkday, mondayOf } from '../../src/workdays/calendar.js';
import { jobDeps, text, type TestDeps } from './jobDeps.js';

// The demo year (src/jobs/demo) run through the scheduler day by day, 2024-01-01 to 2025-01-03,
// with `remind --dry-run`'s computation asked first each day: what it says must be exactly what
// the scheduler then enqueues, and nothing chased may be finished.

let deps: TestDeps;
let close: () => void;
const sent: Array<{ date: string; planned: Planned }> = [];
const digests: Array<{ date: string; missing: string[]; done: Set<string>; reminded: boolean }> = [];
const mismatches: string[] = [];

beforeAll(async () => {
  const t = await jobDeps('2024-01-01T00:00:00+08:00');
  deps = t.deps;
  close = t.close;
  await seedDemo(deps, { until: '2024-12-31' });
  const minutes = [...new Set(tasks.map((k) => k.dueMinutes(DEFAULT_SETTINGS)))].sort((a, b) => a - b);
  let lastId = 0;
  for (let d = '2024-01-01'; d <= '2025-01-03'; d = addDays(d, 1)) {
    const predicted = (await dryRun(deps, d)).flatMap((s) => s.planned);
    for (const m of minutes) {
      deps.clock.set(`${d}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00+08:00`);
      await runDue(deps, deps.clock.now());
    }
    const rows = await deps.db.select().from(outbox).where(gt(outbox.id, lastId));
    lastId = rows.reduce((a, r) => Math.max(a, r.id), lastId);
    const got = rows.map((r) => `${r.uuid} ${r.target} ${r.content}`).sort();
    const want = predicted
      .map((p) => `${p.uuid} ${p.message.kind === 'send' ? p.message.receiveId : ''} ${p.message.content}`)
      .sort();
    if (JSON.stringify(got) !== JSON.stringify(want))
      mismatches.push(`${d}: dry run ${want.length}, scheduler ${got.length}`);
    for (const p of predicted) sent.push({ date: d, planned: p });
    if (predicted.some((p) => p.job === 'weekly-digest')) {
      const dg = await computeDigest(deps, { date: d, settings: DEFAULT_SETTINGS });
      digests.push({
        date: d,
        missing: dg.missingUnits.flatMap((u) => u.metrics),
        done: new Set(dg.metrics.filter((m) => m.status === 'done').map((m) => m.id)),
        reminded: dg.reportingWeek.reminded,
      });
    }
  }
}, 600_000);
afterAll(() => close?.());

describe('the demo year through the scheduler', () => {
  it('remind --dry-run predicts exactly what the scheduler sends, every day of the year', () => {
    expect(mismatches).toEqual([]);
    const jobs = new Set(sent.map((s) => s.planned.job));
    expect([...jobs].sort()).toEqual([
      'deadline-notice',
      'escalation',
      'lag-alert',
      'report-reminder',
      'weekly-digest',
    ]);
    // Nothing on a day off (调休 working weekends do count as working days).
    expect(sent.filter((s) => !isWorkday(s.date))).toEqual([]);
  });

  it('no reminder, escalation or deadline notice names a metric that is 已完成 that day', async () => {
    const chased = sent.filter(
      (s) =>
        ['report-reminder', 'escalation', 'deadline-notice'].includes(s.planned.job) &&
        !s.planned.uuid.startsWith('ms-unbound'),
    );
    expect(chased.length).toBeGreaterThan(100);
    const byDate = new Map<string, typeof chased>();
    for (const c of chased) byDate.set(c.date, [...(byDate.get(c.date) ?? []), c]);
    let checked = 0;
    for (const [date, list] of byDate) {
      const done = new Set(
        (await progressOn(deps.db, deps.catalog, date)).filter((p) => p.status === 'done').map((p) => p.metricId),
      );
      for (const c of list) {
        expect(c.planned.metrics!.length).toBeGreaterThan(0);
        for (const id of c.planned.metrics!) {
          expect(done.has(id), `${c.date} ${c.planned.job} ${id}`).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
    // Finished metrics exist in the demo year, so the check above could fail.
    expect(digests.at(-1)!.done.size).toBeGreaterThan(3);
  });

  it("no digest's 上周未报送 list names a finished metric; the National Day week lists nobody", () => {
    expect(digests.length).toBe(53);
    for (const d of digests) for (const id of d.missing) expect(d.done.has(id), `${d.date} ${id}`).toBe(false);
    const national = digests.find((d) => d.date === '2024-10-08')!;
    expect(national.reminded).toBe(false);
    expect(national.missing).toEqual([]);
    expect(digests.filter((d) => d.missing.length > 0).length).toBeGreaterThan(40);
  });

  it('escalation rounds in the following week name that week as 上周, with its dates', () => {
    const esc = sent.filter((s) => s.planned.job === 'escalation');
    let later = 0;
    for (const s of esc) {
      const week = /（(\d{4}-\d{2}-\d{2}) 周）/.exec(s.planned.summary)![1]!;
      const t = text(s.planned.message.content);
      if (mondayOf(s.date) === week) expect(t).toContain(`【催报】本周（${md(week)}—`);
      else if (mondayOf(s.date) === addDays(week, 7)) {
        expect(t).toContain(`【催报】上周（${md(week)}—${md(addDays(week, 6))}）`);
        later++;
      }
      // Rounds pushed two weeks on by the Spring Festival name the week by its dates alone.
      else {
        expect(t).toContain(`【催报】${md(week)}—${md(addDays(week, 6))}这一周`);
        later++;
      }
    }
    expect(later).toBeGreaterThan(10);
  });

  it('deadline notices give values with units, never 约 0, no weekly pace with less than a week left', () => {
    const notices = sent.filter((s) => s.planned.job === 'deadline-notice').map((s) => text(s.planned.message.content));
    expect(notices.length).toBeGreaterThan(10);
    for (const t of notices) {
      expect(t).not.toMatch(/约 0(?![.\d])/);
      const days = Number(/还有 (\d+) 天/.exec(t)![1]);
      if (days < 7) expect(t).not.toContain('需每周');
    }
    expect(notices.join('\n')).toMatch(/个百分点/);
  });

  it('the digest compares with the previous digest: a holiday-moved digest neither repeats nor skips a week', async () => {
    const d18 = await computeDigest(deps, { date: '2024-09-18', settings: DEFAULT_SETTINGS });
    const d23 = await computeDigest(deps, { date: '2024-09-23', settings: DEFAULT_SETTINGS });
    const d09 = await computeDigest(deps, { date: '2024-09-09', settings: DEFAULT_SETTINGS });
    expect(d18.previousDate).toBe('2024-09-09');
    expect(d23.previousDate).toBe('2024-09-18');
    const v = (d: typeof d18, id: string) => d.metrics.find((m) => m.id === id)!;
    for (const id of ['2-2', '1-1', '13-5']) {
      expect(v(d18, id).previousValue).toBe(v(d09, id).value);
      expect(v(d23, id).previousValue).toBe(v(d18, id).value);
      expect(Math.round((v(d18, id).change! + v(d23, id).change!) * 100) / 100).toBe(
        Math.round((v(d23, id).value! - v(d09, id).value!) * 100) / 100,
      );
    }
  });

  it("digest --format json carries each metric's 截至 date, a stale mark and the ranking; text ranks worst first", async () => {
    const d = await computeDigest(deps, { date: '2024-10-28', settings: DEFAULT_SETTINGS });
    for (const m of d.metrics) if (m.status !== 'no_data') expect(m.asOf, m.id).toMatch(/^2024-\d\d-\d\d$/);
    const json = JSON.parse(JSON.stringify(d)) as typeof d;
    expect(json.ranking.length).toBeGreaterThan(5);
    expect(json.ranking.map((u) => u.scorePct)).toEqual([...json.ranking.map((u) => u.scorePct)].sort((a, b) => a - b));
    expect(json.ranking[0]!.rank).toBe(1);
    const txt = renderDigestText(d);
    const first = json.ranking[0]!.org,
      last = json.ranking.at(-1)!.org;
    expect(txt.indexOf(`1. ${first}`)).toBeGreaterThan(-1);
    expect(txt.indexOf(`1. ${first}`)).toBeLessThan(txt.indexOf(`${json.ranking.length}. ${last}`));
    // The demo has units with no contact: apart, not "missing".
    expect(d.unitsWithoutContact.map((u) => u.org).sort()).toEqual(['市供销合作社', '市发展改革委']);
    expect(d.missingUnits.some((u) => u.org === '市发展改革委' || u.org === '市供销合作社')).toBe(false);
    // 渝中区 and 渝北区 report different figures.
    const yz = d.metrics.find((m) => m.id === '1-1')!.districts.find((x) => x.scope === '渝中区')!;
    const yb = d.metrics.find((m) => m.id === '1-1')!.districts.find((x) => x.scope === '渝北区')!;
    expect(yz.value).not.toBe(yb.value);
  });
});
