import { afterEach, describe, expect, it } from 'vitest';
import { computeDigest } from '../../src/digest/computeDigest.js';
import { chartSpec, renderDigestCard } from '../../src/digest/renderDigestCard.js';
import { renderDigestText } from '../../src/digest/renderDigestText.js';
import { planReminders } from '../../src/jobs/plans.js';
import { DEFAULT_SETTINGS, loadSchedulerSettings, updateSetting } from '../../src/settings/settings.js';
import { assertValidCard } from '../helpers/cardSchema.js';
import { harness } from '../bot/harness.js';
import { contact, jobDeps, report, text } from '../jobs/jobDeps.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});
async function setup(iso = '2024-10-28T09:00:00+08:00') {
  const t = await jobDeps(iso);
  cleanup.push(t.close);
  return t.deps;
}

describe('what the digest says around its figures', () => {
  it('a project with no data is 未报送 in text and chart, never 完成 0%', async () => {
    const deps = await setup();
    await report(deps, {
      metricId: '13-1',
      value: 50,
      asOf: '2024-10-20',
      org: '市残联',
      at: '2024-10-20T10:00:00+08:00',
    });
    const d = await computeDigest(deps, { date: '2024-10-28', projects: [9, 13], settings: DEFAULT_SETTINGS });
    const p9 = d.projects.find((p) => p.no === 9)!;
    expect(p9).toMatchObject({ noData: true, donePct: null, reported: 0, quantified: 1 });
    // Partly reported: the mean of what was reported, saying how many are left out.
    expect(d.projects.find((p) => p.no === 13)).toMatchObject({
      noData: false,
      donePct: 50,
      reported: 1,
      quantified: 5,
    });
    const txt = renderDigestText(d);
    expect(txt).toContain('9 实施农业社会化服务惠农工程（未报送）');
    expect(txt).not.toMatch(/完成 0%/);
    expect(txt).toContain('4 项未报送不计');
    const values = (chartSpec(d).data as Array<{ values: Array<{ project: string; kind: string; value: number }> }>)[0]!
      .values;
    const nine = values.filter((v) => v.project.startsWith('9 '));
    expect(nine.map((v) => v.kind)).toEqual(['应达']);
    expect(nine[0]!.project).toContain('未报送');
    assertValidCard(renderDigestCard(d));
  });

  it("each metric carries its 截至 date; older than the setting's weeks it is marked stale", async () => {
    const deps = await setup();
    await report(deps, {
      metricId: '12-2',
      value: 70,
      asOf: '2024-08-30',
      org: '市教委',
      at: '2024-08-30T10:00:00+08:00',
    });
    await report(deps, {
      metricId: '1-1',
      value: 1500,
      asOf: '2024-10-25',
      org: '市住房城乡建委',
      at: '2024-10-25T10:00:00+08:00',
    });
    // A district figure newer than the city's does not make the city figure newer.
    await report(deps, {
      metricId: '1-1',
      value: 100,
      scope: '渝北区',
      asOf: '2024-10-27',
      org: '渝北区',
      at: '2024-10-27T10:00:00+08:00',
    });
    let d = await computeDigest(deps, { date: '2024-10-28', settings: await loadSchedulerSettings(deps.db) });
    const m = (id: string) => d.metrics.find((x) => x.id === id)!;
    expect(m('12-2')).toMatchObject({ asOf: '2024-08-30', ageDays: 59, stale: true });
    expect(m('1-1')).toMatchObject({ asOf: '2024-10-25', stale: false });
    expect(m('2-1')).toMatchObject({ asOf: null, stale: false });
    expect(d.stale).toEqual(['12-2']);
    const card = JSON.stringify(renderDigestCard(d));
    expect(card).toContain('截至8月30日〔已 8 周未更新〕');
    expect(renderDigestText(d)).toContain('截至10月25日');
    await updateSetting(deps, '过期周数', '10', 'ou_admin');
    d = await computeDigest(deps, { date: '2024-10-28', settings: await loadSchedulerSettings(deps.db) });
    expect(d.stale).toEqual([]);
    expect(d.staleWeeks).toBe(10);
  });

  it('level metrics are judged against the target value, and the legend says so', async () => {
    const deps = await setup();
    // 12-2 知晓率 target 80%: 64% is 80% of the target → 滞后 (against 序时 82.5% it would read the same
    // by chance in October; in March it would read 正常 against 序时 and is 滞后 here).
    await report(deps, {
      metricId: '12-2',
      value: 64,
      asOf: '2024-03-01',
      org: '市教委',
      at: '2024-03-01T10:00:00+08:00',
    });
    const march = await computeDigest(deps, { date: '2024-03-04', settings: DEFAULT_SETTINGS });
    expect(march.metrics.find((x) => x.id === '12-2')).toMatchObject({
      rule: 'target',
      benchmarkPct: 100,
      donePct: 80,
      status: 'lagging',
    });
    await report(deps, {
      metricId: '12-2',
      value: 75,
      asOf: '2024-04-01',
      org: '市教委',
      at: '2024-04-01T10:00:00+08:00',
    });
    const april = await computeDigest(deps, { date: '2024-04-01', settings: DEFAULT_SETTINGS });
    expect(april.metrics.find((x) => x.id === '12-2')).toMatchObject({ status: 'on_track' });
    expect(april.metrics.find((x) => x.id === '1-1')).toMatchObject({ rule: 'pace' });
    const card = JSON.stringify(renderDigestCard(april));
    expect(card).toContain('按当前值占目标值的比例判断');
    expect(card).toContain('达目标值 93.8%');
  });

  it('ranks the responsible units worst first, by their metrics against what is due', async () => {
    const deps = await setup();
    for (const m of deps.catalog.metrics.filter((x) => x.lead.includes('市残联'))) {
      await report(deps, {
        metricId: m.id,
        value: m.target!,
        asOf: '2024-10-20',
        org: '市残联',
        at: '2024-10-20T10:00:00+08:00',
      });
    }
    await report(deps, {
      metricId: '14-1',
      value: 10,
      asOf: '2024-10-20',
      org: '市妇联',
      at: '2024-10-20T10:00:00+08:00',
    });
    const d = await computeDigest(deps, { date: '2024-10-28', projects: [13, 14, 15], settings: DEFAULT_SETTINGS });
    expect(d.ranking.map((u) => u.org)).toEqual(['市民政局', '市妇联', '市残联']);
    expect(d.ranking[0]).toMatchObject({ rank: 1, scorePct: 0, worst: 'no_data', behind: ['15-1', '15-2', '15-3'] });
    expect(d.ranking[1]!.scorePct).toBeCloseTo(Math.round((10 / 24 / (302 / 366)) * 1000) / 10, 1);
    expect(d.ranking[2]).toMatchObject({ scorePct: 100, behind: [] });
    const card = JSON.stringify(renderDigestCard(d));
    expect(card.indexOf('1. 市民政局')).toBeLessThan(card.indexOf('3. 市残联'));
    expect(renderDigestText(d)).toContain('1. 市民政局 0%（未报送：15-1、15-2、15-3）');
  });
});

