import { statusOf } from './cues.js';
import { step, type Env } from './env.js';
import type { ExplainedItem } from './types.js';

/** Milestone statements: a milestone metric named with a status word in the same sentence. */
export function milestones(env: Env): ExplainedItem[] {
  const out: ExplainedItem[] = [];
  const seen = new Set<string>();
  if (!env.cues.status.length) return out;
  const statusHits = env.cues.status.map((h) => ({ ...h, status: statusOf(h.word)! }));
  for (const m of env.metricMs) {
    for (const id of m.term.ids) {
      const metric = env.cc.catalog.metric(id);
      if (metric?.kind !== 'milestone' || seen.has(id)) continue;
      const [a, b] = env.bounds.sentenceOf(m.start);
      const inSentence = statusHits.filter((h) => h.start >= a && h.end <= b);
      const order = { not_started: 0, in_progress: 1, done: 2 } as const;
      const hit = inSentence.sort((x, y) => order[x.status] - order[y.status])[0];
      if (!hit) continue;
      seen.add(id);
      out.push({
        metric: id,
        status: hit.status,
        span: [Math.min(m.start, hit.start), Math.max(m.end, hit.end)],
        why: [
          step('metric', 'milestone_word', `里程碑「${m.term.text}」→ ${id} ${metric.name}`),
          step('milestone', hit.status, `状态词「${hit.word}」→ ${hit.status}`),
        ],
      });
    }
  }
  return out;
}
