import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { computeDigest } from '../../src/digest/computeDigest.js';
import { renderDigestCard } from '../../src/digest/renderDigestCard.js';
import { renderDigestText } from '../../src/digest/renderDigestText.js';
import { reportItems } from '../../src/db/schema.js';
import { liveItems } from '../../src/db/progressRepo.js';
import { metricProgress } from '../../src/progress/metricProgress.js';
import { DEFAULT_THRESHOLDS } from '../../src/progress/types.js';
import { SettingError, listSettings, loadSchedulerSettings, updateSetting } from '../../src/settings/settings.js';
import { assertValidCard } from '../helpers/cardSchema.js';
import { contact, jobDeps, report, type TestDeps } from '../jobs/jobDeps.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});
async function setup(iso = '2024-10-28T09:00:00+08:00') {
  const t = await jobDeps(iso);
  cleanup.push(t.close);
  return t.deps;
}

/** Cumulative and incremental reports, districts and a city total, a level metric, a milestone, a correction, a late report. */
async function scenario(deps: TestDeps) {
  const zj = '市住房城乡建委',
    cg = '市城市管理局',
    st = '市生态环境局';
  await contact(deps, 'ou_zj', zj, '张三');
  await contact(deps, 'ou_cl', '市残联', '吴十');
  // 1-1: city cumulative, then increments; one increment dated before the cumulative is inside it.
  await report(deps, { metricId: '1-1', value: 1300, asOf: '2024-10-11', org: zj, at: '2024-10-11T10:00:00+08:00' });
  await report(deps, {
    metricId: '1-1',
    value: 20,
    mode: 'increment',
    asOf: '2024-10-10',
    org: zj,
    at: '2024-10-12T10:00:00+08:00',
  });
  await report(deps, {
    metricId: '1-1',
    value: 40,
    mode: 'increment',
    asOf: '2024-10-18',
    org: zj,
    at: '2024-10-18T10:00:00+08:00',
  });
  await report(deps, {
    metricId: '1-1',
    value: 62,
    mode: 'increment',
    asOf: '2024-10-25',
    org: zj,
    at: '2024-10-25T10:00:00+08:00',
  });
  // 3-1: districts only (sum), one district with an increment.
  await report(deps, {
    metricId: '3-1',
    value: 30,
    scope: '渝北区',
    asOf: '2024-10-15',
    org: '渝北区',
    by: 'ou_yb',
    at: '2024-10-15T10:00:00+08:00',
  });
  await report(deps, {
    metricId: '3-1',
    value: 5,
    mode: 'increment',
    scope: '渝北区',
    asOf: '2024-10-24',
    org: '渝北区',
    by: 'ou_yb',
    at: '2024-10-24T10:00:00+08:00',
  });
  await report(deps, {
    metricId: '3-1',
    value: 22,
    scope: '渝中区',
    asOf: '2024-10-22',
    org: '渝中区',
    by: 'ou_yz',
    at: '2024-10-22T10:00:00+08:00',
  });
  // 3-2: districts and a city total: the city total wins.
  await report(deps, {
    metricId: '3-2',
    value: 40,
    scope: '江北区',
    asOf: '2024-10-20',
    org: '江北区',
    by: 'ou_jb',
    at: '2024-10-20T10:00:00+08:00',
  });
  await report(deps, { metricId: '3-2', value: 85, asOf: '2024-10-23', org: cg, at: '2024-10-23T10:00:00+08:00' });
  // 2-1: a correction: the wrong figure is superseded by the right one.
  const wrong = await report(deps, {
    metricId: '2-1',
    value: 900,
    asOf: '2024-10-22',
    org: cg,
    at: '2024-10-22T10:00:00+08:00',
  });
  const right = await report(deps, {
    metricId: '2-1',
    value: 90,
    asOf: '2024-10-22',
    org: cg,
    at: '2024-10-22T10:30:00+08:00',
  });
  await deps.db
    .update(reportItems)
    .set({ supersededAt: Date.parse('2024-10-22T10:30:00+08:00'), supersededBy: right })
    .where(eq(reportItems.id, wrong));
  // 8-3: a level metric: the latest value, never summed.
  await report(deps, { metricId: '8-3', value: 30, asOf: '2024-09-30', org: st, at: '2024-09-30T10:00:00+08:00' });
  await report(deps, { metricId: '8-3', value: 42, asOf: '2024-10-21', org: st, at: '2024-10-21T10:00:00+08:00' });
  // 5-1: a milestone.
  await report(deps, {
    metricId: '5-1',
    milestone: 'in_progress',
    asOf: '2024-10-22',
    org: cg,
    at: '2024-10-22T10:00:00+08:00',
  });
  // 8-1: a late report (补报) dated before last Monday's digest, arriving this week.
  await report(deps, { metricId: '8-1', value: 200, asOf: '2024-10-18', org: st, at: '2024-10-24T10:00:00+08:00' });
  // 13-1 reached its target.
  await report(deps, {
    metricId: '13-1',
    value: 100,
    asOf: '2024-10-20',
    org: '市残联',
    at: '2024-10-20T10:00:00+08:00',
  });
  // Reported after the digest date: not in it.
  await report(deps, {
    metricId: '1-1',
    value: 500,
    mode: 'increment',
    asOf: '2024-10-29',
    org: zj,
    at: '2024-10-29T10:00:00+08:00',
  });
}