describe('units nobody can remind', () => {
  it('are told to the admins once, and are not listed as missing', async () => {
    const deps = await setup('2024-10-25T10:00:00+08:00');
    await contact(deps, 'ou_ny', '市农业农村委', '周杰');
    await contact(deps, 'ou_wj', '市卫生健康委', '吴芳');
    const w1 = await planReminders(deps, {
      date: '2024-10-25',
      week: '2024-10-21',
      now: deps.clock.now(),
      settings: DEFAULT_SETTINGS,
    });
    const admin = w1.filter((p) => p.to.id === 'ou_admin');
    expect(admin).toHaveLength(1);
    const t = text(admin[0]!.message.content);
    expect(t).toContain('市供销合作社（9-1）');
    expect(t).toContain('市发展改革委（10-3）');
    // The same set next week has the same uuid: the outbox keeps it once.
    const w2 = await planReminders(deps, {
      date: '2024-11-01',
      week: '2024-10-28',
      now: new Date('2024-11-01T10:00:00+08:00'),
      settings: DEFAULT_SETTINGS,
    });
    expect(w2.find((p) => p.to.id === 'ou_admin')!.uuid).toBe(admin[0]!.uuid);
    const d = await computeDigest(deps, { date: '2024-10-28', projects: [9, 10], settings: DEFAULT_SETTINGS });
    expect(d.missingUnits.map((u) => u.org).sort()).toEqual(['市农业农村委', '市卫生健康委']);
    expect(d.unitsWithoutContact.map((u) => u.org).sort()).toEqual(['市供销合作社', '市发展改革委', '市教委']); // 市教委 leads 10-4
  });
});

describe('/我的 lists what the unit owes by the same rule', () => {
  it('a 区县 owes nothing, a non-lead unit only what it leads, a finished metric nothing', async () => {
    const h = await harness('2024-10-28T10:00:00+08:00');
    cleanup.push(h.close);
    const YZ = 'ou_yz0000000000000000000000000001',
      GA = 'ou_ga0000000000000000000000000001',
      CL = 'ou_cl0000000000000000000000000001';
    await h.contact(YZ, '渝中区', '郭婷');
    await h.contact(GA, '市公安局', '赵磊');
    await h.contact(CL, '市残联', '马超');
    const yz = (await h.send(YZ, '/我的'))[0]!.text;
    expect(yz).not.toContain('本周尚未报送');
    expect(yz).toContain('不需每周报送');
    const ga = (await h.send(GA, '/我的'))[0]!.text;
    expect(ga).toContain('7-1');
    expect(ga).not.toMatch(/11-[1-4] /); // 市公安局 is a responsible unit of project 11 but leads none of it
    await h.send(CL, '13-1：100');
    const cl = (await h.send(CL, '/我的'))[0]!.text;
    const owed = cl.slice(cl.indexOf('本周尚未报送'));
    expect(owed).toContain('13-2');
    expect(owed).not.toContain('13-1');
  });
});
