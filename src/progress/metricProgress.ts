import type { Metric } from '../catalog/Catalog.js';
import { expectedShare } from './expectedShare.js';
import { round, scopeState } from './scopeState.js';
import {
  DEFAULT_THRESHOLDS,
  RULE_OF,
  type MetricProgress,
  type ProgressItem,
  type ScopeState,
  type Status,
  type Thresholds,
} from './types.js';

/**
 * Where a metric stands on `date`, from its live items (any scope). Items dated after `date` are
 * ignored, so a digest for a past Monday shows that Monday. Pure: the date is passed in.
 */
export function metricProgress(
  metric: Metric,
  items: ProgressItem[],
  opts: { start: string; date: string; thresholds?: Thresholds },
): MetricProgress {
  const byScope = new Map<string, ProgressItem[]>();
  for (const it of items) {
    if (it.metricId !== metric.id || it.asOf > opts.date) continue;
    const list = byScope.get(it.scope);
    if (list) list.push(it);
    else byScope.set(it.scope, [it]);
  }
  const states = new Map<string, ScopeState>();
  for (const [scope, list] of byScope) states.set(scope, scopeState(metric.kind, scope, list));
  return progressFromStates(metric, states, opts);
}

/** The same, from already computed scope states (the database computes them at scale). */
export function progressFromStates(
  metric: Metric,
  states: Map<string, ScopeState>,
  opts: { start: string; date: string; thresholds?: Thresholds },
): MetricProgress {
  const thresholds = opts.thresholds ?? DEFAULT_THRESHOLDS;
  const city = states.get('city');
  const districts = [...states.values()].filter((s) => s.scope !== 'city' && (s.value !== null || s.milestone));
  districts.sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || a.scope.localeCompare(b.scope));

  let value: number | null = null;
  let source: MetricProgress['source'] = 'none';
  let milestone: MetricProgress['milestone'];
  if (metric.kind === 'milestone') {
    const latest = [city, ...districts]
      .filter((s): s is ScopeState => !!s?.milestone)
      .sort((a, b) => (b.asOf ?? '').localeCompare(a.asOf ?? ''))[0];
    milestone = city?.milestone ?? latest?.milestone;
    source = city?.milestone ? 'city' : milestone ? 'districts' : 'none';
  } else if (city && city.value !== null) {
    value = city.value;
    source = 'city';
  } else if (metric.kind === 'count' && districts.length > 0) {
    value = round(districts.reduce((s, d) => s + (d.value ?? 0), 0));
    source = 'districts';
  }

  const target = metric.target ?? null;
  const exp = expectedShare(opts.start, metric.deadline, opts.date);
  const share = value !== null && target ? value / target : null;
  const all = [city, ...districts].filter((s): s is ScopeState => !!s?.last);
  const last = all.map((s) => s.last!).sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)[0];
  // The date of the figure shown, not of the newest report anywhere: a city total from August
  // beside a district's October figure is an August figure.
  const shownFrom = source === 'city' ? [city] : source === 'districts' ? districts : [];
  const asOf =
    shownFrom
      .map((s) => s?.asOf ?? '')
      .sort()
      .at(-1) || null;
  const rule = RULE_OF[metric.kind];
  const benchmark = rule === 'target' ? 1 : exp;

  return {
    metricId: metric.id,
    kind: metric.kind,
    target,
    unit: metric.unit ?? null,
    value,
    milestone,
    source,
    share,
    expectedShare: exp,
    rule,
    benchmarkShare: benchmark,
    expected: target !== null ? round(target * exp) : null,
    status: statusOf(metric.kind, share, benchmark, milestone, thresholds),
    districts,
    last,
    asOf,
  };
}

/**
 * 已完成 at or above target; else the share of the benchmark (序时进度 for a count, the target
 * itself, 1, for a level) decides 正常 / 滞后 / 严重滞后; 未报送 with no figure. A milestone in
 * progress counts as 正常, not started as 滞后.
 */
export function statusOf(
  kind: Metric['kind'],
  share: number | null,
  expected: number,
  milestone: MetricProgress['milestone'],
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): Status {
  if (kind === 'milestone') {
    if (!milestone) return 'no_data';
    return milestone === 'done' ? 'done' : milestone === 'in_progress' ? 'on_track' : 'lagging';
  }
  if (share === null) return 'no_data';
  if (share >= 1 - 1e-9) return 'done';
  if (expected <= 0) return 'on_track';
  const ofExpected = share / expected;
  if (ofExpected >= thresholds.onTrack) return 'on_track';
  if (ofExpected >= thresholds.lagging) return 'lagging';
  return 'severe';
}
