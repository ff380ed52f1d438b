import type { Deps } from '../deps.js';
import { num, scopeLabel } from '../cards/format.js';
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
  const states = await scopeStates(deps.db, deps.catalog, ids, date);
  return items.map((it) => {
    const reasons: string[] = [];
    const m = deps.catalog.metric(it.metricId);
    if (it.asOf > date) reasons.push(`截至日期 ${it.asOf} 在今天（${date}）之后`);
    if (!m || m.kind === 'milestone' || it.value === null) return reasons;
    const current = states.get(it.metricId)?.get(it.scope)?.value ?? null;
    const unit = m.unit ?? '';
    if (m.kind === 'count' && it.mode === 'cumulative' && current !== null && it.value < current) {
      reasons.push(`累计数 ${num(it.value)} ${unit} 比${scopeLabel(it.scope)}已有的 ${num(current)} ${unit} 还少`);
    }
    const after = m.kind === 'count' && it.mode === 'increment' ? (current ?? 0) + it.value : it.value;
    if (m.target !== undefined && after > m.target * SUSPICIOUS_OVER_TARGET) {
      reasons.push(`${it.mode === 'increment' ? '加上后' : ''}${num(after)} ${unit} 超过目标 ${num(m.target)} ${unit} 的 ${SUSPICIOUS_OVER_TARGET * 100}%`);
    }
    return reasons;
  });
}
