import type { Deps } from '../deps.js';
import { amount, scopeLabel } from '../cards/format.js';
import { scopeStates } from '../db/progressRepo.js';
import type { NewItem } from '../db/reportsRepo.js';

/** Above this share of the target a figure is asked about before it is recorded. */
export const SUSPICIOUS_OVER_TARGET = 1.5;

/**
 * Reasons to ask before recording: a running total lower than the state it replaces, a state
 * above 150% of the target, an as-of date after the message date. Empty: nothing odd.
 */
export async function suspicions(deps: Deps, items: NewItem[], date: string): Promise<string[][]> {
  const ids = [...new Set(items.map((i) => i.metricId))];
  // A 补报 is compared with the state on its own as-of date, not today's (a late figure for last
  // month is not "lower" than this month's total).
  const byDate = new Map<string, Awaited<ReturnType<typeof scopeStates>>>();
  for (const d of new Set(items.map((i) => (i.asOf < date ? i.asOf : date))))
    byDate.set(d, await scopeStates(deps.db, deps.catalog, ids, d));
  return items.map((it) => {
    const reasons: string[] = [];
    const m = deps.catalog.metric(it.metricId);
    if (it.asOf > date) reasons.push(`截至日期 ${it.asOf} 在今天（${date}）之后`);
    if (!m || m.kind === 'milestone' || it.value === null) return reasons;
    const states = byDate.get(it.asOf < date ? it.asOf : date)!.get(it.metricId);
    const current = states?.get(it.scope)?.value ?? null;
    if (m.kind === 'count' && it.mode === 'cumulative' && current !== null && it.value < current) {
      reasons.push(`累计数 ${amount(m, it.value)} 比${scopeLabel(it.scope)}已有的 ${amount(m, current)} 还少`);
    }
    // A city total below what the districts add up to (the figure /进度 shows when the city has none).
    if (m.kind === 'count' && it.scope === 'city' && it.mode === 'cumulative' && states) {
      let sum = 0;
      for (const [scope, st] of states) if (scope !== 'city') sum += st.value ?? 0;
      if (sum > 0 && it.value < sum)
        reasons.push(`全市累计 ${amount(m, it.value)} 比各区县合计 ${amount(m, sum)} 还少`);
    }
    const after = m.kind === 'count' && it.mode === 'increment' ? (current ?? 0) + it.value : it.value;
    if (m.target !== undefined && after > m.target * SUSPICIOUS_OVER_TARGET) {
      reasons.push(
        `${it.mode === 'increment' ? '加上后' : ''}${amount(m, after)} 超过目标 ${amount(m, m.target)} 的 ${SUSPICIOUS_OVER_TARGET * 100}%`,
      );
    }
    return reasons;
  });
}
