import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { progressOnDates } from '../../src/db/progressRepo.js';
import { computeDigest } from '../../src/digest/computeDigest.js';
import { metricProgress } from '../../src/progress/metricProgress.js';
import type { ProgressItem } from '../../src/progress/types.js';
import { depsFor } from '../../src/runtime/worker.js';

// The digest's two statements (both dates' figures; the week's reporting) on D1: SQLite's JSON
// functions, printf's 17 digits and MATERIALIZED as D1 runs them. A figure built of 0.1 and 0.2
// must come back to the last bit, a late report (补报) must be listed and counted.

const worker = () => (exports as unknown as { default: Fetcher }).default;
const e = env as unknown as { DB: D1Database };
const at = (iso: string) => Date.parse(iso);

describe('the digest on D1', () => {
  it('figures equal the pure computation; late reports and the week count as on libsql', async () => {
    // The catalog is seeded by the Worker's first request.
    expect((await worker().fetch('http://worker/healthz')).status).toBe(200);
    await e.DB.prepare(
      "insert into reports (message_id, sender_open_id, org, text, status, received_at, updated_at) values ('om_d1_digest', 'ou_d1', '市住房城乡建委', 't', 'recorded', 1, 1)",
    ).run();
    const item = e.DB.prepare(
      `insert into report_items (report_id, year, metric_id, value, mode, scope, as_of, reporter_open_id, org, created_at, superseded_at)
       select id, 2024, ?, ?, ?, 'city', ?, 'ou_d1', '市住房城乡建委', ?, ? from reports where message_id = 'om_d1_digest'`,
    );
    // A level figure whose double needs 17 digits (SQLite's JSON would write 33.3333333333333).
    const exactLevel = 100 / 3;
    expect(String(exactLevel)).toBe('33.333333333333336');
    await e.DB.batch([
      item.bind('3-1', 100.1, 'cumulative', '2024-10-14', at('2024-10-14T02:00:00Z'), null),
      item.bind('3-1', 0.1, 'increment', '2024-10-16', at('2024-10-16T02:00:00Z'), null),
      // Reported on the digest's Monday for the week before: a late report.
      item.bind('3-1', 0.2, 'increment', '2024-10-18', at('2024-10-21T06:00:00Z'), null),
      item.bind('3-1', 5, 'increment', '2024-10-23', at('2024-10-23T02:00:00Z'), null),
      // Corrected away: counts nowhere.
      item.bind('3-1', 999, 'increment', '2024-10-22', at('2024-10-22T02:00:00Z'), at('2024-10-22T03:00:00Z')),
      item.bind('12-2', exactLevel, 'cumulative', '2024-10-10', at('2024-10-10T02:00:00Z'), null),
    ]);
    const deps = await depsFor(env as never, createExecutionContext());
    const live = (
      await e.DB.prepare(
        "select id, metric_id, scope, mode, value, as_of, created_at, reporter_open_id, org from report_items where metric_id = '3-1' and superseded_at is null",
      ).all<{
        id: number;
        metric_id: string;
        scope: string;
        mode: 'cumulative' | 'increment';
        value: number | null;
        as_of: string;
        created_at: number;
        reporter_open_id: string;
        org: string | null;
      }>()
    ).results.map(
      (r): ProgressItem => ({
        id: r.id,
        metricId: r.metric_id,
        scope: r.scope,
        mode: r.mode,
        value: r.value,
        milestone: null,
        asOf: r.as_of,
        createdAt: r.created_at,
        reporterOpenId: r.reporter_open_id,
        org: r.org,
      }),
    );
    expect(live).toHaveLength(4);
    const metric = deps.catalog.metric('3-1')!;
    const dates = ['2024-10-21', '2024-10-28'];
    const fromDb = await progressOnDates(deps.db, deps.catalog, dates, { metricIds: ['3-1'] });
    for (const date of dates) {
      expect(fromDb.get(date)).toEqual([metricProgress(metric, live, { start: deps.catalog.start, date })]);
    }
    expect(fromDb.get('2024-10-28')![0]!.value).toBe(Math.round((100.1 + 0.1 + 0.2 + 5) * 1e9) / 1e9);

    const digest = await computeDigest(deps, { date: '2024-10-28' });
    expect(digest.metrics.find((m) => m.id === '12-2')!.value).toBe(exactLevel);
    const row = digest.metrics.find((m) => m.id === '3-1')!;
    expect(row.value).toBe(fromDb.get('2024-10-28')![0]!.value);
    expect(row.previousValue).toBe(fromDb.get('2024-10-21')![0]!.value);
    expect(digest.previousDate).toBe('2024-10-21');
    expect(digest.lateReports).toEqual([
      { metricId: '3-1', org: '市住房城乡建委', asOf: '2024-10-18', createdAt: at('2024-10-21T06:00:00Z'), value: 0.2 },
    ]);
    // Created in the reporting week (21–27 October), live: the late one and the 23rd's.
    expect(digest.reportsThisWeek).toBe(2);
  });
});
