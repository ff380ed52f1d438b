import type { Metric } from '../catalog/Catalog.js';
import { progressOnDates } from '../db/progressRepo.js';
import type { Deps } from '../deps.js';
import { listContacts } from '../db/contactsRepo.js';
import { reportedBy } from '../duties/duties.js';
import { weeklyRunDay } from '../duties/occurrences.js';
import { owedInWeek, stillOwing } from '../duties/owed.js';
import { loadSchedulerSettings, type SchedulerSettings, type WeeklyAt } from '../settings/settings.js';
import {
  STATUS_LABEL,
  STATUS_SEVERITY,
  type JudgeRule,
  type MetricProgress,
  type Status,
  type Thresholds,
} from '../progress/types.js';
import { addDays, daysBetween, mondayOf } from '../workdays/calendar.js';
import { zonedInstant } from '../workdays/zoned.js';
import { weekActivity } from './weekActivity.js';

// The weekly digest's figures, computed once and rendered three ways (card, text, JSON) and read by
// every other view of the week (board, workbook). Every figure is progressOn's (the catalog's
// progress semantics, in SQL); this file compares two dates, ranks and lists who did not report.
//
// - "As of" a date: reports whose as-of date is on or before it (corrections applied: superseded
//   items never count). Each metric carries the as-of date of the figure shown (截至) and is marked
//   stale when that is more than `staleWeeks` weeks before the digest's date.
// - Change since last week: the figure on the date minus the figure on the previous digest's date
//   (the digest's run day of an earlier week, moved past holidays like the scheduler moves it), both
//   as known now: a late report (补报) moves the earlier figure too, and a digest moved to Wednesday
//   by a holiday compares with the Monday before, so no week's change is shown twice or skipped.
// - Late reports: live items created since the previous digest whose as-of date is before it.
// - Did not report: the reporting week is the Monday–Sunday week before the digest's week; who owed
//   what in it is src/jobs/owed.ts (the reminders' rule): a week with no reminder lists nobody, a
//   finished metric is owed by nobody, and a unit with no bound contact is listed apart.
// - Ranking: each lead unit by the mean, over the metrics it leads, of progress against what is due
//   (count: share / 序时进度; level: share of the target value; each capped at 100%; 未报送 counts 0;
//   a milestone done or under way 100%, not started 50%), worst first.

export type { JudgeRule } from '../progress/types.js';

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
  /** 序时进度 (the calendar share of the year up to the metric's deadline), percent. */
  expectedPct: number;
  /** What the status is judged against: 'pace' (序时进度), 'target' (the target value), 'milestone'. */
  rule: JudgeRule;
  /** The percent of target the status compares with: expectedPct for 'pace', 100 for 'target'. */
  benchmarkPct: number;
  status: Status;
  statusLabel: string;
  previousValue: number | null;
  previousMilestone: MetricProgress['milestone'] | null;
  previousStatus: Status;
  /** value − previous value (null when either is missing). */
  change: number | null;
  source: MetricProgress['source'];
  districts: Array<{ scope: string; value: number | null; asOf: string | null }>;
  leadUnits: string[];
  /** 截至: the as-of date of the figure shown (null with no data). */
  asOf: string | null;
  /** Whole days from asOf to the digest's date. */
  ageDays: number | null;
  /** asOf is more than staleWeeks weeks old. */
  stale: boolean;
  deadline: string;
}

export interface DigestProject {
  no: number;
  name: string;
  /** Mean of min(100, done%) over its count and level metrics that have a figure; null when none has. */
  donePct: number | null;
  /** Mean benchmark (序时 or target) of the same metrics; of all of them when none has a figure. */
  expectedPct: number;
  worst: Status;
  /** No count or level metric of the project has a figure: shown as 未报送, never 完成 0%. */
  noData: boolean;
  /** Count and level metrics with a figure, and in all. */
  reported: number;
  quantified: number;
}

export interface DigestUnitRank {
  rank: number;
  org: string;
  /** Mean progress against what is due, percent (see the ranking rule above). */
  scorePct: number;
  /** The metrics it leads in this digest, with their status. */
  metrics: Array<{ id: string; status: Status; againstPct: number }>;
  /** Its metrics 严重滞后, 滞后 or 未报送, worst first. */
  behind: string[];
  worst: Status;
}

export interface DigestData {
  date: string;
  /** The previous digest's date (its run day, holidays moved like the scheduler's). */
  previousDate: string;
  /** The week reviewed; `reminded` false when no reminder went out in it (nobody is listed missing). */
  reportingWeek: { from: string; to: string; reminded: boolean };
  projects: DigestProject[];
  counts: Record<Status, number>;
  worst: Status;
  metrics: DigestMetric[];
  lagging: Array<{
    id: string;
    name: string;
    status: Status;
    rule: JudgeRule;
    donePct: number | null;
    expectedPct: number;
    benchmarkPct: number;
    ofExpectedPct: number | null;
    leadUnits: string[];
  }>;
  /** Responsible (lead) units, worst first. */
  ranking: DigestUnitRank[];
  missingUnits: Array<{ org: string; metrics: string[] }>;
  /** Lead units of unfinished metrics with no bound contact: nobody can remind them (admins are told). */
  unitsWithoutContact: Array<{ org: string; metrics: string[] }>;
  lateReports: Array<{ metricId: string; org: string | null; asOf: string; createdAt: number; value: number | null }>;
  reportsThisWeek: number;
  noChange: boolean;
  /** Metrics whose figure is stale (ids). */
  stale: string[];
  staleWeeks: number;
  thresholds: Thresholds;
}

