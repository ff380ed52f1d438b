import { afterEach, describe, expect, it } from 'vitest';
import { runDue } from '../../src/jobs/runDue.js';
import { planReminders } from '../../src/jobs/plans.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';
import { addDays } from '../../src/workdays/calendar.js';
import { contact, jobDeps, outboxRows, report, subscribe, text, type TestDeps } from './jobDeps.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

async function setup(iso: string) {
  const t = await jobDeps(iso);
  cleanup.push(t.close);
  return t.deps;
}

async function simulate(deps: TestDeps, from: string, to: string, times: string[], only?: string[]) {
  for (let d = from; d <= to; d = addDays(d, 1)) {
    for (const t of times) {
      deps.clock.set(`${d}T${t}:00+08:00`);
      await runDue(deps, deps.clock.now(), only);
    }
  }
}

const dms = async (deps: TestDeps) => (await outboxRows(deps)).filter((r) => r.receiveIdType === 'open_id');

describe('report-due reminders', () => {
  it('go only to contacts who owe a report this week, listing exactly the missing metrics', async () => {
    const deps = await setup('2024-10-25T10:00:00+08:00');
    await contact(deps, 'ou_zj', '市住房城乡建委', '张三');
    await contact(deps, 'ou_cg1', '市城市管理局', '李四');
    await contact(deps, 'ou_cg2', '市城市管理局', '王五', '2024-10-31'); // on leave
    await contact(deps, 'ou_jw', '市教委', '赵六');
    await contact(deps, 'ou_sj', '市市场监管局', '钱七'); // responsible for project 11 but lead of nothing
    await contact(deps, 'ou_yb', '渝北区', '孙八'); // a district owes nothing
    await report(deps, {
      metricId: '1-1',
      value: 1402,
      asOf: '2024-10-24',
      org: '市住房城乡建委',
      at: '2024-10-24T15:00:00+08:00',
    });
    await report(deps, {
      metricId: '1-2',
      value: 3000,
      asOf: '2024-10-24',
      org: '市住房城乡建委',
      at: '2024-10-24T15:00:00+08:00',
    });
    // Last week's report of 4-1 does not count for this week; a district's figure does not discharge the city unit.
    await report(deps, {
      metricId: '4-1',
      value: 10,
      asOf: '2024-10-18',
      org: '市住房城乡建委',
      at: '2024-10-18T15:00:00+08:00',
    });
    await report(deps, {
      metricId: '4-1',
      value: 3,
      scope: '渝北区',
      asOf: '2024-10-23',
      org: '渝北区',
      by: 'ou_yb',
      at: '2024-10-23T15:00:00+08:00',
    });
    // 市教委 reported everything it leads this week.
    for (const m of deps.catalog.metrics.filter((x) => x.lead.includes('市教委'))) {
      await report(deps, {
        metricId: m.id,
        value: m.kind === 'milestone' ? null : 1,
        milestone: m.kind === 'milestone' ? 'in_progress' : undefined,
        asOf: '2024-10-22',
        org: '市教委',
        by: 'ou_jw',
        at: '2024-10-22T11:00:00+08:00',
      });
    }
    // A correction: the 1-1 report superseded this week still counts through its replacement; an undo does not.
    const undone = await report(deps, {
      metricId: '2-1',
      value: 50,
      asOf: '2024-10-23',
      org: '市城市管理局',
      by: 'ou_cg1',
      at: '2024-10-23T09:00:00+08:00',
    });
    const { reportItems } = await import('../../src/db/schema.js');
    const { eq } = await import('drizzle-orm');
    await deps.db
      .update(reportItems)
      .set({ supersededAt: Date.parse('2024-10-23T10:00:00+08:00') })
      .where(eq(reportItems.id, undone));

    await runDue(deps, deps.clock.now(), ['report-reminder']);
    const rows = (await dms(deps)).filter((r) => r.target !== 'ou_admin');
    expect(rows.map((r) => r.target).sort()).toEqual(['ou_cg1', 'ou_zj']);
    // The admin hears once which units owe reports but have nobody to remind.
    const admin = (await dms(deps)).filter((r) => r.target === 'ou_admin');
    expect(admin).toHaveLength(1);
    expect(text(admin[0]!.content)).toContain('市残联');
    expect(text(admin[0]!.content)).not.toContain('市教委（'); // 市教委 has a contact
    const zj = text(rows.find((r) => r.target === 'ou_zj')!.content);
    expect(zj).toContain('4-1');
    expect(zj).not.toMatch(/1-1 |1-2 /);
    expect(zj).toMatch(/例如：“4-1：\d+”/);
    const cg = text(rows.find((r) => r.target === 'ou_cg1')!.content);
    const cgMetrics = deps.catalog.metrics.filter((m) => m.lead.includes('市城市管理局')).map((m) => m.id);
    for (const id of cgMetrics) expect(cg).toContain(`· ${id} `);
    expect(cg).toContain('王五 请假中');
    expect(cg).not.toContain('3-3'); // 市体育局 leads 3-3
    // Re-running (restart, second scheduler) sends nothing new.
    await runDue(deps, new Date('2024-10-25T10:05:00+08:00'), ['report-reminder']);
    expect(await dms(deps)).toHaveLength(3);
  });

  it("when a lead unit has no available contact, its project's other responsible units are asked", async () => {
    const deps = await setup('2024-10-25T10:00:00+08:00');
    await contact(deps, 'ou_ty', '市体育局', '周九', '2024-11-30');
    await contact(deps, 'ou_cg', '市城市管理局', '李四');
    const plan = await planReminders(deps, {
      date: '2024-10-25',
      week: '2024-10-21',
      now: deps.clock.now(),
      settings: DEFAULT_SETTINGS,
    });
    expect(plan.filter((p) => p.to.id !== 'ou_admin').map((p) => p.to.id)).toEqual(['ou_cg']);
    expect(text(plan[0]!.message.content)).toContain('3-3');
  });
});

