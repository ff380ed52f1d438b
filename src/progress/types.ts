/** One live (not superseded) report item, as progress code reads it. */
export interface ProgressItem {
  id: number;
  metricId: string;
  scope: string;
  mode: 'cumulative' | 'increment';
  /** In the metric's unit; null for a milestone. */
  value: number | null;
  milestone?: 'done' | 'in_progress' | 'not_started' | null;
  asOf: string;
  createdAt: number;
  reporterOpenId?: string;
  org?: string | null;
}

export type Status = 'done' | 'on_track' | 'lagging' | 'severe' | 'no_data';

export const STATUS_LABEL: Record<Status, string> = {
  done: '已完成',
  on_track: '正常',
  lagging: '滞后',
  severe: '严重滞后',
  no_data: '未报送',
};

/** Worst first: the order a digest ranks and colours by. */
export const STATUS_SEVERITY: Record<Status, number> = { severe: 4, lagging: 3, no_data: 2, on_track: 1, done: 0 };

export interface Thresholds {
  /** At least this share of expected-by-now is 正常 (default 0.9). */
  onTrack: number;
  /** At least this share is 滞后, below it 严重滞后 (default 0.7). */
  lagging: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { onTrack: 0.9, lagging: 0.7 };

/** The state of one (metric, scope). */
export interface ScopeState {
  scope: string;
  value: number | null;
  milestone?: 'done' | 'in_progress' | 'not_started';
  /** The as-of date of the newest item that went into the state. */
  asOf: string | null;
  /** The newest item that went into the state (for "last report and by whom"). */
  last?: ProgressItem;
}

/**
 * What a metric's status is judged against:
 * - 'pace': count metrics, against 序时进度 (the target × the share of the year elapsed);
 * - 'target': level metrics (rates, shares, stock sizes), against the target value itself: a rate
 *   does not accumulate over the year, so 知晓率 56% of an 80% target is 70% of the way whatever
 *   the month;
 * - 'milestone': done / in progress / not started.
 */
export type JudgeRule = 'pace' | 'target' | 'milestone';

export const RULE_OF: Record<'count' | 'level' | 'milestone', JudgeRule> = {
  count: 'pace',
  level: 'target',
  milestone: 'milestone',
};

export interface MetricProgress {
  metricId: string;
  kind: 'count' | 'level' | 'milestone';
  target: number | null;
  unit: string | null;
  /** The city figure: the city-scope state where one exists, else (count metrics) the sum of districts. */
  value: number | null;
  milestone?: 'done' | 'in_progress' | 'not_started';
  source: 'city' | 'districts' | 'none';
  /** value / target, 0..∞ (null without a value or a target). */
  share: number | null;
  /** Expected-by-now as a share of the target (序时进度, the calendar), 0..1. */
  expectedShare: number;
  /** What the status is judged against (see JudgeRule). */
  rule: JudgeRule;
  /** The share of the target the status compares with: expectedShare for 'pace', 1 for 'target'. */
  benchmarkShare: number;
  expected: number | null;
  status: Status;
  /** District states, always shown as the breakdown. */
  districts: ScopeState[];
  last?: ProgressItem;
  /** The as-of date of the figure shown: the city scope's when the city figure is the city's, else the newest district's. */
  asOf: string | null;
}

/** A figure to store, in the metric's unit. */
export interface NewItem {
  metricId: string;
  value: number | null;
  milestone?: string | null;
  mode: 'cumulative' | 'increment';
  scope: string;
  asOf: string;
  approximate?: boolean;
}
