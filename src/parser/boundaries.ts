// Sentences (。！？；and line breaks) and clauses (also ，、：and brackets) of a message, for
// deciding which words belong to which figure. A comma between digits (10,350) is not a break.
// One pass over char codes collects the break positions; a lookup is a binary search over them.

export interface Boundaries {
  sentenceOf(pos: number): [number, number];
  clauseOf(pos: number): [number, number];
  /** Start of the stretch ended by a full stop (。！？), across line breaks and semicolons. */
  periodStart(pos: number): number;
}

const PERIOD = 1;
const SENTENCE = 2;
const CLAUSE = 4;
const KIND = new Map<number, number>();
for (const c of '。！？!?') KIND.set(c.charCodeAt(0), PERIOD | SENTENCE | CLAUSE);
for (const c of '；;\n\r') KIND.set(c.charCodeAt(0), SENTENCE | CLAUSE);
for (const c of '，,、：:（）()【】[]“”') KIND.set(c.charCodeAt(0), CLAUSE);

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

function kindAt(t: string, i: number): number {
  const code = t.charCodeAt(i);
  const k = KIND.get(code) ?? 0;
  if (code === 44 && isDigitCode(t.charCodeAt(i - 1)) && isDigitCode(t.charCodeAt(i + 1))) return 0;
  return k;
}

/**
 * The break positions of each kind, in order; a lookup is a binary search. A message has few breaks,
 * so this allocates little (the parser reads tens of thousands of messages a second).
 */
class Breaks implements Boundaries {
  private readonly n: number;
  private readonly period: number[] = [];
  private readonly sentence: number[] = [];
  private readonly clause: number[] = [];

  constructor(t: string) {
    this.n = t.length;
    for (let i = 0; i < t.length; i++) {
      const code = t.charCodeAt(i);
      if (code > 0x7f && !KIND.has(code)) continue;
      const k = kindAt(t, i);
      if (!k) continue;
      if (k & PERIOD) this.period.push(i);
      if (k & SENTENCE) this.sentence.push(i);
      if (k & CLAUSE) this.clause.push(i);
    }
  }

  private at(p: number): number {
    return p < 0 ? 0 : Math.min(p, this.n);
  }

  /** [one after the last break before p, the first break at or after p (or the end)]. */
  private span(list: number[], pos: number): [number, number] {
    const p = this.at(pos);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    return [lo > 0 ? list[lo - 1]! + 1 : 0, lo < list.length ? list[lo]! : this.n];
  }

  sentenceOf(pos: number): [number, number] {
    return this.span(this.sentence, pos);
  }

  clauseOf(pos: number): [number, number] {
    return this.span(this.clause, pos);
  }

  periodStart(pos: number): number {
    return this.span(this.period, pos)[0];
  }
}

export function boundaries(t: string): Boundaries {
  return new Breaks(t);
}
