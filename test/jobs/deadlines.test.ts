import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/db/catalogRepo.js';
import { progressOn } from '../../src/db/progressRepo.js';
import { computeDigest } from '../../src/digest/computeDigest.js';
import { changeDeadline, DeadlineError, parseDeadline, syncDeadlines } from '../../src/duties/deadlines.js';
import { deadlineLine } from '../../src/jobs/messages.js';
import { planDeadlineNotices } from '../../src/jobs/plans.js';
import { DEFAULT_SETTINGS } from '../../src/settings/settings.js';
import { runDue } from '../../src/jobs/runDue.js';
import { Catalog } from '../../src/catalog/Catalog.js';
import { seedCatalog } from '../../seeds/seedCatalog.js';
import { metricProgress } from '../../src/progress/metricProgress.js';
import { addDays } from '../../src/workdays/calendar.js';
import { ADMIN, harness } from '../bot/harness.js';
import { contact, jobDeps, outboxRows, report, text, type TestDeps } from './jobDeps.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});
async function setup(iso: string) {
  const t = await jobDeps(iso);
  cleanup.push(t.close);
  return t.deps;
}

describe('deadline notice wording', () => {
  const p = (deps: TestDeps, id: string, value: number, date: string) =>
    metricProgress(
      deps.catalog.metric(id)!,
      [{ id: 1, metricId: id, scope: 'city', mode: 'cumulative', value, asOf: addDays(date, -3), createdAt: 1 }],
      { start: deps.catalog.start, date },
    );

  it('gives a small remainder in the base unit, the value with its unit, a rate gap in 个百分点, no weekly pace under a week', async () => {
    const deps = await setup('2024-12-17T09:30:00+08:00');
    // 6-2: 2万个; 1.9625万个 done, 0.0375万个 = 375个 left over two weeks.
    const l62 = deadlineLine(deps.catalog.metric('6-2')!, p(deps, '6-2', 1.9625, '2024-12-17'), 14);
    expect(l62).toContain('当前 1.96万个');
    expect(l62).toContain('还差 375个');
    expect(l62).toContain('需每周完成约 188个');
    expect(l62).not.toMatch(/约 0/);
    // 8-3: a rate, target 50%.
    const l83 = deadlineLine(deps.catalog.metric('8-3')!, p(deps, '8-3', 40.59, '2024-12-17'), 14);
    expect(l83).toContain('当前 40.59%');
    expect(l83).toContain('还差 9.41 个百分点');
    expect(l83).not.toContain('需每周');
    // 14-1 with three days left: no weekly pace.
    const l141 = deadlineLine(deps.catalog.metric('14-1')!, p(deps, '14-1', 20, '2024-12-28'), 3);
    expect(l141).toContain('还差 4个，需在 3 天内完成');
    expect(l141).not.toContain('需每周');
    // A count with a fractional weekly need is rounded up to whole things.
    const l11 = deadlineLine(deps.catalog.metric('1-1')!, p(deps, '1-1', 1800, '2024-12-03'), 28);
    expect(l11).toContain('需每周完成约 9个'); // 35 / 4 = 8.75
    // Nothing reported: said so, never "当前 0".
    expect(deadlineLine(deps.catalog.metric('2-4')!, undefined, 14)).toContain('尚未报送，还差 100公里');
  });
});