describe('the weekly digest', () => {
  it("figures equal the catalog's progress semantics", async () => {
    const deps = await setup();
    await scenario(deps);
    const d = await computeDigest(deps, { date: '2024-10-28', thresholds: DEFAULT_THRESHOLDS });
    expect(d.metrics).toHaveLength(41);
    expect(d.previousDate).toBe('2024-10-21');
    for (const m of d.metrics) {
      const metric = deps.catalog.metric(m.id)!;
      const items = await liveItems(deps.db, deps.catalog.year, m.id);
      const now = metricProgress(metric, items, { start: deps.catalog.start, date: '2024-10-28' });
      const before = metricProgress(metric, items, { start: deps.catalog.start, date: '2024-10-21' });
      expect(m.value, m.id).toBe(now.value);
      expect(m.status, m.id).toBe(now.status);
      expect(m.milestone ?? undefined, m.id).toBe(now.milestone);
      expect(m.donePct, m.id).toBe(now.share === null ? null : Math.round(now.share * 1000) / 10);
      expect(m.previousValue, m.id).toBe(before.value);
    }
    const by = (id: string) => d.metrics.find((m) => m.id === id)!;
    expect(by('1-1')).toMatchObject({ value: 1402, previousValue: 1340, change: 62, source: 'city' });
    expect(by('3-1')).toMatchObject({ value: 57, source: 'districts', previousValue: 30, change: 27 });
    expect(by('3-2')).toMatchObject({ value: 85, source: 'city' });
    expect(by('2-1').value).toBe(90);
    expect(by('8-3')).toMatchObject({ value: 42, previousValue: 42 });
    expect(by('8-1')).toMatchObject({ value: 200, previousValue: 200, change: 0 }); // the late report moved last week too
    expect(by('5-1')).toMatchObject({ milestone: 'in_progress', status: 'on_track' });
    expect(by('13-1').status).toBe('done');
    const total = Object.values(d.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(41);
    expect(d.counts.no_data).toBe(d.metrics.filter((m) => m.value === null && !m.milestone).length);
    expect(d.worst).toBe('severe');
    expect(d.lateReports.map((l) => l.metricId)).toEqual(['8-1']);
    expect(d.noChange).toBe(false);
    // Lagging ranked, worst first, with their lead units.
    const ranks = d.lagging.map((l) => l.ofExpectedPct ?? 0);
    const severe = d.lagging.filter((l) => l.status === 'severe').map((l) => l.ofExpectedPct ?? 0);
    expect(severe).toEqual([...severe].sort((a, b) => a - b));
    expect(ranks.length).toBeGreaterThan(0);
    expect(d.lagging[0]!.leadUnits.length).toBeGreaterThan(0);
    // Units that did not report in the week 10-21..10-27, named: 市住房城乡建委 reported 1-1 but not 1-2 or 4-1.
    expect(d.reportingWeek).toEqual({ from: '2024-10-21', to: '2024-10-27', reminded: true });
    expect(d.missingUnits.find((u) => u.org === '市住房城乡建委')!.metrics).toEqual(['1-2', '4-1']);
    // 13-1 reached its target: finished metrics are owed by nobody; 13-2… are still owed.
    expect(d.missingUnits.find((u) => u.org === '市残联')!.metrics).not.toContain('13-1');
    expect(d.missingUnits.find((u) => u.org === '市残联')!.metrics).toContain('13-2');
    expect(d.missingUnits.some((u) => u.org === '渝北区')).toBe(false);
    // Units with nobody bound are not "missing": they are listed apart, for the admins.
    expect(d.missingUnits.some((u) => u.org === '市教委')).toBe(false);
    expect(d.unitsWithoutContact.find((u) => u.org === '市教委')!.metrics).toContain('11-2');

    const card = renderDigestCard(d);
    assertValidCard(card);
    const json = JSON.stringify(card);
    expect((card as { header: { template: string } }).header.template).toBe('red');
    expect(json).toContain('补报');
    expect(json).toContain('"tag":"chart"');
    expect(json).toContain('较上周 +62');
    expect(renderDigestText(d)).toContain('1-1 新开工改造城镇老旧小区：1402/1835个');
  });

  it('a week with no change still gets a digest that says so', async () => {
    const deps = await setup();
    await report(deps, {
      metricId: '14-1',
      value: 20,
      asOf: '2024-10-10',
      org: '市妇联',
      at: '2024-10-10T10:00:00+08:00',
    });
    const d = await computeDigest(deps, { date: '2024-10-28', projects: [14], thresholds: DEFAULT_THRESHOLDS });
    expect(d.noChange).toBe(true);
    expect(d.reportsThisWeek).toBe(0);
    const card = renderDigestCard(d);
    assertValidCard(card);
    expect(JSON.stringify(card)).toContain('无变化');
  });

  it('every card is valid: empty database, one project, everything', async () => {
    const deps = await setup();
    for (const projects of [undefined, [5], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]]) {
      assertValidCard(
        renderDigestCard(await computeDigest(deps, { date: '2024-10-28', projects, thresholds: DEFAULT_THRESHOLDS })),
      );
    }
    await scenario(deps);
    for (const date of ['2024-01-01', '2024-10-28', '2024-12-31']) {
      assertValidCard(renderDigestCard(await computeDigest(deps, { date, thresholds: DEFAULT_THRESHOLDS })));
    }
  });
});

