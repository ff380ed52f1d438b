// Sentences (。！？；and line breaks) and clauses (also ，、：and brackets) of a message, for
// deciding which words belong to which figure. A comma between digits (10,350) is not a break.

export interface Boundaries {
  sentenceOf(pos: number): [number, number];
  clauseOf(pos: number): [number, number];
  /** Start of the stretch ended by a full stop (。！？), across line breaks and semicolons. */
  periodStart(pos: number): number;
}

const SENTENCE = new Set(['。', '！', '？', '!', '?', '；', ';', '\n', '\r']);
const PERIOD = new Set(['。', '！', '？', '!', '?']);
const CLAUSE = new Set(['，', ',', '、', '：', ':', '（', '）', '(', ')', '【', '】', '[', ']', '“', '”']);

export function boundaries(t: string): Boundaries {
  const n = t.length;
  const sStart = new Int32Array(n + 1);
  const cStart = new Int32Array(n + 1);
  const sEnd = new Int32Array(n + 1);
  const pStart = new Int32Array(n + 1);
  let ps = 0;
  const cEnd = new Int32Array(n + 1);
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const ch = t.charAt(i);
    sStart[i] = s;
    cStart[i] = c;
    pStart[i] = ps;
    if (PERIOD.has(ch)) ps = i + 1;
    if (SENTENCE.has(ch)) { s = i + 1; c = i + 1; }
    else if (CLAUSE.has(ch) && !(ch === ',' && isDigit(t.charAt(i - 1)) && isDigit(t.charAt(i + 1)))) c = i + 1;
  }
  sStart[n] = s;
  pStart[n] = ps;
  cStart[n] = c;
  let se = n;
  let ce = n;
  for (let i = n - 1; i >= 0; i--) {
    const ch = t.charAt(i);
    if (SENTENCE.has(ch)) { se = i; ce = i; }
    else if (CLAUSE.has(ch) && !(ch === ',' && isDigit(t.charAt(i - 1)) && isDigit(t.charAt(i + 1)))) ce = i;
    sEnd[i] = se;
    cEnd[i] = ce;
  }
  sEnd[n] = n;
  cEnd[n] = n;
  const at = (p: number): number => Math.max(0, Math.min(n, p));
  return {
    sentenceOf: (p) => [sStart[at(p)]!, sEnd[at(p)]!],
    clauseOf: (p) => [cStart[at(p)]!, cEnd[at(p)]!],
    periodStart: (p) => pStart[at(p)]!,
  };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
