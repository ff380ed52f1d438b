import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedCatalog } from '../../seeds/catalogs.js';
import { expectedShare } from '../../src/progress/expectedShare.js';
import { metricProgress, statusOf } from '../../src/progress/metricProgress.js';
import type { ProgressItem } from '../../src/progress/types.js';
import { progressOn } from '../../src/db/progressRepo.js';
import { reports, reportItems } from '../../src/db/schema.js';
import { testDb } from '../helpers/testDb.js';

const catalog = shippedCatalog(2024);
const m = (id: string) => catalog.metric(id)!;
let seq = 0;
const item = (p: Partial<ProgressItem> & Pick<ProgressItem, 'metricId' | 'asOf'>): ProgressItem => ({
  id: ++seq,
  scope: 'city',
  mode: 'cumulative',
  value: 0,
  createdAt: seq,
  ...p,
});

describe('expected-by-now (序时进度)', () => {
  it.each([
    ['2024-01-01', 1 / 366],
    ['2024-06-30', 182 / 366],
    ['2024-10-31', 305 / 366],
    ['2024-12-31', 1],
    ['2025-03-01', 1],
    ['2023-12-01', 0],
  ])('on %s is %f of the target', (date, share) => {
    expect(expectedShare('2024-01-01', '2024-12-31', date)).toBeCloseTo(share, 10);
  });
});

describe('status against expected', () => {
  it.each([
    [1.0, 0.5, 'done'],
    [1.2, 0.5, 'done'],
    [0.45, 0.5, 'on_track'],
    [0.44, 0.5, 'lagging'],
    [0.35, 0.5, 'lagging'],
    [0.34, 0.5, 'severe'],
    [null, 0.5, 'no_data'],
    [0, 0, 'on_track'],
  ] as const)('share %s of target with %s expected → %s', (share, expected, status) => {
    expect(statusOf('count', share, expected, undefined)).toBe(status);
  });
  it('milestones', () => {
    expect(statusOf('milestone', null, 0.5, 'done')).toBe('done');
    expect(statusOf('milestone', null, 0.5, 'in_progress')).toBe('on_track');
    expect(statusOf('milestone', null, 0.5, 'not_started')).toBe('lagging');
    expect(statusOf('milestone', null, 0.5, undefined)).toBe('no_data');
  });
  it('a level metric is judged against its target value, not against 序时进度', () => {
    const rate = catalog.metric('12-2')!; // 知晓率, target 80%
    const at = (value: number, date: string) =>
      metricProgress(rate, [item({ metricId: '12-2', asOf: date, value })], { start: catalog.start, date });
    // In March 序时 is about 17%: 60% of an 80% target would be far "ahead"; it is 75% of the target.
    expect(at(60, '2024-03-01')).toMatchObject({ rule: 'target', benchmarkShare: 1, status: 'lagging' });
    expect(at(50, '2024-03-01').status).toBe('severe');
    expect(at(76, '2024-12-01').status).toBe('on_track');
    expect(at(80, '2024-06-01').status).toBe('done');
    const count = metricProgress(catalog.metric('1-1')!, [item({ metricId: '1-1', asOf: '2024-03-01', value: 400 })], {
      start: catalog.start,
      date: '2024-03-01',
    });
    expect(count).toMatchObject({ rule: 'pace', status: 'on_track' });
    expect(count.benchmarkShare).toBe(count.expectedShare);
  });
  it('the as-of date is that of the figure shown: the city total, not a newer district figure', () => {
    const p = metricProgress(
      catalog.metric('1-1')!,
      [
        item({ metricId: '1-1', asOf: '2024-08-30', value: 1000 }),
        item({ metricId: '1-1', scope: '渝北区', asOf: '2024-10-20', value: 200 }),
      ],
      { start: catalog.start, date: '2024-10-28' },
    );
    expect(p).toMatchObject({ value: 1000, source: 'city', asOf: '2024-08-30' });
  });
});

describe('the state of a metric', () => {
  it('count: the latest cumulative plus increments dated after it', () => {
    const items = [
      item({ metricId: '1-1', asOf: '2024-05-31', value: 500 }),
      item({ metricId: '1-1', asOf: '2024-05-20', mode: 'increment', value: 30 }), // before the total: inside it
      item({ metricId: '1-1', asOf: '2024-06-07', mode: 'increment', value: 18 }),
      item({ metricId: '1-1', asOf: '2024-06-14', mode: 'increment', value: 22 }),
    ];
    const p = metricProgress(m('1-1'), items, { start: catalog.start, date: '2024-06-30' });
    expect(p.value).toBe(540);
    expect(p.source).toBe('city');
    expect(p.share).toBeCloseTo(540 / 1835, 10);
    expect(p.expected).toBeCloseTo((1835 * 182) / 366, 6);
  });

  it('count: the city figure is the sum of districts when no city total exists', () => {
    const items = [
      item({ metricId: '3-1', scope: '渝北区', asOf: '2024-07-12', value: 6 }),
      item({ metricId: '3-1', scope: '渝北区', asOf: '2024-07-19', mode: 'increment', value: 2 }),
      item({ metricId: '3-1', scope: '渝中区', asOf: '2024-07-12', value: 5 }),
    ];
    const p = metricProgress(m('3-1'), items, { start: catalog.start, date: '2024-07-31' });
    expect(p.value).toBe(13);
    expect(p.source).toBe('districts');
    expect(p.districts.map((d) => [d.scope, d.value])).toEqual([
      ['渝北区', 8],
      ['渝中区', 5],
    ]);
  });

  it('count: a city total wins over the district sum, and districts stay as the breakdown', () => {
    const items = [
      item({ metricId: '3-1', scope: '渝北区', asOf: '2024-07-12', value: 6 }),
      item({ metricId: '3-1', scope: 'city', asOf: '2024-07-12', value: 60 }),
    ];
    const p = metricProgress(m('3-1'), items, { start: catalog.start, date: '2024-07-31' });
    expect(p.value).toBe(60);
    expect(p.districts).toHaveLength(1);
  });

  it('level: the latest value, never summed', () => {
    const items = [
      item({ metricId: '10-3', asOf: '2024-06-30', value: 35 }),
      item({ metricId: '10-3', asOf: '2024-10-31', value: 38 }),
      item({ metricId: '10-3', scope: '渝中区', asOf: '2024-10-31', value: 50 }),
    ];
    const p = metricProgress(m('10-3'), items, { start: catalog.start, date: '2024-11-01' });
    expect(p.value).toBe(38);
  });

  it('items dated after the day asked for are not counted', () => {
    const items = [
      item({ metricId: '5-2', asOf: '2024-07-19', value: 2.6 }),
      item({ metricId: '5-2', asOf: '2024-08-02', value: 3.1 }),
    ];
    expect(metricProgress(m('5-2'), items, { start: catalog.start, date: '2024-07-31' }).value).toBe(2.6);
  });

  it('no data is 未报送', () => {
    const p = metricProgress(m('13-1'), [], { start: catalog.start, date: '2024-07-31' });
    expect(p.status).toBe('no_data');
    expect(p.value).toBeNull();
  });
});

