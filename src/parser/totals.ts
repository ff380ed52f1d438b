import type { ExplainedItem, FigureItem, UnresolvedWhy } from './types.js';

// The totals rule: one message gives one running total per metric and scope. A period figure beside
// a running total of the same metric and scope is dropped (the total already contains it); two
// different running totals are never both kept: the one a running-total word marks (累计, 截至, 共…)
// wins when only one is marked, else the sender is asked.

export interface Dropped {
  item: ExplainedItem & FigureItem;
  why: UnresolvedWhy;
  note: string;
}

function marked(i: ExplainedItem): boolean {
  return i.why.some((w) => w.concept === 'mode' && (w.code === 'running_total' || w.code === 'level'));
}

/** A running-total word (累计, 截至…) stands before it: a level metric's figures are not counted. */
function saidAsTotal(i: ExplainedItem): boolean {
  return i.why.some((w) => w.concept === 'mode' && w.code === 'running_total');
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
    // 新增泊位4.62万个，累计共享泊位13万个: for a 新增 metric the total said with 新增 is the year's;
    // the other is a stock (all years).
    const named = list.filter((x) => x.why.some((w) => w.code === 'names_new'));
    if (named.length === 1) {
      for (const x of list)
        if (x !== named[0]) {
          losers.add(x);
          dropped.push({ item: x, why: 'stock', note: `「${x.value}」：未写「新增」的总数，是存量而不是本年新增` });
        }
      continue;
    }
    const strong = list.filter(marked);
    // 教师20.2万人、学生299.6万人: a figure that borrowed an earlier sentence's metric word does not
    // unseat the one that names it (unless it is itself said as a total); only the borrowed one is asked about.
    const own = list.filter((x) => !x.why.some((w) => w.concept === 'metric' && w.code === 'earlier_word'));
    if (strong.length === 1) {
      for (const x of list)
        if (x !== strong[0]) {
          losers.add(x);
          dropped.push({
            item: x,
            why: 'secondary_total',
            note: `「${x.value}」：同一指标已有标明「累计」的总数，此数不另记`,
          });
        }
    } else if (own.length === 1 && list.every((x) => x === own[0] || !saidAsTotal(x))) {
      for (const x of list)
        if (x !== own[0]) {
          losers.add(x);
          dropped.push({
            item: x,
            why: 'conflicting_totals',
            note: `「${x.value}」：同一指标在同一消息中有两个不同的累计数，请确认`,
          });
        }
    } else {
      for (const x of list) {
        losers.add(x);
        dropped.push({
          item: x,
          why: 'conflicting_totals',
          note: `「${x.value}」：同一指标在同一消息中有两个不同的累计数，请确认`,
        });
      }
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
