import { Catalog } from '../catalog/Catalog.js';
import type { Deps } from '../deps.js';
import { learnedOf } from '../db/learnedRepo.js';
import type { ParseContext, UnresolvedFigure } from '../parser/types.js';

// Learned phrases reach the parser as extra aliases of their metric in a catalog made for the
// organisation: the parser needs no hook, and the phrase is read exactly like a catalog alias.

const caches = new WeakMap<Catalog, Map<string, Catalog>>();
const CACHE_MAX = 64;

/** The parse context for a sender: the catalog plus the phrases the organisation has taught. */
export async function parseContextFor(deps: Deps, org: string, date: string): Promise<ParseContext> {
  const learned = await learnedOf(deps.db, deps.catalog.year, org);
  if (learned.length === 0) return { catalog: deps.catalog, senderOrg: org, date };
  const key = `${org}|${learned.map((l) => `${l.phrase}>${l.metricId}`).join(',')}`;
  let cache = caches.get(deps.catalog);
  if (!cache) {
    cache = new Map();
    caches.set(deps.catalog, cache);
  }
  let catalog = cache.get(key);
  if (!catalog) {
    const extra = new Map<string, string[]>();
    for (const l of learned) extra.set(l.metricId, [...(extra.get(l.metricId) ?? []), l.phrase]);
    const file = deps.catalog.file;
    catalog = new Catalog({
      ...file,
      metrics: file.metrics.map((m) =>
        extra.has(m.id)
          ? { ...m, aliases: [...m.aliases, ...extra.get(m.id)!.filter((p) => !m.aliases.includes(p))] }
          : m,
      ),
    });
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, catalog);
  }
  return { catalog, senderOrg: org, date };
}

// Words around a metric's noun that say when, how or how much, not what: stripped from the
// words before a figure to leave the phrase a contact used for the metric (本周新增绿地5个 → 绿地).
const FILLER =
  /^(?:截至|截止|目前|今年|本年|全年|本周|上周|本月|上月|近期|我区|我县|本区|本县|全区|全县|已经|已|累计|共计|共|合计|总计|新增|新建|新开工|开工|建成|完成|改造|实现|达到|开展|为|达|有|了|的)+/;
const TAIL = /(?:累计|共计|共|合计|总计|新增|完成|达到|达|为|有|了|的)+$/;

/** The phrase an unclear figure was written with, or undefined when there is none worth learning. */
export function phraseOf(u: UnresolvedFigure): string | undefined {
  if (u.why !== 'ambiguous_metric' && u.why !== 'no_metric') return undefined;
  const at = u.context.indexOf(u.raw);
  const before = at >= 0 ? u.context.slice(0, at) : '';
  const after = at >= 0 ? u.context.slice(at + u.raw.length) : '';
  const run = (s: string, last: boolean) => {
    const runs = s.match(/[\u4e00-\u9fff]+/g) ?? [];
    return (last ? runs.at(-1) : runs[0]) ?? '';
  };
  for (const cand of [run(before, true), run(after, false)]) {
    let p = cand;
    for (let k = 0; k < 4; k++) p = p.replace(FILLER, '').replace(TAIL, '');
    if (p.length >= 2 && p.length <= 12) return p;
  }
  return undefined;
}
