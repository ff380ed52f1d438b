import { sql } from 'drizzle-orm';
import type { Db } from '../db/Db.js';
import type { ReportedRow } from '../duties/duties.js';

// What the digest reads about the week's reporting, in two statements whatever the history: who
// reported what in the reporting week (the raw rows of duties.ts's "reported" rule) and how many
// live items of the digest's metrics were recorded in it, as one row; and the late reports (补报)
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
  return sql`SELECT
    (SELECT json_group_array(json_array(x.metric_id, x.org, x.reporter_open_id)) FROM (
       SELECT DISTINCT r.metric_id, r.org, r.reporter_open_id FROM report_items r WHERE ${live(w, w.weekFrom, w.weekTo)}) x) AS reported,
    (SELECT count(*) FROM report_items r
       WHERE ${live(w, w.weekFrom, w.weekTo)} AND r.metric_id IN (SELECT value FROM json_each(${ids}))) AS n`;
}

const live = (w: WeekWindows, from: number, to: number) =>
  sql`r.year = ${w.year} AND r.created_at >= ${from} AND r.created_at < ${to} AND r.superseded_at IS NULL`;

/**
 * Late reports as rows, not one JSON text like the rest: a unit back-filling a quarter could make
 * thousands, and D1 refuses any string over 2 MB.
 */
export function lateReportsQuery(w: WeekWindows) {
  return sql`SELECT r.metric_id AS metricId, r.org AS org, r.as_of AS asOf, r.created_at AS createdAt, r.value AS value
    FROM report_items r
    WHERE ${live(w, w.lateFrom, w.lateTo)} AND r.metric_id IN (SELECT value FROM json_each(${JSON.stringify(w.metricIds)}))
      AND r.as_of < ${w.lateBefore}
    ORDER BY r.created_at, r.id`;
}

/** The week's reporting for the digest (see above). */
export async function weekActivity(db: Db, w: WeekWindows): Promise<WeekActivity> {
  if (w.metricIds.length === 0) return { reported: [], reportsThisWeek: 0, lateReports: [] };
  const [[row], lateReports] = await Promise.all([
    db.all<{ reported: string | null; n: number }>(weekActivityQuery(w)),
    db.all<LateReport>(lateReportsQuery(w)),
  ]);
  const reported = (JSON.parse(row?.reported ?? '[]') as Array<[string, string | null, string]>).map(
    ([metricId, org, reporter]) => ({ metricId, org, reporter }),
  );
  return { reported, reportsThisWeek: Number(row?.n ?? 0), lateReports };
}
