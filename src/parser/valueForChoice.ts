import type { Catalog } from '../catalog/Catalog.js';
import { compileCatalog, inMetricUnit, roundValue } from './match.js';
import type { UnresolvedFigure } from './types.js';

/**
 * The value of an unresolved figure once the sender has chosen its metric, in that metric's unit
 * (3,150个 chosen as 10-1 → 0.315 万个; a bare 1.3万 → 1.3 万个), or undefined when the figure's
 * unit cannot be that metric's or its number was unreadable. The figure keeps its mode, scope and
 * as-of date (u.mode, u.scope, u.asOf): a choice decides the metric only.
 */
export function valueForChoice(
  catalog: Catalog,
  metricId: string,
  u: Pick<UnresolvedFigure, 'base' | 'amount'>,
): number | undefined {
  const metric = catalog.metric(metricId);
  if (!metric || metric.kind === 'milestone' || u.amount === undefined || !Number.isFinite(u.amount)) return undefined;
  const cc = compileCatalog(catalog);
  const base = u.base === undefined || u.base === '' ? cc.units.get(metricId)?.base : u.base;
  return base === undefined ? undefined : inMetricUnit(cc, metric, base, u.amount);
}

/**
 * A number written with no unit after a metric id (10-1 9900, 5-2：2.6), in the metric's unit. It is
 * read in the metric's unit (2.6 → 2.6 万个) unless that would be over 100 times the target while
 * the counting noun is plausible: then people wrote the noun's count (9900 → 9,900 个 = 0.99 万个).
 */
export function bareIdValue(catalog: Catalog, metricId: string, n: number): number {
  const metric = catalog.metric(metricId);
  const mu = compileCatalog(catalog).units.get(metricId);
  if (!metric || !mu || mu.factor === 1 || metric.target === undefined) return n;
  return n > metric.target * 100 ? roundValue(n / mu.factor) : n;
}
