import type { Metric } from '../catalog/Catalog.js';
import type { NewItem } from '../db/reportsRepo.js';
import type { MetricProgress } from '../progress/types.js';

/** A figure as the cards show it: the metric, what was said, and (when known) where the metric stands. */
export interface ShownItem extends Omit<NewItem, 'metricId'> {
  metric: Metric;
  progress?: MetricProgress;
}
