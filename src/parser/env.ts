import type { CueHit, CueSets } from './cues.js';
import type { DateMention } from './dates.js';
import type { CompiledCatalog, Mention } from './match.js';
import type { RawFigure } from './scanFigures.js';
import type { Boundaries } from './boundaries.js';
import type { Mode, WhyStep } from './types.js';

// What one message's scans found, shared by the modules that decide each figure (metric resolution,
// placement, milestones, totals). Built once per message by readMessage; read-only afterwards.

export interface ModeCue {
  start: number;
  mode: Mode;
  word: string;
}
export type MetricMention = Mention & { term: { kind: 'metric'; ids: string[]; text: string } };

export interface Env {
  /** The normalised text; every offset below is into it. */
  t: string;
  /** Offsets of t in the original text, where normalising removed characters (normalizeMapped). */
  orig: Int32Array | undefined;
  cc: CompiledCatalog;
  date: string;
  sender: string | undefined;
  senderDistrict: string | undefined;
  mentions: Mention[];
  dates: DateMention[];
  bounds: Boundaries;
  metricMs: MetricMention[];
  scopeMs: Mention[];
  modeCues: ModeCue[];
  cues: CueSets;
  raw: RawFigure[];
}

export function isMetricMention(m: Mention): m is MetricMention {
  return m.term.kind === 'metric';
}

/** Index of the first element whose start is >= pos (arrays sorted by start). */
export function firstFrom(arr: ReadonlyArray<{ start: number }>, pos: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]!.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first hit lying wholly inside [a, b). */
export function within(hits: CueHit[], [a, b]: [number, number]): CueHit | undefined {
  for (let k = firstFrom(hits, a); k < hits.length && hits[k]!.start < b; k++) if (hits[k]!.end <= b) return hits[k];
  return undefined;
}

/** The last hit lying wholly inside [a, b). */
export function lastWithin(hits: CueHit[], [a, b]: [number, number]): CueHit | undefined {
  let found: CueHit | undefined;
  for (let k = firstFrom(hits, a); k < hits.length && hits[k]!.start < b; k++) if (hits[k]!.end <= b) found = hits[k];
  return found;
}

export function metricMentions(env: Env, [a, b]: [number, number]): MetricMention[] {
  const out: MetricMention[] = [];
  const ms = env.metricMs;
  for (let k = firstFrom(ms, a); k < ms.length && ms[k]!.end <= b; k++) out.push(ms[k]!);
  return out;
}

export function step(concept: WhyStep['concept'], code: string, text: string): WhyStep {
  return { concept, code, text };
}
