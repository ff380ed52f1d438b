import type { Catalog, Metric } from '../catalog/Catalog.js';
import { parseUnit } from '../catalog/units.js';

// Finding the catalog's words in a message: metric names and aliases, organisation names and short
// forms. One pass, leftmost-longest, through a first-character index, so a 10,000-character message
// costs one scan whatever the catalog's size.

export type Term =
  | { kind: 'metric'; text: string; ids: string[] }
  | { kind: 'district'; text: string; org: string }
  | { kind: 'unit'; text: string; org: string }
  | { kind: 'city'; text: string }
  | { kind: 'own'; text: string };

export interface Mention {
  start: number;
  end: number;
  term: Term;
}

export interface MetricUnit {
  base: string;
  factor: number;
  /** base → factor of every unit the metric accepts (its own first). */
  accepts: Map<string, number>;
}

export interface CompiledCatalog {
  catalog: Catalog;
  byFirst: Map<string, Term[]>;
  units: Map<string, MetricUnit>;
  /** Metric ids by numbering, for the 1-1：1402 shortcut. */
  ids: Set<string>;
}

const cache = new WeakMap<Catalog, CompiledCatalog>();

/** Forms of a metric name people write: as is, without quotes, without a bracketed remark. */
function nameForms(name: string): string[] {
  const noQuotes = name.replace(/[“”"'‘’「」]/g, '');
  const noBracket = noQuotes.replace(/[（(][^（()）]*[)）]/g, '');
  return [...new Set([name, noQuotes, noBracket])].filter((s) => s.length >= 2);
}

export function compileCatalog(catalog: Catalog): CompiledCatalog {
  const hit = cache.get(catalog);
  if (hit) return hit;
  const metricTerms = new Map<string, string[]>();
  const add = (text: string, id: string): void => {
    const key = text.toLowerCase();
    const ids = metricTerms.get(key) ?? [];
    if (!ids.includes(id)) ids.push(id);
    metricTerms.set(key, ids);
  };
  for (const m of catalog.metrics) {
    for (const n of nameForms(m.name)) add(n, m.id);
    for (const a of m.aliases) for (const n of nameForms(a)) add(n, m.id);
  }
  const terms: Term[] = [...metricTerms.entries()].map(([text, ids]) => ({ kind: 'metric', text, ids }));
  for (const { text, org } of catalog.orgNames()) {
    terms.push(
      org.kind === 'district' ? { kind: 'district', text, org: org.name } : { kind: 'unit', text, org: org.name },
    );
  }
  for (const text of ['全市', '全重庆', '市级']) terms.push({ kind: 'city', text });
  for (const text of ['全区', '全县', '本区', '本县', '我区', '我县', '我们区', '我们县', '本区县', '我区县'])
    terms.push({ kind: 'own', text });
  const byFirst = new Map<string, Term[]>();
  for (const t of terms) {
    const c = t.text.charAt(0);
    const list = byFirst.get(c) ?? [];
    list.push(t);
    byFirst.set(c, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.text.length - a.text.length);
  const units = new Map<string, MetricUnit>();
  for (const m of catalog.metrics) {
    const u = m.unit ? parseUnit(m.unit) : undefined;
    if (!u) continue;
    const accepts = new Map<string, number>([[u.base, u.factor]]);
    for (const a of m.acceptUnits) {
      const au = parseUnit(a);
      if (au && !accepts.has(au.base)) accepts.set(au.base, au.factor);
    }
    units.set(m.id, { base: u.base, factor: u.factor, accepts });
  }
  const compiled = { catalog, byFirst, units, ids: new Set(catalog.metrics.map((m) => m.id)) };
  cache.set(catalog, compiled);
  return compiled;
}

/** Every catalog word in the text, leftmost-longest, not overlapping. */
export function findMentions(t: string, cc: CompiledCatalog): Mention[] {
  const out: Mention[] = [];
  let i = 0;
  while (i < t.length) {
    const list = cc.byFirst.get(t.charAt(i));
    let matched: Term | undefined;
    if (list)
      for (const term of list)
        if (t.startsWith(term.text, i)) {
          matched = term;
          break;
        }
    if (matched) {
      out.push({ start: i, end: i + matched.text.length, term: matched });
      i += matched.text.length;
    } else i++;
  }
  return out;
}

/**
 * The value of a figure in a metric's unit, or undefined when the unit does not fit the metric.
 * `amount` is the number as written times the written unit's factor, in the written unit's base.
 */
export function inMetricUnit(cc: CompiledCatalog, metric: Metric, base: string, amount: number): number | undefined {
  const mu = cc.units.get(metric.id);
  if (!mu) return undefined;
  if (!mu.accepts.has(base)) return undefined;
  // An accepted noun counts the same thing as the metric's own (条 water bodies are 个), so the
  // metric's own factor (万 in 万个) converts it.
  return roundValue(amount / mu.factor);
}

/** Drops float noise (0.032000000000000001) without toPrecision's cost: 9 decimals are plenty. */
export function roundValue(x: number): number {
  if (Number.isInteger(x)) return x;
  return Math.abs(x) < 1e6 ? Math.round(x * 1e9) / 1e9 : Number(x.toPrecision(12));
}
