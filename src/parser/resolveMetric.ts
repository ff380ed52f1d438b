import type { Metric } from '../catalog/Catalog.js';
import { firstFrom, isMetricMention, metricMentions, step, within, type Env, type MetricMention } from './env.js';
import { inMetricUnit } from './match.js';
import type { RawFigure } from './scanFigures.js';
import type { UnresolvedWhy, WhyStep } from './types.js';

// Which metric a figure is a value of: the nearest fitting metric word before it in its sentence,
// else after it in its clause, else the metric named after a list of figures, else earlier in the
// paragraph, else the only metric of the sender with that unit. Otherwise ask, or set it aside.

const COUNT_BASES = new Set(['个', '座', '家', '所', '台', '套', '户', '人次', '人', '名', '条', '处', '项']);
const PEOPLE_BASES = new Set(['人', '人次', '名']);

export type Resolution =
  | { kind: 'metric'; metric: Metric; why: WhyStep }
  | { kind: 'ask'; why: 'ambiguous_metric' | 'no_metric'; candidates: string[] }
  | { kind: 'drop'; why: UnresolvedWhy; note: string; candidates?: string[] };

/** Metrics of a mention that a figure can be a value of (unit fits; a fraction of a 个 is not a count). */
export function fitting(env: Env, ids: string[], f: Pick<RawFigure, 'base' | 'amount'>): Metric[] {
  const out: Metric[] = [];
  for (const id of ids) {
    const m = env.cc.catalog.metric(id);
    if (!m || m.kind === 'milestone') continue;
    // A bare number (no unit written) is in the metric's own counting noun: 1.3万 of 万个 is 13,000 个.
    const base = f.base === '' ? env.cc.units.get(id)?.base : f.base;
    if (base === undefined || inMetricUnit(env.cc, m, base, f.amount) === undefined) continue;
    if (m.kind === 'count' && COUNT_BASES.has(base) && !Number.isInteger(f.amount)) continue;
    out.push(m);
  }
  return out;
}

/** The figure's value in the metric's unit (a bare number is in the metric's own base noun). */
export function valueIn(env: Env, m: Metric, f: Pick<RawFigure, 'base' | 'amount'>): number | undefined {
  const base = f.base === '' ? env.cc.units.get(m.id)?.base : f.base;
  return base === undefined ? undefined : inMetricUnit(env.cc, m, base, f.amount);
}

/** What may stand between a metric word and a bare number it labels (新增就业残疾人：1650, 窨井盖整治1.3万). */
const LABEL_GLUE = /^[\s：:=]*(?:(?:累计|共计|合计|总计|已经|已|共|达到|达|为|是|约|近|新增|完成|建成|整治|改造|开工|新开工|启动|实施|安装|培训|服务|适配|救助|有|计|数量|数|总数|面积|里程|长度|个数|占比)[\s：:=]*){0,4}$/;

/**
 * The metric of a bare number: only a metric word right before it (a label), joined by nothing but
 * label glue; adjacent metric words (每千人口托位数：) are read together. Undefined: not a figure.
 */
export function resolveBare(env: Env, f: RawFigure, from: number): Resolution | undefined {
  const chain: MetricMention[] = [];
  let pos = f.start;
  for (let k = firstFrom(env.metricMs, f.start) - 1; k >= 0; k--) {
    const m = env.metricMs[k]!;
    if (m.start < from || m.end > pos) break;
    const gap = env.t.slice(m.end, pos);
    if (gap.length > 12 || !LABEL_GLUE.test(gap)) break;
    chain.unshift(m);
    pos = m.start;
  }
  if (!chain.length) return undefined;
  return pick(env, f, chain, 'label', true);
}

