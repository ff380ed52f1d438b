import { and, count, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import type { Metric } from '../catalog/Catalog.js';
import { progressOn } from '../db/progressRepo.js';
import { reportItems } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { reportedIn } from '../jobs/duties.js';
import { STATUS_LABEL, STATUS_SEVERITY, type MetricProgress, type Status, type Thresholds } from '../progress/types.js';
import { addDays, mondayOf } from '../workdays/calendar.js';
import { zonedInstant } from '../workdays/zoned.js';

// The weekly digest's figures, computed once and rendered three ways (card, text, JSON). Every
// figure is progressOn's (the catalog's progress semantics, in SQL); this file only compares two
// dates and lists who did not report.
//
// - "As of" a date: reports whose as-of date is on or before it (corrections applied: superseded
//   items never count).
// - Change since last week: the figure on the date minus the figure seven days earlier, both as
//   known now, so a late report (补报) dated last week moves last week's figure too and the change
//   shows what happened in the week, not when it was typed in.
// - Late reports: live items created since the last digest (the same date a week earlier) whose
//   as-of date is before that digest's date; counted in, and named in one line.
// - Did not report: the reporting week is the Monday–Sunday week before the digest's week (a
//   Monday digest reviews the week just ended; a digest moved to Tuesday by a holiday reviews the
//   same week). A lead unit is named when one of its metrics has no report created in that week.

export interface DigestMetric {
  id: string;
  project: number;
  name: string;
  kind: Metric['kind'];
  unit: string | null;
  target: number | null;
  value: number | null;
  milestone: MetricProgress['milestone'] | null;
  /** value / target in percent, 1 decimal (null without a figure or a target). */
  donePct: number | null;
  expectedPct: number;
  status: Status;
  statusLabel: string;
  previousValue: number | null;
  previousMilestone: MetricProgress['milestone'] | null;
  previousStatus: Status;
  /** value − previous value (null when either is missing). */
  change: number | null;
  source: MetricProgress['source'];
  districts: Array<{ scope: string; value: number | null }>;
  leadUnits: string[];
  asOf: string | null;
}

export interface DigestData {
  date: string;
  previousDate: string;
  reportingWeek: { from: string; to: string };
  projects: Array<{ no: number; name: string; donePct: number | null; expectedPct: number; worst: Status }>;
  counts: Record<Status, number>;
  worst: Status;
  metrics: DigestMetric[];
  lagging: Array<{ id: string; name: string; status: Status; donePct: number | null; expectedPct: number; ofExpectedPct: number | null; leadUnits: string[] }>;
  missingUnits: Array<{ org: string; metrics: string[] }>;
  lateReports: Array<{ metricId: string; org: string | null; asOf: string; createdAt: number; value: number | null }>;
  reportsThisWeek: number;
  noChange: boolean;
  thresholds: Thresholds;
}

const pct = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 10);
const round = (x: number) => Math.round(x * 1e6) / 1e6;

export interface DigestOptions {
  /** The local date the digest is for. */
  date: string;
  /** Projects to include (a chat's subscription); all when omitted. */
  projects?: number[];
  thresholds: Thresholds;
  /** Reports created after this instant are not "late reports" of this digest (default: end of the date). */
  until?: Date;
}

