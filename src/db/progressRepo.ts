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

/** An item as the states query encodes it: id, value (exact, as text), as_of, created_at, reporter, org, milestone (all null for none). */
type ItemJson = [
  number | null,
  string | null,
  string | null,
  number | null,
  string | null,
  string | null,
  string | null,
];
/**
 * One (date, metric, scope) of the states query: the newest cumulative (7 fields), the newest
 * increment (7 fields), the sum of increments dated after that cumulative.
 */
type StateJson = [string, string, string, ...ItemJson, ...ItemJson, string | null];

/**
 * Per date, metric and scope, in one statement: the newest live cumulative item, the newest live
 * increment, and the sum of live increments dated after that cumulative (skipped when the newest
 * increment is not after it). Every lookup is an index search on report_items_live (year, metric,
 * scope, superseded_at, as_of, id, mode, value), read backwards from the date: the newest item of
 * each mode and the increments after the last total, from the index alone and usually from one
 * page, however long the history before them. (A scope that only ever reports increments is read
 * back to its first one: its figure is the sum of them all.)
 *
 * The answer is one JSON text, not a row per scope: building 1,722 row objects of 17 columns in the
 * driver cost several times the searches themselves. Reals travel as printf('%!.17g') text because
 * SQLite's JSON writes 15 significant digits (0.1 + 0.2 would come back as 0.3): 17 digits give
 * the stored double back exactly.
 */
export function scopeStatesQuery(year: number, scopes: string, metricIds: string, dates: string): SQL {
  const exact = (col: SQL) => sql`iif(${col} IS NULL, NULL, printf('%!.17g', ${col}))`;
  // The id only, so the search reads the index alone; the item's row is read once, below.
  const newest = (mode: 'cumulative' | 'increment') => sql`(
      SELECT r.id FROM report_items r
      WHERE r.year = ${year} AND r.metric_id = m.metric AND r.scope = s.scope AND r.superseded_at IS NULL
        AND r.mode = ${mode} AND r.as_of <= d.date
      ORDER BY r.as_of DESC, r.id DESC LIMIT 1)`;
  const item = (t: 'c' | 'i') =>
    sql
      .raw(`${t}.id, `)
      .append(exact(sql.raw(`${t}.value`)))
      .append(sql.raw(`, ${t}.as_of, ${t}.created_at, ${t}.reporter_open_id, ${t}.org, ${t}.milestone`));
  return sql`
    WITH m(metric) AS (SELECT value FROM json_each(${metricIds})),
    s(scope) AS (SELECT value FROM json_each(${scopes})),
    d(date) AS (SELECT value FROM json_each(${dates})),
    k AS MATERIALIZED (
      SELECT d.date AS date, m.metric AS metric, s.scope AS scope,
        ${newest('cumulative')} AS cid, ${newest('increment')} AS iid
      -- Date innermost: a (metric, scope)'s searches for both dates follow each other and find
      -- its index pages still in the page cache.
      FROM m CROSS JOIN s CROSS JOIN d)
    SELECT json_group_array(json_array(k.date, k.metric, k.scope, ${item('c')}, ${item('i')},
      CASE WHEN i.id IS NULL OR (c.id IS NOT NULL AND i.as_of <= c.as_of) THEN NULL ELSE (
        SELECT ${exact(sql`sum(r.value)`)} FROM report_items r
        WHERE r.year = ${year} AND r.metric_id = k.metric AND r.scope = k.scope AND r.superseded_at IS NULL
          AND r.mode = 'increment' AND r.as_of > coalesce(c.as_of, '') AND r.as_of <= k.date) END)) AS j
    FROM k LEFT JOIN report_items c ON c.id = k.cid LEFT JOIN report_items i ON i.id = k.iid
    WHERE k.cid IS NOT NULL OR k.iid IS NOT NULL`;
}

const num = (x: string | null): number | null => (x === null ? null : Number(x));

function itemOf(j: ItemJson, metricId: string, scope: string, mode: ProgressItem['mode']): ProgressItem | undefined {
  const [id, value, asOf, createdAt, reporter, org, milestone] = j;
  if (id === null) return undefined;
  return {
    id,
    metricId,
    scope,
    mode,
    value: num(value),
    milestone: (milestone as ProgressItem['milestone']) ?? null,
    asOf: asOf!,
    createdAt: createdAt!,
    reporterOpenId: reporter ?? undefined,
    org,
  };
}

type States = Map<string, Map<string, ScopeState>>;