describe('escalation to the project groups', () => {
  it('@-mentions the contacts still missing, repeats on following working days, capped', async () => {
    const deps = await setup('2024-10-21T09:00:00+08:00');
    await contact(deps, 'ou_cl', '市残联', '吴十');
    await contact(deps, 'ou_fl', '市妇联', '郑一');
    await subscribe(deps, 'oc_13', [13]);
    await subscribe(deps, 'oc_14', [14]);
    await subscribe(deps, 'oc_1', [1]);
    await report(deps, {
      metricId: '14-1',
      value: 20,
      asOf: '2024-10-22',
      org: '市妇联',
      by: 'ou_fl',
      at: '2024-10-22T10:00:00+08:00',
    });
    await report(deps, {
      metricId: '13-1',
      value: 80,
      asOf: '2024-10-22',
      org: '市残联',
      by: 'ou_cl',
      at: '2024-10-22T10:00:00+08:00',
    });
    await simulate(deps, '2024-10-23', '2024-11-01', ['17:00', '17:05'], ['escalation']);
    const rows = (await outboxRows(deps)).filter((r) => r.target === 'oc_13');
    const days = rows.map((r) => new Date(r.createdAt + 8 * 3600_000).toISOString().slice(0, 10));
    expect(days).toEqual(['2024-10-25', '2024-10-28', '2024-10-29', '2024-11-01']);
    const first = text(rows[0]!.content);
    expect(first).toContain('<at user_id="ou_cl">吴十</at>');
    expect(first).toContain('13-2');
    expect(first).not.toContain('13-1 ');
    expect(first).toContain('第 1/3 次');
    expect(text(rows[2]!.content)).toContain('第 3/3 次');
    // Rounds that run into the next week name that week as last week, with its dates.
    expect(text(rows[1]!.content)).toContain('【催报】上周（10月21日—10月27日）以下指标仍未报送');
    expect(first).toContain('【催报】本周（10月21日—10月27日）以下指标仍未报送');
    // 市妇联 reported everything → its group is not chased; project 1's unit has no contact: nobody
    // can be asked, so its group is not told it is late (the admins are told instead).
    expect(
      (await outboxRows(deps)).filter(
        (r) => r.target === 'oc_14' && r.createdAt < Date.parse('2024-11-01T00:00:00+08:00'),
      ),
    ).toHaveLength(0);
    expect((await outboxRows(deps)).filter((r) => r.target === 'oc_1')).toHaveLength(0);
  });

  it('stops chasing a unit once it reports', async () => {
    const deps = await setup('2024-10-25T17:00:00+08:00');
    await contact(deps, 'ou_fl', '市妇联', '郑一');
    await subscribe(deps, 'oc_14', [14]);
    await runDue(deps, deps.clock.now(), ['escalation']);
    await report(deps, {
      metricId: '14-1',
      value: 20,
      asOf: '2024-10-25',
      org: '市妇联',
      by: 'ou_fl',
      at: '2024-10-28T09:00:00+08:00',
    });
    await runDue(deps, new Date('2024-10-28T17:00:00+08:00'), ['escalation']);
    expect((await outboxRows(deps)).filter((r) => r.target === 'oc_14')).toHaveLength(1);
  });
});

