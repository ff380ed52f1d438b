import type { Catalog } from '../catalog/Catalog.js';
import { metricLabel, scopeLabel } from '../cards/format.js';
import type { NewItem } from '../db/reportsRepo.js';

/** `scope`: refused for the scope written (全市 by a 区县), not because the sender may not report the metric. */
export type Verdict = { ok: true; item: NewItem } | { ok: false; reason: string; scope?: true };

/**
 * Who may report what: a city unit the metrics of the projects it is a responsible unit of (for the
 * city, or naming a 区县); a 区县 any metric, for itself only (never 全市). The refusal names who is responsible.
 */
export function authorise(catalog: Catalog, org: string, item: NewItem): Verdict {
  const metric = catalog.metric(item.metricId);
  if (!metric) return { ok: false, reason: `没有指标 ${item.metricId}` };
  if (catalog.isDistrict(org)) {
    // A figure the sender wrote as 全市… is the city's, which a 区县 does not report: crediting it
    // to the district would store a wrong figure, so it is refused and said why.
    if (item.scope === 'city') {
      return {
        ok: false,
        reason: `${metricLabel(metric)}：写的是全市的数，${org}只报送本区县的数（全市数由${catalog.unitsOf(metric.id).join('、')}报送）；本区县的数请直接写，不要写「全市」`,
        scope: true,
      };
    }
    if (item.scope !== org) {
      return {
        ok: false,
        reason: `${metricLabel(metric)}：${org}只能报送本区县的数，${scopeLabel(item.scope)}的数请由${item.scope}的联系人报送`,
      };
    }
    return { ok: true, item: { ...item, scope: org } };
  }
  if (!catalog.metricsOf(org).some((m) => m.id === metric.id)) {
    return {
      ok: false,
      reason: `${metricLabel(metric)}由${catalog.unitsOf(metric.id).join('、')}负责报送，${org}不是该项目的责任单位`,
    };
  }
  return { ok: true, item };
}
