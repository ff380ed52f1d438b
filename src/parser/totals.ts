import type { ExplainedItem, FigureItem, UnresolvedWhy } from './types.js';

// The totals rule: one message gives one running total per metric and scope. A period figure beside
// a running total of the same metric and scope is dropped (the total already contains it); two
// different running totals are never both kept: the one a running-total word marks (累计, 截至, 共…)
// wins when only one is marked, else the sender is asked.

export interface Dropped { item: ExplainedItem & FigureItem; why: UnresolvedWhy; note: string }

function marked(i: ExplainedItem): boolean {
  return i.why.some((w) => w.concept === 'mode' && (w.code === 'running_total' || w.code === 'level'));
}

export function keepTotals(items: ExplainedItem[]): { kept: ExplainedItem[]; dropped: Dropped[] } {
  const dropped: Dropped[] = [];
  if (items.length < 2) return { kept: items, dropped };
  const totals = new Map<string, Array<ExplainedItem & FigureItem>>();
  for (const i of items) {
    if (!('value' in i) || i.mode !== 'cumulative') continue;
    const key = `${i.metric}|${i.scope}`;
    const list = totals.get(key) ?? [];
    if (!list.some((x) => x.value === i.value && x.asOf === i.asOf)) list.push(i);
    totals.set(key, list);
  }
  const losers = new Set<ExplainedItem>();
  for (const list of totals.values()) {
    if (list.length < 2) continue;
    const strong = list.filter(marked);
    if (strong.length === 1) {
      for (const x of list) if (x !== strong[0]) { losers.add(x); dropped.push({ item: x, why: 'secondary_total', note: `「${x.value}」：同一指标已有标明「累计」的总数，此数不另记` }); }
    } else {
      for (const x of list) { losers.add(x); dropped.push({ item: x, why: 'conflicting_totals', note: `「${x.value}」：同一指标在同一消息中有两个不同的累计数，请确认` }); }
    }
  }
  const seen = new Set<string>();
  const kept = items.filter((i) => {
    if (losers.has(i)) return false;
    if ('mode' in i && i.mode === 'increment' && totals.has(`${i.metric}|${i.scope}`)) {
      dropped.push({ item: i, why: 'superseded_increment', note: `「${i.value}」：同一指标已报累计数，期间数不另记` });
      return false;
    }
    const key = 'value' in i ? `${i.metric}|${i.scope}|${i.mode}|${i.value}|${i.asOf}` : `${i.metric}|${i.status}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { kept, dropped };
}
