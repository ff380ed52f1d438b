import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Catalog, Metric } from '../catalog/Catalog.js';
import { progressFromStates } from '../progress/metricProgress.js';
import { round } from '../progress/scopeState.js';
import type { MetricProgress, ProgressItem, ScopeState, Thresholds } from '../progress/types.js';
import type { Db } from './Db.js';
import { reportItems } from './schema.js';

type Row = typeof reportItems.$inferSelect;

export function toProgressItem(r: Row): ProgressItem {
  return {
    id: r.id, metricId: r.metricId, scope: r.scope, mode: r.mode, value: r.value,
    milestone: (r.milestone as ProgressItem['milestone']) ?? null, asOf: r.asOf, createdAt: r.createdAt,
    reporterOpenId: r.reporterOpenId, org: r.org,
  };
}

type StateRow = { scope: string; cid: number | null; cas: string | null; cval: number | null; inc: number | null; iid: number | null };

/**
 * One metric's per-scope state on `date`: for each scope (a JSON array of names) the newest live
 * cumulative item (cid), the sum of live increments after it (inc) and the newest increment (iid).
 * Exported so the benchmark can show its query plan.
 */
export function scopeStatesQuery(year: number, scopes: string, id: string, date: string): SQL {
  return sql`
      WITH scopes(scope) AS (SELECT value FROM json_each(${scopes})),
      cum AS (
        SELECT s.scope AS scope, (
          SELECT r.id FROM report_items r
          WHERE r.year = ${year} AND r.metric_id = ${id} AND r.scope = s.scope AND r.superseded_at IS NULL
            AND r.mode = 'cumulative' AND r.as_of <= ${date}
          ORDER BY r.as_of DESC, r.id DESC LIMIT 1) AS cid
        FROM scopes s)
      SELECT cum.scope AS scope, cum.cid AS cid, c.as_of AS cas, c.value AS cval,
        (SELECT sum(r.value) FROM report_items r
          WHERE r.year = ${year} AND r.metric_id = ${id} AND r.scope = cum.scope AND r.superseded_at IS NULL
            AND r.mode = 'increment' AND r.as_of > coalesce(c.as_of, '') AND r.as_of <= ${date}) AS inc,
        (SELECT r.id FROM report_items r
          WHERE r.year = ${year} AND r.metric_id = ${id} AND r.scope = cum.scope AND r.superseded_at IS NULL
            AND r.mode = 'increment' AND r.as_of <= ${date}
          ORDER BY r.as_of DESC, r.id DESC LIMIT 1) AS iid
      FROM cum LEFT JOIN report_items c ON c.id = cum.cid
      WHERE cum.cid IS NOT NULL OR EXISTS (
        SELECT 1 FROM report_items r
        WHERE r.year = ${year} AND r.metric_id = ${id} AND r.scope = cum.scope AND r.superseded_at IS NULL
          AND r.mode = 'increment' AND r.as_of <= ${date})`;
}

/**
 * The state of every (metric, scope) on `date`, computed in the database with index seeks only
 * (report_items_live: year, metric, scope, superseded_at, mode, as_of): for each scope the newest
 * live cumulative item, the sum of live increments after it, and the newest increment. It never
 * reads more rows than it returns, so a year of weekly reports costs what a week does.
 */
export async function scopeStates(db: Db, catalog: Catalog, metricIds: string[], date: string): Promise<Map<string, Map<string, ScopeState>>> {
  const scopes = JSON.stringify(['city', ...catalog.districts().map((d) => d.name)]);
  const out = new Map<string, Map<string, ScopeState>>();
  const wanted: number[] = [];
  const perMetric: Array<{ metric: Metric; rows: StateRow[] }> = [];
  for (const id of metricIds) {
    const metric = catalog.metric(id);
    if (!metric) continue;
    const rows = await db.all<StateRow>(scopeStatesQuery(catalog.year, scopes, id, date));
    perMetric.push({ metric, rows });
    for (const r of rows) {
      if (r.cid !== null) wanted.push(r.cid);
      if (r.iid !== null) wanted.push(r.iid);
    }
  }
  // The newest items themselves (who reported, when), fetched by primary key.
  const items = new Map<number, ProgressItem>();
  for (let i = 0; i < wanted.length; i += 90) {
    const slice = wanted.slice(i, i + 90);
    const rows = await db.select().from(reportItems).where(inArray(reportItems.id, slice));
    for (const r of rows) items.set(r.id, toProgressItem(r));
  }
  for (const { metric, rows } of perMetric) {
    const states = new Map<string, ScopeState>();
    for (const r of rows) {
      const cum = r.cid !== null ? items.get(r.cid) : undefined;
      const inc = r.iid !== null ? items.get(r.iid) : undefined;
      const newest = [cum, inc].filter((x): x is ProgressItem => !!x)
        .sort((a, b) => (a.asOf !== b.asOf ? (a.asOf < b.asOf ? 1 : -1) : b.createdAt - a.createdAt || b.id - a.id))[0];
      if (metric.kind === 'milestone') {
        states.set(r.scope, { scope: r.scope, value: null, milestone: newest?.milestone ?? undefined, asOf: newest?.asOf ?? null, last: newest });
      } else if (metric.kind === 'level') {
        states.set(r.scope, { scope: r.scope, value: newest?.value ?? null, asOf: newest?.asOf ?? null, last: newest });
      } else {
        states.set(r.scope, { scope: r.scope, value: round((r.cval ?? 0) + (r.inc ?? 0)), asOf: newest?.asOf ?? null, last: newest });
      }
    }
    out.set(metric.id, states);
  }
  return out;
}

/** Progress of the given metrics (all by default) on `date`. */
export async function progressOn(
  db: Db, catalog: Catalog, date: string, opts: { metricIds?: string[]; thresholds?: Thresholds } = {},
): Promise<MetricProgress[]> {
  const ids = opts.metricIds ?? catalog.metrics.map((m) => m.id);
  const states = await scopeStates(db, catalog, ids, date);
  return ids.flatMap((id) => {
    const metric = catalog.metric(id);
    if (!metric) return [];
    return [progressFromStates(metric, states.get(id) ?? new Map(), { start: catalog.start, date, thresholds: opts.thresholds })];
  });
}

/** Every live item of a metric (for small views and tests), oldest first. */
export async function liveItems(db: Db, year: number, metricId: string): Promise<ProgressItem[]> {
  const rows = await db.select().from(reportItems)
    .where(and(eq(reportItems.year, year), eq(reportItems.metricId, metricId), isNull(reportItems.supersededAt)))
    .orderBy(reportItems.asOf, reportItems.id);
  return rows.map(toProgressItem);
}

/** The history of a metric, superseded items included, newest first (for /历史). */
export async function metricHistory(db: Db, year: number, metricId: string, limit = 20): Promise<Row[]> {
  return db.select().from(reportItems)
    .where(and(eq(reportItems.year, year), eq(reportItems.metricId, metricId)))
    .orderBy(desc(reportItems.createdAt), desc(reportItems.id)).limit(limit);
}