const pct = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 10);
const round = (x: number) => Math.round(x * 1e6) / 1e6;
const r1 = (x: number) => Math.round(x * 10) / 10;

export interface DigestOptions {
  /** The local date the digest is for. */
  date: string;
  /** Projects to include (a chat's subscription); all when omitted. */
  projects?: number[];
  /** The scheduler settings (schedules, thresholds, stale weeks); read from the database when omitted. */
  settings?: SchedulerSettings;
  /** Overrides the settings' thresholds. */
  thresholds?: Thresholds;
  /** Reports created after this instant are not "late reports" of this digest (default: end of the date). */
  until?: Date;
}

/** The run day of the digest before `date`: this week's if already past, else an earlier week's. */
export function previousDigestDate(date: string, at: WeeklyAt): string {
  const own = weeklyRunDay(mondayOf(date), at);
  if (own && own < date) return own;
  for (let back = 1; back <= 4; back++) {
    const d = weeklyRunDay(addDays(mondayOf(date), -7 * back), at);
    if (d) return d;
  }
  return addDays(date, -7);
}

/** A metric's progress against what is due, 0..1, for the ranking. */
function against(r: DigestMetric): number {
  if (r.kind === 'milestone')
    return r.status === 'done' || r.status === 'on_track' ? 1 : r.status === 'lagging' ? 0.5 : 0;
  if (r.status === 'done') return 1;
  if (r.donePct === null) return 0;
  return r.benchmarkPct > 0 ? Math.min(1, r.donePct / r.benchmarkPct) : 1;
}