describe('settings', () => {
  it('are validated with a clear message and take effect', async () => {
    const deps = await setup();
    await expect(updateSetting(deps, '周报时间', '周八 9点', 'ou_admin')).rejects.toThrow(SettingError);
    await expect(updateSetting(deps, '催报次数', '9', 'ou_admin')).rejects.toThrow(/0–5/);
    await expect(updateSetting(deps, '滞后阈值', '0.95', 'ou_admin')).rejects.toThrow(/须小于正常阈值/);
    await expect(updateSetting(deps, 'nope', '1', 'ou_admin')).rejects.toThrow(/没有这个设置/);
    expect((await updateSetting(deps, 'digest.schedule', 'tue 8:30', 'ou_admin')).value).toBe('周二 08:30');
    await updateSetting(deps, '截止提醒天数', '7，3、1', 'ou_admin');
    await updateSetting(deps, '正常阈值', '85%', 'ou_admin');
    const s = await loadSchedulerSettings(deps.db);
    expect(s.digest).toEqual({ weekday: 2, minutes: 510 });
    expect(s.deadlineDays).toEqual([7, 3, 1]);
    expect(s.thresholds).toEqual({ onTrack: 0.85, lagging: 0.7 });
    const list = await listSettings(deps.db);
    expect(list.find((v) => v.key === 'escalate.cap')).toMatchObject({ value: '3', isDefault: true });
  });
});