function pick(env: Env, f: RawFigure, ms: MetricMention[], where: string, preferLast: boolean): Resolution | undefined {
  let best: { metrics: Metric[]; score: number; text: string } | undefined;
  ms.forEach((m, k) => {
    const metrics = fitting(env, m.term.ids, f);
    if (!metrics.length) return;
    // Longer words are more specific; a per-thousand word (每千人口) turns 个 into 个/千人.
    const ratio = metrics.some((x) => (x.unit ?? '').includes('/')) ? 100 : 0;
    const score = m.term.text.length + ratio + (preferLast ? k : -k) * 0.01;
    if (!best || score > best.score) best = { metrics, score, text: m.term.text };
  });
  if (!best) return undefined;
  const b: { metrics: Metric[]; text: string } = best;
  if (b.metrics.length === 1) {
    return { kind: 'metric', metric: b.metrics[0]!, why: step('metric', where, `${WHERE[where] ?? where}「${b.text}」→ ${b.metrics[0]!.id} ${b.metrics[0]!.name}`) };
  }
  return { kind: 'ask', why: 'ambiguous_metric', candidates: rank(env, b.metrics) };
}

const WHERE: Record<string, string> = {
  word_before: '前文指标词', word_after: '后文指标词', list_head: '列表后的指标词', earlier_word: '上文指标词',
  label: '数前的指标词', project_sibling: '同一项目中按单位',
};

/** The metric of a figure with the text before it (`pre`) and after it in its clause (`post`). */
export function resolveMetric(env: Env, fig: RawFigure, pre: [number, number], post: [number, number], stand?: { base: string; amount: number }): Resolution {
  const f = stand ? { ...fig, ...stand } : fig;
  // 3个城市公益性安葬设施: a metric word right after the figure is its noun, before any earlier word.
  const next = env.metricMs[firstFrom(env.metricMs, f.end)];
  if (next && (next.start === f.end || (next.start === f.end + 1 && env.t.charAt(f.end) === '的'))) {
    const r0 = pick(env, f, [next], 'word_after', false);
    if (r0) return r0;
  }
  const before = metricMentions(env, pre);
  const r1 = pick(env, f, before, 'word_before', true);
  if (r1) return r1;
  const after = metricMentions(env, post);
  const r2 = pick(env, f, after, 'word_after', false);
  if (r2) return r2;
  if (f.base === '%' && within(env.cues.rate, [pre[0], f.start])) return { kind: 'drop', why: 'other_rate', note: `「${f.raw}」：不是目录中的比率` };
  if (PEOPLE_BASES.has(f.base) && within(env.cues.people, [env.bounds.clauseOf(f.start)[0], f.start])) {
    return { kind: 'drop', why: 'beneficiaries', note: `「${f.raw}」：服务或惠及人数，不是指标` };
  }
  // 421个、96万平方米黑臭水体: a metric word whose unit does not fit names its project; the unit picks
  // the project's metric (8-2 is the area of 8-1's water bodies).
  for (const m of [...before].reverse().concat(after)) {
    const projects = new Set(m.term.ids.map((id) => env.cc.catalog.metric(id)?.project));
    const siblings = env.cc.catalog.metrics.filter((x) => projects.has(x.project) && !m.term.ids.includes(x.id)).map((x) => x.id);
    const fits = fitting(env, siblings, f);
    if (fits.length === 1) {
      return { kind: 'metric', metric: fits[0]!, why: step('metric', 'project_sibling', `「${m.term.text}」所属项目中用「${f.unitText}」的指标 → ${fits[0]!.id} ${fits[0]!.name}`) };
    }
  }
  if (before.length || after.length) {
    const named = (before[0] ?? after[0])!;
    return { kind: 'drop', why: 'unit_mismatch', note: `「${f.raw}」：单位「${f.unitText}」与「${named.term.text}」的指标不符`, candidates: named.term.ids };
  }
  const listed = listHead(env, f);
  if (listed) {
    const r = pick(env, f, [listed], 'list_head', false);
    if (r) return r;
  }
  // 农村示范安葬设施：启动21个: a label of its own that names no metric does not borrow the metric
  // of an earlier item of the list.
  const clauseStart = env.bounds.clauseOf(f.start)[0];
  const colon = clauseStart > 1 && '：:'.includes(env.t.charAt(clauseStart - 1)) && env.bounds.clauseOf(clauseStart - 1)[0] < clauseStart - 2;
  const earlier = colon ? [] : metricMentions(env, [env.bounds.periodStart(f.start), f.start]).reverse();
  for (const m of earlier) {
    const r = pick(env, f, [m], 'earlier_word', true);
    if (r) return r;
  }
  // No metric named: the sender's own metrics with this unit.
  const cityUnit = env.sender && !env.senderDistrict;
  const pool = cityUnit ? env.cc.catalog.metricsOf(env.sender!) : env.cc.catalog.metrics;
  const fits = fitting(env, pool.map((m) => m.id), f);
  if (fits.length === 1 && cityUnit) {
    return { kind: 'metric', metric: fits[0]!, why: step('metric', 'only_metric_with_unit', `未写指标；${env.sender}的指标中只有 ${fits[0]!.id} 用「${f.unitText}」`) };
  }
  if (fits.length === 0) {
    const all = fitting(env, env.cc.catalog.metrics.map((m) => m.id), f);
    if (!all.length) return { kind: 'drop', why: 'unknown_unit', note: `「${f.raw}」：单位「${f.unitText}」不属于任何指标` };
    return { kind: 'ask', why: 'no_metric', candidates: rank(env, all) };
  }
  const others = cityUnit ? fitting(env, env.cc.catalog.metrics.map((m) => m.id), f) : [];
  return { kind: 'ask', why: 'no_metric', candidates: rank(env, [...new Set([...fits, ...others])]) };
}

