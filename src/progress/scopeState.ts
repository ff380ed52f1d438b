import type { ProgressItem, ScopeState } from './types.js';

/** Newest first by as-of date, then by when it was recorded. */
function newer(a: ProgressItem, b: ProgressItem): boolean {
  return a.asOf !== b.asOf ? a.asOf > b.asOf : a.createdAt !== b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
}

/**
 * The state of one (metric, scope) from its live items with as-of ≤ the date asked for
 * (catalog-2024.md, progress semantics):
 * - count: the latest cumulative value plus the increments dated after that cumulative's as-of
 *   date (all increments when there is no cumulative);
 * - level: the latest value, whatever its mode;
 * - milestone: the latest status.
 */
export function scopeState(kind: 'count' | 'level' | 'milestone', scope: string, items: ProgressItem[]): ScopeState {
  if (items.length === 0) return { scope, value: null, asOf: null };
  let latest: ProgressItem | undefined;
  for (const it of items) if (!latest || newer(it, latest)) latest = it;
  if (kind === 'milestone') {
    return { scope, value: null, milestone: latest?.milestone ?? undefined, asOf: latest?.asOf ?? null, last: latest };
  }
  if (kind === 'level') return { scope, value: latest?.value ?? null, asOf: latest?.asOf ?? null, last: latest };

  let base: ProgressItem | undefined;
  for (const it of items) if (it.mode === 'cumulative' && (!base || newer(it, base))) base = it;
  let value = base?.value ?? 0;
  for (const it of items) {
    if (it.mode === 'increment' && (!base || it.asOf > base.asOf)) value += it.value ?? 0;
  }
  return { scope, value: round(value), asOf: latest?.asOf ?? null, last: latest };
}

/** Sums of decimals (0.1 + 0.2) should read as people wrote them. */
export function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}
