import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Catalog } from '../catalog/Catalog.js';
import { progressFromStates } from '../progress/metricProgress.js';
import { round } from '../progress/scopeState.js';
import type { MetricProgress, ProgressItem, ScopeState, Thresholds } from '../progress/types.js';
import type { Db } from './Db.js';
import { reportItems } from './schema.js';

type Row = typeof reportItems.$inferSelect;

export function toProgressItem(r: Row): ProgressItem {
  return {
    id: r.id,
    metricId: r.metricId,
    scope: r.scope,
    mode: r.mode,
    value: r.value,
    milestone: (r.milestone as ProgressItem['milestone']) ?? null,
    asOf: r.asOf,
    createdAt: r.createdAt,
    reporterOpenId: r.reporterOpenId,
    org: r.org,
  };
}

interface StateRow {
  metric: string;
  scope: string;
  cid: number | null;
  cval: number | null;
  cas: string | null;
  cca: number | null;
  crep: string | null;
  corg: string | null;
  cms: string | null;
  iid: number | null;
  ival: number | null;
  ias: string | null;
  ica: number | null;
  irep: string | null;
  iorg: string | null;
  ims: string | null;
  inc: number | null;
}

/**
 * Per (metric, scope) on `date`, in one statement: the newest live cumulative item (c…), the newest
 * live increment (i…), and the sum of live increments dated after that cumulative (inc; skipped
 * when the newest increment is not after it). Every lookup is an index search on
 * report_items_live; exported so the benchmark can show the plan.
 */
export function scopeStatesQuery(year: number, scopes: string, metricIds: string, date: string): SQL {
  const live = (
    mode: 'cumulative' | 'increment',
  ) => sql`r.year = ${year} AND r.metric_id = k0.metric AND r.scope = k0.scope
    AND r.superseded_at IS NULL AND r.mode = ${mode} AND r.as_of <= ${date}`;
  return sql`
    WITH m(metric) AS (SELECT value FROM json_each(${metricIds})),
    s(scope) AS (SELECT value FROM json_each(${scopes})),
    k AS (
      SELECT k0.metric AS metric, k0.scope AS scope,
        (SELECT r.id FROM report_items r WHERE ${live('cumulative')} ORDER BY r.as_of DESC, r.id DESC LIMIT 1) AS cid,
        (SELECT r.id FROM report_items r WHERE ${live('increment')} ORDER BY r.as_of DESC, r.id DESC LIMIT 1) AS iid
      FROM (SELECT m.metric AS metric, s.scope AS scope FROM m, s) k0)
    SELECT k.metric AS metric, k.scope AS scope,
      c.id AS cid, c.value AS cval, c.as_of AS cas, c.created_at AS cca, c.reporter_open_id AS crep, c.org AS corg, c.milestone AS cms,
      i.id AS iid, i.value AS ival, i.as_of AS ias, i.created_at AS ica, i.reporter_open_id AS irep, i.org AS iorg, i.milestone AS ims,
      CASE WHEN i.id IS NULL OR (c.id IS NOT NULL AND i.as_of <= c.as_of) THEN NULL ELSE (
        SELECT sum(r.value) FROM report_items r
        WHERE r.year = ${year} AND r.metric_id = k.metric AND r.scope = k.scope AND r.superseded_at IS NULL
          AND r.mode = 'increment' AND r.as_of > coalesce(c.as_of, '') AND r.as_of <= ${date}) END AS inc
    FROM k LEFT JOIN report_items c ON c.id = k.cid LEFT JOIN report_items i ON i.id = k.iid
    WHERE k.cid IS NOT NULL OR k.iid IS NOT NULL`;
}

