import type { Catalog } from '../catalog/Catalog.js';
import { compileCatalog, inMetricUnit } from './match.js';
import type { UnresolvedFigure } from './types.js';

/**
 * The value of an unresolved figure once the sender has chosen its metric, in that metric's unit
 * (3,150个 chosen as 10-1 → 0.315 万个; a bare 1.3万 → 1.3 万个), or undefined when the figure's
 * unit cannot be that metric's or its number was unreadable. The figure keeps its mode, scope and
 * as-of date (u.mode, u.scope, u.asOf): a choice decides the metric only.
 */
export function valueForChoice(catalog: Catalog, metricId: string, u: Pick<UnresolvedFigure, 'base' | 'amount'>): number | undefined {
  const metric = catalog.metric(metricId);
  if (!metric || metric.kind === 'milestone' || u.amount === undefined || !Number.isFinite(u.amount)) return undefined;
  const cc = compileCatalog(catalog);
  const base = u.base === undefined || u.base === '' ? cc.units.get(metricId)?.base : u.base;
  return base === undefined ? undefined : inMetricUnit(cc, metric, base, u.amount);
}
