import type { Metric } from '../catalog/Catalog.js';
import type { MetricProgress } from '../progress/types.js';

/** A figure as the cards show it: the metric, what was said, and (when known) where the metric stands. */
export interface ShownItem {
  metric: Metric;
  value: number | null;
  milestone?: string | null;
  mode: 'cumulative' | 'increment';
  scope: string;
  asOf: string;
  approximate?: boolean;
  progress?: MetricProgress;
}