/**
 * (date, metric, scope) entries per statement. An entry is at most about 420 bytes of JSON (long
 * open ids and organisation names, 17-digit values), so an answer stays near 1 MB, half of the
 * 2 MB D1 allows for any string.
 */
const MAX_ENTRIES = 2400;

/**
 * The state of every (metric, scope) on each of `dates`, computed in the database with index
 * searches only (report_items_live, see scopeStatesQuery) in one statement: for each scope the newest live cumulative item, the sum of live increments after it,
 * and the newest increment. It reads no more rows than it returns plus the increments since the
 * last total, so a year of weekly reports costs what a week does.
 */
export async function scopeStatesOn(
  db: Db,
  catalog: Catalog,
  metricIds: string[],
  dates: string[],
): Promise<Map<string, States>> {
  const scopes = JSON.stringify(['city', ...catalog.districts().map((d) => d.name)]);
  const known = metricIds.filter((id) => catalog.metric(id));
  const days = [...new Set(dates)];
  const out = new Map<string, States>(days.map((d) => [d, new Map(known.map((id) => [id, new Map()]))]));
  if (known.length === 0 || days.length === 0) return out;
  // Metrics in groups so that no answer passes MAX_ENTRIES entries: the whole catalog on two dates
  // (41 × 42 × 2) takes two statements.
  const perStatement = Math.max(1, Math.floor(MAX_ENTRIES / (days.length * (catalog.districts().length + 1))));
  const groups: string[][] = [];
  for (let i = 0; i < known.length; i += perStatement) groups.push(known.slice(i, i + perStatement));
  const answers = await Promise.all(
    groups.map((g) =>
      db.all<{ j: string | null }>(scopeStatesQuery(catalog.year, scopes, JSON.stringify(g), JSON.stringify(days))),
    ),
  );
  const list: StateJson[] = answers.flatMap(([row]) => (row?.j ? (JSON.parse(row.j) as StateJson[]) : []));
  for (const row of list) {
    const [date, metricId, scope] = row;
    const inc = row[17];
    const metric = catalog.metric(metricId)!;
    const cum = itemOf(row.slice(3, 10) as ItemJson, metricId, scope, 'cumulative');
    const incr = itemOf(row.slice(10, 17) as ItemJson, metricId, scope, 'increment');
    const newest = [cum, incr]
      .filter((x): x is ProgressItem => !!x)
      .sort((a, b) => (a.asOf !== b.asOf ? (a.asOf < b.asOf ? 1 : -1) : b.createdAt - a.createdAt || b.id - a.id))[0];
    const states = out.get(date)!.get(metric.id)!;
    if (metric.kind === 'milestone') {
      states.set(scope, {
        scope,
        value: null,
        milestone: newest?.milestone ?? undefined,
        asOf: newest?.asOf ?? null,
        last: newest,
      });
    } else if (metric.kind === 'level') {
      states.set(scope, { scope, value: newest?.value ?? null, asOf: newest?.asOf ?? null, last: newest });
    } else {
      states.set(scope, {
        scope,
        value: round((cum?.value ?? 0) + (num(inc) ?? 0)),
        asOf: newest?.asOf ?? null,
        last: newest,
      });
    }
  }
  return out;
}

/** The state of every (metric, scope) on `date` (scopeStatesOn for one date). */
export async function scopeStates(db: Db, catalog: Catalog, metricIds: string[], date: string): Promise<States> {
  return (await scopeStatesOn(db, catalog, metricIds, [date])).get(date)!;
}

/** Progress of the given metrics (all by default) on `date`. */
export async function progressOn(
  db: Db,
  catalog: Catalog,
  date: string,
  opts: { metricIds?: string[]; thresholds?: Thresholds } = {},
): Promise<MetricProgress[]> {
  return (await progressOnDates(db, catalog, [date], opts)).get(date)!;
}

/** Progress on each of `dates` in one statement (the digest's date and the previous digest's). */
export async function progressOnDates(
  db: Db,
  catalog: Catalog,
  dates: string[],
  opts: { metricIds?: string[]; thresholds?: Thresholds } = {},
): Promise<Map<string, MetricProgress[]>> {
  const ids = opts.metricIds ?? catalog.metrics.map((m) => m.id);
  const byDate = await scopeStatesOn(db, catalog, ids, dates);
  return new Map(
    [...byDate].map(([date, states]) => [
      date,
      ids.flatMap((id) => {
        const metric = catalog.metric(id);
        if (!metric) return [];
        return [
          progressFromStates(metric, states.get(id) ?? new Map(), {
            start: catalog.start,
            date,
            thresholds: opts.thresholds,
          }),
        ];
      }),
    ]),
  );
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