export async function computeDigest(
  deps: Pick<Deps, 'db' | 'catalog' | 'config'>,
  opts: DigestOptions,
): Promise<DigestData> {
  const { catalog, db } = deps;
  const tz = deps.config.BOT_TIMEZONE;
  const settings = opts.settings ?? (await loadSchedulerSettings(db));
  const thresholds = opts.thresholds ?? settings.thresholds;
  const projectNos = (opts.projects && opts.projects.length > 0 ? opts.projects : catalog.projects.map((p) => p.no))
    .filter((no) => catalog.project(no))
    .sort((a, b) => a - b);
  const metrics = projectNos.flatMap((no) => catalog.metricsOfProject(no));
  const ids = metrics.map((m) => m.id);
  const previousDate = previousDigestDate(opts.date, settings.digest);
  // The reporting week (Monday–Sunday before the digest's week), and the window of late reports:
  // created since the previous digest's day began, dated before it.
  const weekFrom = addDays(mondayOf(opts.date), -7);
  const weekTo = addDays(weekFrom, 6);
  const remindDay = weeklyRunDay(weekFrom, settings.remind);
  // A fixed number of statements whatever the history, sent together (on D1 each is a round trip):
  // both dates' figures (two statements for the whole catalog), the contacts, the week's reporting
  // and its late reports.
  const [byDate, active, activity] = await Promise.all([
    progressOnDates(db, catalog, [opts.date, previousDate], { metricIds: ids, thresholds }),
    listContacts(db),
    weekActivity(db, {
      year: catalog.year,
      metricIds: ids,
      weekFrom: zonedInstant(weekFrom, 0, tz).getTime(),
      weekTo: zonedInstant(addDays(weekTo, 1), 0, tz).getTime(),
      lateFrom: zonedInstant(previousDate, 0, tz).getTime(),
      lateTo: (opts.until ?? zonedInstant(addDays(opts.date, 1), 0, tz)).getTime(),
      lateBefore: previousDate,
    }),
  ]);
  const now = byDate.get(opts.date)!;
  const before = byDate.get(previousDate)!;
  const prevById = new Map(before.map((p) => [p.metricId, p]));
  const staleDays = settings.staleWeeks * 7;

  const rows: DigestMetric[] = now.map((p) => {
    const m = catalog.metric(p.metricId)!;
    const prev = prevById.get(p.metricId);
    const ageDays = p.asOf ? daysBetween(p.asOf, opts.date) : null;
    return {
      id: m.id,
      project: m.project,
      name: m.name,
      kind: m.kind,
      unit: p.unit,
      target: p.target,
      value: p.value,
      milestone: p.milestone ?? null,
      donePct: pct(p.share),
      expectedPct: pct(p.expectedShare)!,
      rule: p.rule,
      benchmarkPct: pct(p.benchmarkShare)!,
      status: p.status,
      statusLabel: STATUS_LABEL[p.status],
      previousValue: prev?.value ?? null,
      previousMilestone: prev?.milestone ?? null,
      previousStatus: prev?.status ?? 'no_data',
      change: p.value !== null && prev?.value != null ? round(p.value - prev.value) : null,
      source: p.source,
      districts: p.districts.map((d) => ({ scope: d.scope, value: d.value, asOf: d.asOf })),
      leadUnits: [...m.lead],
      asOf: p.asOf,
      ageDays,
      stale: ageDays !== null && ageDays > staleDays,
      deadline: m.deadline,
    };
  });

  const counts: Record<Status, number> = { done: 0, on_track: 0, lagging: 0, severe: 0, no_data: 0 };
  for (const r of rows) counts[r.status]++;
  const worstOf = (list: Array<{ status: Status }>): Status =>
    list.reduce<Status>((w, r) => (STATUS_SEVERITY[r.status] > STATUS_SEVERITY[w] ? r.status : w), 'done');

  const projects: DigestProject[] = projectNos.map((no) => {
    const list = rows.filter((r) => r.project === no);
    const quantified = list.filter((r) => r.target !== null && r.kind !== 'milestone');
    const withData = quantified.filter((r) => r.value !== null);
    const donePct = withData.length
      ? pct(withData.reduce((s, r) => s + Math.min(1, r.value! / r.target!), 0) / withData.length)
      : null;
    const basis = withData.length ? withData : quantified;
    const expectedPct = basis.length
      ? r1(basis.reduce((s, r) => s + r.benchmarkPct, 0) / basis.length)
      : (list[0]?.expectedPct ?? 0);
    return {
      no,
      name: catalog.project(no)!.name,
      donePct,
      expectedPct,
      worst: worstOf(list),
      noData: quantified.length > 0 && withData.length === 0,
      reported: withData.length,
      quantified: quantified.length,
    };
  });

  const lagging = rows
    .filter((r) => r.status === 'lagging' || r.status === 'severe')
    .map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      rule: r.rule,
      donePct: r.donePct,
      expectedPct: r.expectedPct,
      benchmarkPct: r.benchmarkPct,
      ofExpectedPct:
        r.donePct !== null && r.benchmarkPct > 0 ? Math.round((r.donePct / r.benchmarkPct) * 1000) / 10 : null,
      leadUnits: r.leadUnits,
    }))
    .sort(
      (a, b) =>
        STATUS_SEVERITY[b.status] - STATUS_SEVERITY[a.status] ||
        (a.ofExpectedPct ?? 0) - (b.ofExpectedPct ?? 0) ||
        a.id.localeCompare(b.id, 'en', { numeric: true }),
    );

  // Responsible units, worst first.
  const byUnit = new Map<string, DigestMetric[]>();
  for (const r of rows) for (const org of r.leadUnits) byUnit.set(org, [...(byUnit.get(org) ?? []), r]);
  const ranking: DigestUnitRank[] = [...byUnit.entries()]
    .map(([org, list]) => {
      const score = list.reduce((s, r) => s + against(r), 0) / list.length;
      const behind = list
        .filter((r) => r.status === 'severe' || r.status === 'lagging' || r.status === 'no_data')
        .sort((a, b) => STATUS_SEVERITY[b.status] - STATUS_SEVERITY[a.status] || against(a) - against(b))
        .map((r) => r.id);
      return {
        rank: 0,
        org,
        scorePct: r1(score * 100),
        metrics: list.map((r) => ({ id: r.id, status: r.status, againstPct: r1(against(r) * 100) })),
        behind,
        worst: worstOf(list),
      };
    })
    .sort(
      (a, b) =>
        a.scorePct - b.scorePct ||
        STATUS_SEVERITY[b.worst] - STATUS_SEVERITY[a.worst] ||
        b.behind.length - a.behind.length ||
        a.org.localeCompare(b.org, 'zh'),
    )
    .map((u, i) => ({ ...u, rank: i + 1 }));

  // Who did not report in the reporting week (the reminders' rule).
  const progressMap = new Map(now.map((p) => [p.metricId, p]));
  const owed = await owedInWeek(deps, {
    week: weekFrom,
    date: remindDay ?? weekFrom,
    settings,
    progress: progressMap,
    metrics,
    contacts: active,
  });
  const reported = reportedBy(deps, activity.reported, active);
  const missingUnits = stillOwing(owed.units, reported)
    .map((u) => ({ org: u.org, metrics: u.metrics.map((m) => m.id) }))
    .sort((a, b) => b.metrics.length - a.metrics.length || a.org.localeCompare(b.org, 'zh'));

  const noChange = rows.every((r) => r.value === r.previousValue && r.milestone === r.previousMilestone);
  return {
    date: opts.date,
    previousDate,
    reportingWeek: { from: weekFrom, to: weekTo, reminded: remindDay !== null },
    projects,
    counts,
    worst: worstOf(rows),
    metrics: rows,
    lagging,
    ranking,
    missingUnits,
    unitsWithoutContact: owed.unbound,
    lateReports: activity.lateReports,
    reportsThisWeek: activity.reportsThisWeek,
    noChange,
    stale: rows.filter((r) => r.stale).map((r) => r.id),
    staleWeeks: settings.staleWeeks,
    thresholds,
  };
}