function itemOf(r: StateRow, which: 'c' | 'i'): ProgressItem | undefined {
  const id = which === 'c' ? r.cid : r.iid;
  if (id === null) return undefined;
  return which === 'c'
    ? {
        id,
        metricId: r.metric,
        scope: r.scope,
        mode: 'cumulative',
        value: r.cval,
        milestone: (r.cms as ProgressItem['milestone']) ?? null,
        asOf: r.cas!,
        createdAt: r.cca!,
        reporterOpenId: r.crep ?? undefined,
        org: r.corg,
      }
    : {
        id,
        metricId: r.metric,
        scope: r.scope,
        mode: 'increment',
        value: r.ival,
        milestone: (r.ims as ProgressItem['milestone']) ?? null,
        asOf: r.ias!,
        createdAt: r.ica!,
        reporterOpenId: r.irep ?? undefined,
        org: r.iorg,
      };
}

/**
 * The state of every (metric, scope) on `date`, computed in the database with index searches only
 * (report_items_live: year, metric, scope, superseded_at, mode, as_of): for each scope the newest
 * live cumulative item, the sum of live increments after it, and the newest increment. It reads
 * no more rows than it returns plus the increments since the last total, so a year of weekly
 * reports costs what a week does.
 */
export async function scopeStates(
  db: Db,
  catalog: Catalog,
  metricIds: string[],
  date: string,
): Promise<Map<string, Map<string, ScopeState>>> {
  const scopes = JSON.stringify(['city', ...catalog.districts().map((d) => d.name)]);
  const known = metricIds.filter((id) => catalog.metric(id));
  const out = new Map<string, Map<string, ScopeState>>(known.map((id) => [id, new Map()]));
  if (known.length === 0) return out;
  const rows = await db.all<StateRow>(scopeStatesQuery(catalog.year, scopes, JSON.stringify(known), date));
  for (const r of rows) {
    const metric = catalog.metric(r.metric)!;
    const cum = itemOf(r, 'c');
    const inc = itemOf(r, 'i');
    const newest = [cum, inc]
      .filter((x): x is ProgressItem => !!x)
      .sort((a, b) => (a.asOf !== b.asOf ? (a.asOf < b.asOf ? 1 : -1) : b.createdAt - a.createdAt || b.id - a.id))[0];
    const states = out.get(metric.id)!;
    if (metric.kind === 'milestone') {
      states.set(r.scope, {
        scope: r.scope,
        value: null,
        milestone: newest?.milestone ?? undefined,
        asOf: newest?.asOf ?? null,
        last: newest,
      });
    } else if (metric.kind === 'level') {
      states.set(r.scope, { scope: r.scope, value: newest?.value ?? null, asOf: newest?.asOf ?? null, last: newest });
    } else {
      states.set(r.scope, {
        scope: r.scope,
        value: round((r.cval ?? 0) + (r.inc ?? 0)),
        asOf: newest?.asOf ?? null,
        last: newest,
      });
    }
  }
  return out;
}

/** Progress of the given metrics (all by default) on `date`. */
export async function progressOn(
  db: Db,
  catalog: Catalog,
  date: string,
  opts: { metricIds?: string[]; thresholds?: Thresholds } = {},
): Promise<MetricProgress[]> {
  const ids = opts.metricIds ?? catalog.metrics.map((m) => m.id);
  const states = await scopeStates(db, catalog, ids, date);
  return ids.flatMap((id) => {
    const metric = catalog.metric(id);
    if (!metric) return [];
    return [
      progressFromStates(metric, states.get(id) ?? new Map(), {
        start: catalog.start,
        date,
        thresholds: opts.thresholds,
      }),
    ];
  });
}

/** Every live item of a metric (for small views and tests), oldest first. */
export async function liveItems(db: Db, year: number, metricId: string): Promise<ProgressItem[]> {
  const rows = await db
    .select()
    .from(reportItems)
    .where(and(eq(reportItems.year, year), eq(reportItems.metricId, metricId), isNull(reportItems.supersededAt)))
    .orderBy(reportItems.asOf, reportItems.id);
  return rows.map(toProgressItem);
}

/** The history of a metric, superseded items included, newest first (for /历史). */
export async function metricHistory(db: Db, year: number, metricId: string, limit = 20): Promise<Row[]> {
  return db
    .select()
    .from(reportItems)
    .where(and(eq(reportItems.year, year), eq(reportItems.metricId, metricId)))
    .orderBy(desc(reportItems.createdAt), desc(reportItems.id))
    .limit(limit);
}