describe('deadlines can be moved', () => {
  it('by command: validated, stored, and 序时进度 and notices follow', async () => {
    const deps = await setup('2024-10-10T09:30:00+08:00');
    await contact(deps, 'ou_zj', '市住房城乡建委', '张三');
    await report(deps, {
      metricId: '1-1',
      value: 1200,
      asOf: '2024-10-09',
      org: '市住房城乡建委',
      at: '2024-10-09T10:00:00+08:00',
    });
    await expect(changeDeadline(deps, '99-9', '2024-11-15', 'cli')).rejects.toThrow(DeadlineError);
    await expect(changeDeadline(deps, '1-1', '2024-11-31', 'cli')).rejects.toThrow(/看不懂/);
    await expect(changeDeadline(deps, '1-1', '2023-12-01', 'cli')).rejects.toThrow(/之后/);
    const before = (await progressOn(deps.db, deps.catalog, '2024-10-28', { metricIds: ['1-1'] }))[0]!;
    const c = await changeDeadline(deps, '1-1', '2024-11-15', 'cli');
    expect(c).toMatchObject({ from: '2024-12-31', to: '2024-11-15' });
    expect((await loadCatalog(deps.db))!.metric('1-1')!.deadline).toBe('2024-11-15');
    const after = (await progressOn(deps.db, deps.catalog, '2024-10-28', { metricIds: ['1-1'] }))[0]!;
    expect(after.expectedShare).toBeCloseTo(302 / 320, 6);
    expect(after.expectedShare).toBeGreaterThan(before.expectedShare);
    const d = await computeDigest(deps, { date: '2024-10-28', settings: DEFAULT_SETTINGS });
    expect(d.metrics.find((m) => m.id === '1-1')).toMatchObject({ deadline: '2024-11-15', expectedPct: 94.4 });
    // Notices: the 30-day tier of 11-15 is 10-16; with 12-31 it would be 12-02.
    const days: string[] = [];
    for (let day = '2024-10-10'; day <= '2024-11-20'; day = addDays(day, 1)) {
      deps.clock.set(`${day}T09:30:00+08:00`);
      await runDue(deps, deps.clock.now(), ['deadline-notice']);
    }
    for (const r of (await outboxRows(deps)).filter((x) => x.target === 'ou_zj')) {
      if (text(r.content).includes('1-1 ')) days.push(new Date(r.createdAt + 8 * 3600_000).toISOString().slice(0, 10));
      expect(text(r.content)).toContain('11月15日');
    }
    expect(days).toEqual(['2024-10-16', '2024-11-01', '2024-11-08', '2024-11-12', '2024-11-14']);
  });

  it('another process (the CLI) moves one: the running scheduler follows at its next tick', async () => {
    const deps = await setup('2024-10-10T09:30:00+08:00');
    const other = await loadCatalog(deps.db);
    await changeDeadline({ ...deps, catalog: other! }, '14-1', '2024-11-30', 'cli');
    expect(deps.catalog.metric('14-1')!.deadline).toBe('2024-12-31');
    await runDue(deps, deps.clock.now(), ['deadline-notice']);
    expect(deps.catalog.metric('14-1')!.deadline).toBe('2024-11-30');
    expect(await syncDeadlines(deps)).toEqual([]);
  });

  it("catalog import states the deadlines; seeding keeps an administrator's", async () => {
    const deps = await setup('2024-10-10T09:30:00+08:00');
    await changeDeadline(deps, '2-1', '2024-11-30', 'cli');
    const file = structuredClone(deps.catalog.file);
    file.metrics = file.metrics.map((m) => (m.id === '1-2' ? { ...m, deadline: '2024-10-31' } : m));
    const imported = new Catalog(file);
    await seedCatalog(deps.db, imported); // the shipped seed: keeps what an admin set
    expect((await loadCatalog(deps.db))!.metric('2-1')!.deadline).toBe('2024-11-30');
    expect((await loadCatalog(deps.db))!.metric('1-2')!.deadline).toBe('2024-12-31');
    await seedCatalog(deps.db, imported, { replaceDeadlines: true }); // catalog import
    const now = (await loadCatalog(deps.db))!;
    expect(now.metric('1-2')!.deadline).toBe('2024-10-31');
    expect(now.metric('2-1')!.deadline).toBe('2024-12-31');
    // Its notices follow the imported date: 1-2's 3-day tier is due on 10-28.
    await contact(deps, 'ou_zj', '市住房城乡建委', '张三');
    const plan = await planDeadlineNotices(
      { ...deps, catalog: now },
      { date: '2024-10-28', settings: DEFAULT_SETTINGS },
    );
    expect(plan.map((x) => x.metrics)).toEqual([['1-2']]);
    expect(text(plan[0]!.message.content)).toContain('距截止日期（10月31日）还有 3 天');
  });

  it('/设置 截止 1-1 2024-11-15: admins only, with a clear answer', async () => {
    const h = await harness('2024-10-28T10:00:00+08:00');
    cleanup.push(h.close);
    await h.contact('ou_zjw000000000000000000000000001', '市住房城乡建委', '张三');
    expect((await h.send('ou_zjw000000000000000000000000001', '/设置 截止 1-1 2024-11-15'))[0]!.text).toContain(
      '只有管理员',
    );
    expect((await h.send(ADMIN, '/设置 截止 1-1 2024-13-15'))[0]!.text).toContain('看不懂');
    expect((await h.send(ADMIN, '/设置 截止 1-1 2024-11-15'))[0]!.text).toContain('由 2024-12-31 改为 2024-11-15');
    expect(h.deps.catalog.metric('1-1')!.deadline).toBe('2024-11-15');
    expect((await h.send(ADMIN, '/进度 1-1'))[0]!.text).toContain('截止 2024-11-15');
  });

  it('parses the dates people type', () => {
    expect(parseDeadline('2024-11-15', 2024)).toBe('2024-11-15');
    expect(parseDeadline('2024/11/5', 2024)).toBe('2024-11-05');
    expect(parseDeadline('2024年11月15日', 2024)).toBe('2024-11-15');
    expect(parseDeadline('11月15日', 2024)).toBe('2024-11-15');
    expect(parseDeadline('2024-02-30', 2024)).toBeNull();
    expect(parseDeadline('下周', 2024)).toBeNull();
  });
});
