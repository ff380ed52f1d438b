import type { Deps } from '../deps.js';
import { computeDigest, type DigestData, type DigestMetric } from '../digest/computeDigest.js';
import { progressOn } from '../db/progressRepo.js';
import type { Thresholds } from '../progress/types.js';
import { addDays } from '../workdays/calendar.js';

// What a board page shows comes from computeDigest: the page is a view of the digest's numbers,
// not a second computation. The one thing the digest does not carry is a metric's past, which a
// metric page draws from progressOn on earlier dates (the same function the digest is built on).

/** The digest as of `date`, for all projects, with the settings in force (as `digest --format json`). */
export async function boardDigest(deps: Pick<Deps, 'db' | 'catalog' | 'config'>, date: string): Promise<DigestData> {
  return computeDigest(deps, { date });
}

export interface HistoryPoint {
  date: string;
  value: number | null;
  milestone: DigestMetric['milestone'];
  /** 序时: what the target path expects by this date (null without a target). */
  expected: number | null;
}

/**
 * A metric's figure week by week up to `date` (each point as known now, corrections applied),
 * from the catalog's start. One progressOn per week for one metric: about 45 index searches.
 */
export async function metricHistory(
  deps: Pick<Deps, 'db' | 'catalog'>,
  metricId: string,
  date: string,
  thresholds?: Thresholds,
): Promise<HistoryPoint[]> {
  const dates: string[] = [];
  for (let d = date; d >= deps.catalog.start && dates.length < 60; d = addDays(d, -7)) dates.unshift(d);
  const points = await Promise.all(
    dates.map(async (d) => {
      const [p] = await progressOn(deps.db, deps.catalog, d, {
        metricIds: [metricId],
        ...(thresholds ? { thresholds } : {}),
      });
      return { date: d, value: p?.value ?? null, milestone: p?.milestone ?? null, expected: p?.expected ?? null };
    }),
  );
  return points;
}
