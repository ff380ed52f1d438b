import { firstFrom, step, type Env, type MetricMention } from './env.js';
import { asOfAt, scopeAt } from './placement.js';
import type { ExplainedItem, FigureItem } from './types.js';

// "Nothing new" statements (本周口袋公园无新增, 渝馨家园本月没有新增): a report of 0 for the period,
// an increment, so the sender counts as having reported. The metric is the one named in the same
// clause (after the words first, else before them); a word naming several count metrics (老旧小区:
// compounds and area) gives a zero for each, which is true of each.

export interface ZeroReport {
  item: ExplainedItem & FigureItem;
}

export function zeroReports(env: Env): ZeroReport[] {
  const out: ZeroReport[] = [];
  for (const hit of env.cues.zero) {
    const [a, b] = env.bounds.clauseOf(hit.start);
    const after = env.metricMs[firstFrom(env.metricMs, hit.start + 1)];
    const before = env.metricMs[firstFrom(env.metricMs, hit.start) - 1];
    const m: MetricMention | undefined =
      after && after.end <= b ? after : before && before.start >= a ? before : undefined;
    if (!m) continue;
    const at = Math.max(hit.start, m.start);
    const scope = scopeAt(env, at);
    const asOf = asOfAt(env, hit.start, hit.end, 'increment');
    const span: [number, number] = [Math.min(hit.start, m.start), Math.max(hit.end, m.end)];
    for (const id of m.term.ids) {
      const metric = env.cc.catalog.metric(id);
      if (metric?.kind !== 'count') continue;
      out.push({
        item: {
          metric: id,
          value: 0,
          mode: 'increment',
          scope: scope.value,
          asOf: asOf.value,
          span,
          why: [
            step(
              'metric',
              'zero_report',
              `「${env.t.slice(hit.start, hit.end)}」与「${m.term.text}」→ ${id} ${metric.name} 为 0`,
            ),
            step('mode', 'zero_report', '无新增 → 增量 0'),
            scope.why,
            asOf.why,
          ],
        },
      });
    }
  }
  return out;
}
