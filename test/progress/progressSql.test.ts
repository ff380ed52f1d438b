import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveItems, progressOnDates } from '../../src/db/progressRepo.js';
import { reportItems, reports } from '../../src/db/schema.js';
import { metricProgress } from '../../src/progress/metricProgress.js';
import type { ProgressItem } from '../../src/progress/types.js';
import { addDays } from '../../src/workdays/calendar.js';
import { testDb } from '../helpers/testDb.js';
import { prng } from '../../src/jobs/demo/prng.js';

// The digest's figures come from one SQL statement (progressOnDates: newest cumulative, newest
// increment and the increments after it, per date, metric and scope). On random histories it must
// give exactly what the pure implementation of the catalog's semantics (src/progress) gives from
// the live items: same values to the last bit, same statuses, 截至 dates, district breakdowns and
// newest item, for every date asked in the one statement.

describe('progress in SQL equals the pure computation on random histories', () => {
  let t: Awaited<ReturnType<typeof testDb>>;
  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(() => t.close());

  it.each([1, 2, 3])('seed %i: every metric on every date, values exact', async (seed) => {
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const { db, catalog } = t;
    await db.delete(reportItems);
    const [rep] = await db
      .insert(reports)
      .values({ messageId: `om_random_${seed}`, senderOpenId: 'ou_x', text: 'random' })
      .returning();
    const kinds = ['count', 'level', 'milestone'] as const;
    const metrics = kinds.flatMap((k) => catalog.metrics.filter((m) => m.kind === k).slice(0, 5));
    // Enough (metric, scope, date) entries that the states take more than one statement.
    expect(metrics.length * (catalog.districts().length + 1) * 6).toBeGreaterThan(2400);
    const scopes = ['city', ...catalog.districts().map((d) => d.name)].slice(0, 6);
    // Few days, so that as-of dates tie often (ties are broken by id) and the dates asked for fall
    // before, between and after reports.
    const days = Array.from({ length: 40 }, (_, i) => addDays('2024-03-01', i * 7));
    const value = (): number => {
      const r = rand();
      // Decimals people write, and full doubles (0.1 + 0.2 style) that 15 digits would round.
      if (r < 0.4) return Math.round(rand() * 100000) / 100;
      if (r < 0.7) return rand() * 1000;
      if (r < 0.8) return 0.1 * Math.floor(rand() * 30) + 0.2;
      return Math.floor(rand() * 500);
    };
    const rows: Array<typeof reportItems.$inferInsert> = [];
    let createdAt = 1_709_000_000_000;
    for (let n = 0; n < 1500; n++) {
      const m = pick(metrics);
      createdAt += 1 + Math.floor(rand() * 1000);
      const milestone = m.kind === 'milestone' ? pick(['done', 'in_progress', 'not_started'] as const) : null;
      rows.push({
        reportId: rep!.id,
        year: catalog.year,
        metricId: m.id,
        scope: rand() < 0.3 ? 'city' : pick(scopes),
        mode: rand() < 0.3 ? 'cumulative' : 'increment',
        value: m.kind === 'milestone' ? null : value(),
        milestone,
        asOf: pick(days),
        reporterOpenId: pick(['ou_a', 'ou_b']),
        org: pick(['市住房城乡建委', '渝中区', null]),
        createdAt,
        supersededAt: rand() < 0.1 ? createdAt + 1 : null,
      });
    }
    for (let i = 0; i < rows.length; i += 100) await db.insert(reportItems).values(rows.slice(i, i + 100));

    const dates = ['2024-02-01', '2024-03-01', '2024-05-15', '2024-08-31', '2024-10-28', '2024-12-31'];
    const ids = metrics.map((m) => m.id);
    const fromDb = await progressOnDates(db, catalog, dates, { metricIds: ids });
    const live: ProgressItem[] = (await Promise.all(ids.map((id) => liveItems(db, catalog.year, id)))).flat();
    expect(live.length).toBe(rows.filter((r) => r.supersededAt === null).length);
    let withFigure = 0;
    for (const date of dates) {
      const list = fromDb.get(date)!;
      expect(list.map((p) => p.metricId)).toEqual(ids);
      for (const p of list) {
        const pure = metricProgress(catalog.metric(p.metricId)!, live, { start: catalog.start, date });
        expect(p).toEqual(pure);
        if (p.value !== null || p.milestone) withFigure++;
      }
    }
    // The data must exercise the comparison: most metrics have figures on the later dates.
    expect(withFigure).toBeGreaterThan(ids.length * 3);
  });
});
