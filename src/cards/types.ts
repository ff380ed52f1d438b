import type { Metric } from '../catalog/Catalog.js';
import type { NewItem } from '../progress/types.js';
import type { MetricProgress } from '../progress/types.js';

/** A figure as the cards show it: the metric, what was said, and (when known) where the metric stands. */
export interface ShownItem extends Omit<NewItem, 'metricId'> {
  metric: Metric;
  progress?: MetricProgress;
}

// The shapes of stored rows that cards show. Cards are pure and never import db/: the repositories'
// row types are structurally assignable to these.

/** A contact as /联系人 lists it. */
export interface ContactView {
  openId: string;
  name: string | null;
  org: string | null;
  role: string;
  leaveUntil: string | null;
}

/** A stored report item with its history, as /历史 shows it. */
export interface ItemHistoryView {
  metricId: string;
  value: number | null;
  milestone: string | null;
  mode: 'cumulative' | 'increment';
  scope: string;
  asOf: string;
  reporterOpenId: string;
  org: string | null;
  createdAt: number;
  supersededAt: number | null;
  supersededBy: number | null;
  supersededByOpenId: string | null;
  supersedeReason: string | null;
}

/** A phrase an organisation taught the bot. */
export interface LearnedPhraseView {
  org: string;
  phrase: string;
  metricId: string;
  createdBy: string;
  createdAt: number;
}
