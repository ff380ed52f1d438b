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
  /** Expected-by-now as a share of the target (序时进度), 0..1. */
  expectedShare: number;
  expected: number | null;
  status: Status;
  /** District states, always shown as the breakdown. */
  districts: ScopeState[];
  last?: ProgressItem;
  asOf: string | null;
}
