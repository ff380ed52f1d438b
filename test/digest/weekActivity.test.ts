import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportItems, reports } from '../../src/db/schema.js';
import { weekActivity } from '../../src/digest/weekActivity.js';
import { reportedBy, reportedIn } from '../../src/duties/duties.js';
import { testDb } from '../helpers/testDb.js';
import { prng } from '../../src/jobs/demo/prng.js';

// The digest reads the week's reporting in one statement (weekActivity). On random items it must
// give what the plain definitions give: the distinct (metric, org, reporter) of live items created
// in the week (the rows reportedIn judges), the count of the digest's metrics' live items created
// in it, and the late reports (live, created in the late window, dated before the previous digest)
// in creation order with exact values.

describe("the week's reporting in one statement", () => {
  let t: Awaited<ReturnType<typeof testDb>>;
  beforeAll(async () => {
    t = await testDb();
  });
  afterAll(() => t.close());

  it('equals the plain definitions on random items', async () => {
    const rand = prng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const { db, catalog } = t;
    const [rep] = await db
      .insert(reports)
      .values({ messageId: 'om_week_random', senderOpenId: 'ou_x', text: 'random' })
      .returning();
    const day = 86_400_000;
    const weekFrom = Date.UTC(2024, 9, 20, 16); // Monday 2024-10-21 00:00 in Chongqing
    const weekTo = weekFrom + 7 * day;
    const lateFrom = weekFrom;
    const lateTo = weekTo + day;
    const lateBefore = '2024-10-21';
    const metricIds = catalog.metrics.slice(0, 12).map((m) => m.id);
    const rows: Array<typeof reportItems.$inferInsert> = [];
    for (let n = 0; n < 800; n++) {
      const createdAt = weekFrom - 3 * day + Math.floor(rand() * 12 * day);
      rows.push({
        reportId: rep!.id,
        year: rand() < 0.9 ? catalog.year : catalog.year - 1,
        metricId: pick(catalog.metrics.slice(0, 16)).id,
        scope: pick(['city', '渝中区', '江北区']),
        mode: pick(['cumulative', 'increment'] as const),
        value: rand() < 0.1 ? null : rand() * 1000,
        asOf: pick(['2024-10-14', '2024-10-18', '2024-10-21', '2024-10-25']),
        reporterOpenId: pick(['ou_a', 'ou_b', 'ou_c']),
        org: pick(['市住房城乡建委', '市民政局', '渝中区', null]),
        createdAt,
        supersededAt: rand() < 0.15 ? createdAt + 1 : null,
      });
    }
    for (let i = 0; i < rows.length; i += 100) await db.insert(reportItems).values(rows.slice(i, i + 100));
    const stored = await db.select().from(reportItems);

    const got = await weekActivity(db, {
      year: catalog.year,
      metricIds,
      weekFrom,
      weekTo,
      lateFrom,
      lateTo,
      lateBefore,
    });

    const live = stored.filter((r) => r.year === catalog.year && r.supersededAt === null);
    const inWeek = live.filter((r) => r.createdAt >= weekFrom && r.createdAt < weekTo);
    const key = (r: { metricId: string; org: string | null; reporter: string }) =>
      JSON.stringify([r.metricId, r.org, r.reporter]);
    const expectedReported = new Set(
      inWeek.map((r) => key({ metricId: r.metricId, org: r.org, reporter: r.reporterOpenId })),
    );
    expect(new Set(got.reported.map(key))).toEqual(expectedReported);
    expect(got.reported.length).toBe(expectedReported.size);
    expect(got.reportsThisWeek).toBe(inWeek.filter((r) => metricIds.includes(r.metricId)).length);
    expect(got.reportsThisWeek).toBeGreaterThan(0);
    const late = live
      .filter(
        (r) => r.createdAt >= lateFrom && r.createdAt < lateTo && metricIds.includes(r.metricId) && r.asOf < lateBefore,
      )
      .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)
      .map((r) => ({ metricId: r.metricId, org: r.org, asOf: r.asOf, createdAt: r.createdAt, value: r.value }));
    expect(late.length).toBeGreaterThan(0);
    expect(got.lateReports).toEqual(late);
    // The digest's "reported" rule applied to these rows is the reminders' reportedIn.
    expect(reportedBy(t, got.reported, [])).toEqual(await reportedIn(t, weekFrom, weekTo));
  });
});