const LIST_GLUE = new Set(['、', '，', ',', '和', '及', '与', ' ', '共', '分别', '个', '的']);

/**
 * "渝中区12个、江北区8个口袋公园": a list of figures whose metric is named after the last one. The
 * first metric word after the figure counts when only figures, districts and list glue lie between.
 */
function listHead(env: Env, f: RawFigure): MetricMention | undefined {
  const [, sentenceEnd] = env.bounds.sentenceOf(f.start);
  let pos = f.end;
  let mi = firstFrom(env.mentions, pos);
  let fi = firstFrom(env.raw, pos);
  if (mi >= env.mentions.length) mi = -1;
  if (fi >= env.raw.length) fi = -1;
  while (pos < sentenceEnd) {
    const m = mi >= 0 ? env.mentions[mi] : undefined;
    if (m && m.start === pos) {
      if (isMetricMention(m)) return m;
      if (m.term.kind !== 'district' && m.term.kind !== 'city') return undefined;
      pos = m.end;
      mi = mi + 1 < env.mentions.length ? mi + 1 : -1;
      continue;
    }
    const r = fi >= 0 ? env.raw[fi] : undefined;
    if (r && r.start === pos) {
      pos = r.end;
      fi = fi + 1 < env.raw.length ? fi + 1 : -1;
      continue;
    }
    const c = env.t.charAt(pos);
    if (LIST_GLUE.has(c)) { pos++; continue; }
    if (env.t.startsWith('分别', pos)) { pos += 2; continue; }
    return undefined;
  }
  return undefined;
}

/** Candidates ranked by the sender: metrics it leads, then its projects' metrics, then the rest. */
export function rank(env: Env, metrics: Metric[]): string[] {
  const s = env.sender;
  const own = new Set(s ? env.cc.catalog.projectsOf(s).map((p) => p.no) : []);
  const order = (m: Metric): number => (s && m.lead.includes(s) ? 0 : own.has(m.project) ? 1 : 2);
  return [...metrics].map((m, k) => ({ m, k })).sort((a, b) => order(a.m) - order(b.m) || a.k - b.k).map((x) => x.m.id).slice(0, 12);
}

/** The sender answers for the metric: a lead unit of it, or responsible for its project. */
export function ownsMetric(env: Env, id: string): boolean {
  const s = env.sender;
  const m = env.cc.catalog.metric(id);
  if (!s || !m) return false;
  return m.lead.includes(s) || env.cc.catalog.projectsOf(s).some((p) => p.no === m.project);
}

export function mentionBetween(env: Env, id: string, range: [number, number]): boolean {
  return metricMentions(env, range).some((m) => m.term.ids.includes(id));
}