describe('progress computed in the database equals the pure computation', () => {
  let t: Awaited<ReturnType<typeof testDb>>;
  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(() => t.close());

  it('on a scenario with cumulative and incremental reports, districts, level metrics and corrections', async () => {
    const [rep] = await t.db
      .insert(reports)
      .values({ messageId: 'om_scenario', senderOpenId: 'ou_x', text: 'scenario' })
      .returning();
    const rows: Array<Omit<typeof reportItems.$inferInsert, 'reportId' | 'year' | 'reporterOpenId'>> = [
      { metricId: '1-1', scope: 'city', mode: 'cumulative', value: 1203, asOf: '2024-07-31', createdAt: 1 },
      { metricId: '1-1', scope: 'city', mode: 'increment', value: 40, asOf: '2024-08-09', createdAt: 2 },
      {
        metricId: '1-1',
        scope: 'city',
        mode: 'increment',
        value: 999,
        asOf: '2024-08-16',
        createdAt: 3,
        supersededAt: 4,
      },
      { metricId: '1-1', scope: 'city', mode: 'increment', value: 35, asOf: '2024-08-16', createdAt: 4 },
      { metricId: '1-1', scope: '沙坪坝区', mode: 'cumulative', value: 47, asOf: '2024-08-23', createdAt: 5 },
      { metricId: '3-1', scope: '渝北区', mode: 'cumulative', value: 6, asOf: '2024-07-12', createdAt: 6 },
      { metricId: '3-1', scope: '渝中区', mode: 'increment', value: 3, asOf: '2024-07-19', createdAt: 7 },
      { metricId: '3-1', scope: '渝中区', mode: 'increment', value: 4, asOf: '2024-09-19', createdAt: 8 },
      { metricId: '10-3', scope: 'city', mode: 'cumulative', value: 35, asOf: '2024-06-30', createdAt: 9 },
      { metricId: '10-3', scope: 'city', mode: 'cumulative', value: 38, asOf: '2024-08-31', createdAt: 10 },
      {
        metricId: '12-1',
        scope: 'city',
        mode: 'cumulative',
        value: null,
        milestone: 'done',
        asOf: '2024-03-29',
        createdAt: 11,
      },
    ];
    await t.db
      .insert(reportItems)
      .values(rows.map((r) => ({ ...r, reportId: rep!.id, year: 2024, reporterOpenId: 'ou_x' })));
    const date = '2024-08-31';
    const fromDb = await progressOn(t.db, t.catalog, date, { metricIds: ['1-1', '3-1', '10-3', '12-1', '13-1'] });
    const live = (await t.db.select().from(reportItems))
      .filter((r) => r.supersededAt === null)
      .map((r) => ({
        id: r.id,
        metricId: r.metricId,
        scope: r.scope,
        mode: r.mode,
        value: r.value,
        milestone: r.milestone as ProgressItem['milestone'],
        asOf: r.asOf,
        createdAt: r.createdAt,
      }));
    const byId = Object.fromEntries(fromDb.map((p) => [p.metricId, p]));
    expect(byId['1-1']!.value).toBe(1203 + 40 + 35);
    expect(byId['1-1']!.districts.map((d) => [d.scope, d.value])).toEqual([['沙坪坝区', 47]]);
    expect(byId['3-1']!.value).toBe(9);
    expect(byId['3-1']!.source).toBe('districts');
    expect(byId['10-3']!.value).toBe(38);
    expect(byId['12-1']!.milestone).toBe('done');
    expect(byId['12-1']!.status).toBe('done');
    expect(byId['13-1']!.status).toBe('no_data');
    for (const p of fromDb) {
      const pure = metricProgress(t.catalog.metric(p.metricId)!, live, { start: t.catalog.start, date });
      expect({ id: p.metricId, value: p.value, status: p.status, milestone: p.milestone }).toEqual({
        id: pure.metricId,
        value: pure.value,
        status: pure.status,
        milestone: pure.milestone,
      });
    }
  });
});