describe('deadline notices', () => {
  it('come 30, 14, 7, 3 and 1 days before the deadline (on working days), with what remains and the pace', async () => {
    const deps = await setup('2024-11-01T09:30:00+08:00');
    await contact(deps, 'ou_fl', '市妇联', '郑一');
    await contact(deps, 'ou_cl', '市残联', '吴十');
    await report(deps, {
      metricId: '14-1',
      value: 10,
      asOf: '2024-10-31',
      org: '市妇联',
      by: 'ou_fl',
      at: '2024-10-31T10:00:00+08:00',
    });
    for (const m of deps.catalog.metrics.filter((x) => x.lead.includes('市残联'))) {
      await report(deps, {
        metricId: m.id,
        value: m.target!,
        asOf: '2024-10-31',
        org: '市残联',
        by: 'ou_cl',
        at: '2024-10-31T10:00:00+08:00',
      });
    }
    await simulate(deps, '2024-11-01', '2025-01-03', ['09:30', '15:00'], ['deadline-notice']);
    const rows = await dms(deps);
    expect(rows.every((r) => r.target === 'ou_fl')).toBe(true); // 市残联 is done
    const days = rows.map((r) => new Date(r.createdAt + 8 * 3600_000).toISOString().slice(0, 10));
    expect(days).toEqual(['2024-11-29', '2024-12-17', '2024-12-24', '2024-12-27', '2024-12-30']);
    const t = text(rows[1]!.content);
    expect(t).toContain('还有 14 天');
    expect(t).toContain('还差 14个');
    expect(t).toContain('需每周完成约 7个');
  });

  it('a notice day missed while down is made up on the next working day, once', async () => {
    const deps = await setup('2024-12-18T11:00:00+08:00');
    await contact(deps, 'ou_fl', '市妇联', '郑一');
    await runDue(deps, deps.clock.now(), ['deadline-notice']);
    await runDue(deps, new Date('2024-12-19T09:30:00+08:00'), ['deadline-notice']);
    const rows = await dms(deps);
    expect(rows).toHaveLength(1);
    expect(text(rows[0]!.content)).toContain('还有 13 天');
  });
});

describe('lag alerts', () => {
  it('tell the lead units and the admins once per drop to 严重滞后', async () => {
    const deps = await setup('2024-06-03T09:10:00+08:00');
    await contact(deps, 'ou_fl', '市妇联', '郑一');
    await contact(deps, 'ou_cl', '市残联', '吴十');
    // 14-1: 24 by year end; on 2024-06-03 about 10 expected. 8 is on track.
    await report(deps, {
      metricId: '14-1',
      value: 8,
      asOf: '2024-05-31',
      org: '市妇联',
      by: 'ou_fl',
      at: '2024-05-31T10:00:00+08:00',
    });
    const runDay = async (d: string) => {
      deps.clock.set(`${d}T09:10:00+08:00`);
      await runDue(deps, deps.clock.now(), ['lag-alert']);
    };
    const alertsFor = async (id: string) => (await dms(deps)).filter((r) => text(r.content).includes(`${id} `));
    await runDay('2024-06-03');
    expect(await alertsFor('14-1')).toHaveLength(0);
    // Time passes with no report: expected grows until 8 is below 70% of it.
    for (const d of ['2024-07-01', '2024-08-01', '2024-08-02', '2024-08-05']) await runDay(d);
    const first = await alertsFor('14-1');
    expect(first.map((r) => r.target).sort()).toEqual(['ou_admin', 'ou_fl']);
    expect(text(first[0]!.content)).toContain('严重滞后');
    // It recovers, then drops again: told again, once.
    await report(deps, {
      metricId: '14-1',
      value: 16,
      asOf: '2024-08-06',
      org: '市妇联',
      by: 'ou_fl',
      at: '2024-08-06T10:00:00+08:00',
    });
    await runDay('2024-08-07');
    await runDay('2024-08-08');
    expect(await alertsFor('14-1')).toHaveLength(2);
    for (const d of ['2024-10-08', '2024-12-16', '2024-12-17', '2024-12-18']) await runDay(d);
    expect(await alertsFor('14-1')).toHaveLength(4);
  });
});