export async function computeDigest(deps: Pick<Deps, 'db' | 'catalog' | 'config'>, opts: DigestOptions): Promise<DigestData> {
  const { catalog, db } = deps;
  const tz = deps.config.BOT_TIMEZONE;
  const projectNos = (opts.projects && opts.projects.length > 0 ? opts.projects : catalog.projects.map((p) => p.no))
    .filter((no) => catalog.project(no)).sort((a, b) => a - b);
  const metrics = projectNos.flatMap((no) => catalog.metricsOfProject(no));
  const ids = metrics.map((m) => m.id);
  const previousDate = addDays(opts.date, -7);
  const [now, before] = await Promise.all([
    progressOn(db, catalog, opts.date, { metricIds: ids, thresholds: opts.thresholds }),
    progressOn(db, catalog, previousDate, { metricIds: ids, thresholds: opts.thresholds }),
  ]);
  const prevById = new Map(before.map((p) => [p.metricId, p]));

  const rows: DigestMetric[] = now.map((p) => {
    const m = catalog.metric(p.metricId)!;
    const prev = prevById.get(p.metricId);
    return {
      id: m.id, project: m.project, name: m.name, kind: m.kind, unit: p.unit, target: p.target,
      value: p.value, milestone: p.milestone ?? null,
      donePct: pct(p.share), expectedPct: pct(p.expectedShare)!,
      status: p.status, statusLabel: STATUS_LABEL[p.status],
      previousValue: prev?.value ?? null, previousMilestone: prev?.milestone ?? null, previousStatus: prev?.status ?? 'no_data',
      change: p.value !== null && prev?.value != null ? round(p.value - prev.value) : null,
      source: p.source,
      districts: p.districts.map((d) => ({ scope: d.scope, value: d.value })),
      leadUnits: [...m.lead],
      asOf: p.asOf,
    };
  });

  const counts: Record<Status, number> = { done: 0, on_track: 0, lagging: 0, severe: 0, no_data: 0 };
  for (const r of rows) counts[r.status]++;
  const worstOf = (list: DigestMetric[]): Status => list.reduce<Status>((w, r) => (STATUS_SEVERITY[r.status] > STATUS_SEVERITY[w] ? r.status : w), 'done');

  const projects = projectNos.map((no) => {
    const list = rows.filter((r) => r.project === no);
    const quantified = list.filter((r) => r.target !== null && r.kind !== 'milestone');
    const donePct = quantified.length ? pct(quantified.reduce((s, r) => s + Math.min(1, (r.value ?? 0) / r.target!), 0) / quantified.length) : null;
    const expectedPct = quantified.length ? Math.round(quantified.reduce((s, r) => s + r.expectedPct, 0) / quantified.length * 10) / 10 : list[0]?.expectedPct ?? 0;
    return { no, name: catalog.project(no)!.name, donePct, expectedPct, worst: worstOf(list) };
  });

  const lagging = rows.filter((r) => r.status === 'lagging' || r.status === 'severe')
    .map((r) => ({
      id: r.id, name: r.name, status: r.status, donePct: r.donePct, expectedPct: r.expectedPct,
      ofExpectedPct: r.donePct !== null && r.expectedPct > 0 ? Math.round((r.donePct / r.expectedPct) * 1000) / 10 : null,
      leadUnits: r.leadUnits,
    }))
    .sort((a, b) => STATUS_SEVERITY[b.status] - STATUS_SEVERITY[a.status] || (a.ofExpectedPct ?? 0) - (b.ofExpectedPct ?? 0) || a.id.localeCompare(b.id, 'en', { numeric: true }));

  // The reporting week and who did not report in it.
  const weekFrom = addDays(mondayOf(opts.date), -7);
  const weekTo = addDays(weekFrom, 6);
  const fromMs = zonedInstant(weekFrom, 0, tz).getTime();
  const toMs = zonedInstant(addDays(weekTo, 1), 0, tz).getTime();
  const reported = await reportedIn(deps, fromMs, toMs);
  const missingByOrg = new Map<string, string[]>();
  for (const m of metrics) {
    if (reported.has(m.id)) continue;
    for (const org of m.lead) missingByOrg.set(org, [...(missingByOrg.get(org) ?? []), m.id]);
  }
  const missingUnits = [...missingByOrg.entries()].map(([org, list]) => ({ org, metrics: list }))
    .sort((a, b) => b.metrics.length - a.metrics.length || a.org.localeCompare(b.org, 'zh'));
  const [week] = ids.length === 0 ? [{ n: 0 }] : await db.select({ n: count() }).from(reportItems)
    .where(and(eq(reportItems.year, catalog.year), gte(reportItems.createdAt, fromMs), lt(reportItems.createdAt, toMs), isNull(reportItems.supersededAt), inArray(reportItems.metricId, ids)));

  // Late reports since the last digest, counted in above.
  const lateFrom = zonedInstant(previousDate, 0, tz).getTime();
  const lateTo = (opts.until ?? zonedInstant(addDays(opts.date, 1), 0, tz)).getTime();
  const late = ids.length === 0 ? [] : await db.select({ metricId: reportItems.metricId, org: reportItems.org, asOf: reportItems.asOf, createdAt: reportItems.createdAt, value: reportItems.value })
    .from(reportItems)
    .where(and(eq(reportItems.year, catalog.year), gte(reportItems.createdAt, lateFrom), lt(reportItems.createdAt, lateTo), isNull(reportItems.supersededAt), inArray(reportItems.metricId, ids), lt(reportItems.asOf, previousDate)))
    .orderBy(reportItems.createdAt);

  const noChange = rows.every((r) => r.value === r.previousValue && r.milestone === r.previousMilestone);
  return {
    date: opts.date, previousDate, reportingWeek: { from: weekFrom, to: weekTo },
    projects, counts, worst: worstOf(rows), metrics: rows, lagging, missingUnits,
    lateReports: late, reportsThisWeek: week?.n ?? 0, noChange, thresholds: opts.thresholds,
  };
}
