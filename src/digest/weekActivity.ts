import { sql } from 'drizzle-orm';
import type { Db } from '../db/Db.js';
import type { ReportedRow } from '../duties/duties.js';

// What the digest reads about the week's reporting, in one statement (one round trip; on D1 one
// query): who reported what in the reporting week (the raw rows of duties.ts's "reported" rule),
// how many live items of the digest's metrics were recorded in it, and the late reports (补报)
// since the previous digest. Each part is a range on report_items_created (year, created_at, …,
// covering every column read here), so the cost is the week's items, never the year's.

export interface LateReport {
  metricId: string;
  org: string | null;
  asOf: string;
  createdAt: number;
  value: number | null;
}

export interface WeekActivity {
  reported: ReportedRow[];
  reportsThisWeek: number;
  lateReports: LateReport[];
}

export interface WeekWindows {
  year: number;
  metricIds: string[];
  /** The reporting week, [from, to) in ms. */
  weekFrom: number;
  weekTo: number;
  /** Late reports: created in [lateFrom, lateTo) with an as-of date before `lateBefore`. */
  lateFrom: number;
  lateTo: number;
  lateBefore: string;
}

export function weekActivityQuery(w: WeekWindows) {
  const ids = JSON.stringify(w.metricIds);
  const live = (from: number, to: number) =>
    sql`r.year = ${w.year} AND r.created_at >= ${from} AND r.created_at < ${to} AND r.superseded_at IS NULL`;
  const ofDigest = sql`r.metric_id IN (SELECT value FROM json_each(${ids}))`;
  // Reals as 17-digit text: SQLite's JSON writes 15 digits and would round the stored value.
  return sql`SELECT
    (SELECT json_group_array(json_array(x.metric_id, x.org, x.reporter_open_id)) FROM (
       SELECT DISTINCT r.metric_id, r.org, r.reporter_open_id FROM report_items r WHERE ${live(w.weekFrom, w.weekTo)}) x) AS reported,
    (SELECT count(*) FROM report_items r WHERE ${live(w.weekFrom, w.weekTo)} AND ${ofDigest}) AS n,
    (SELECT json_group_array(json_array(r.id, r.metric_id, r.org, r.as_of, r.created_at,
         iif(r.value IS NULL, NULL, printf('%!.17g', r.value))))
       FROM report_items r WHERE ${live(w.lateFrom, w.lateTo)} AND ${ofDigest} AND r.as_of < ${w.lateBefore}) AS late`;
}

/** The week's reporting for the digest (see above). */
export async function weekActivity(db: Db, w: WeekWindows): Promise<WeekActivity> {
  if (w.metricIds.length === 0) return { reported: [], reportsThisWeek: 0, lateReports: [] };
  const [row] = await db.all<{ reported: string | null; n: number; late: string | null }>(weekActivityQuery(w));
  const reported = (JSON.parse(row?.reported ?? '[]') as Array<[string, string | null, string]>).map(
    ([metricId, org, reporter]) => ({ metricId, org, reporter }),
  );
  const late = JSON.parse(row?.late ?? '[]') as Array<[number, string, string | null, string, number, string | null]>;
  const lateReports = late
    .sort((a, b) => a[4] - b[4] || a[0] - b[0])
    .map(([, metricId, org, asOf, createdAt, value]) => ({
      metricId,
      org,
      asOf,
      createdAt,
      value: value === null ? null : Number(value),
    }));
  return { reported, reportsThisWeek: Number(row?.n ?? 0), lateReports };
}
