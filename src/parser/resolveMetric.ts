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
const LABEL_GLUE =
  /^[\s：:=]*(?:(?:累计|共计|合计|总计|一共|已经|已|共|达到|达|为|是|约|近|差不多|大概|新增|完成|建成|整治|改造|开工|新开工|启动|实施|安装|培训|服务|适配|救助|有|计|数量|数|总数|面积|里程|长度|个数|户数|人数|人次数|家数|座数|台数|占比|目前|现在|到现在|这边|这块|弄了|搞了|干了|建了|做了|到|了|的数|的话|的)[\s：:=]*){0,4}$/;

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

const PERIOD_OR_TOTAL =
  /本周|这周|本月|这个月|当月|上周|上月|累计|目前|现在|共计|一共|总计|合计|今年|新增|已经|已|完成|目标|任务|计划|共/g;

/**
 * 口袋公园：本周+3，累计98: bare numbers after a period or total word, in clauses that follow one
 * metric label, are that label's values. Only cue words, numbers and punctuation may lie between.
 */
export function resolveCueBare(env: Env, f: RawFigure): Resolution | undefined {
  const [c0] = env.bounds.clauseOf(f.start);
  const own = env.t.slice(c0, f.start);
  if (
    !/^[\s]*(?:本周|这周|本月|这个月|当月|上周|上月|累计|目前|现在|共计|一共|总计|合计|今年|新增|已经|已|完成|共)+[+\s：:]*$/.test(
      own,
    )
  )
    return undefined;
  const [s0] = env.bounds.sentenceOf(f.start);
  const k = firstFrom(env.metricMs, f.start) - 1;
  const m = k >= 0 ? env.metricMs[k]! : undefined;
  if (!m || m.start < s0) return undefined;
  // Other bare numbers (目标1.1万) may lie between; any other word ends the label's reach.
  const gap = env.t
    .slice(m.end, f.start)
    .replace(PERIOD_OR_TOTAL, '')
    .replace(/[\d.]+[万亿]?/g, '');
  if (/[\u4e00-\u9fff]/.test(gap) || gap.length > 24) return undefined;
  return pick(env, f, [m], 'label', true);
}

function pick(env: Env, f: RawFigure, ms: MetricMention[], where: string, preferLast: boolean): Resolution | undefined {
  let best: { metrics: Metric[]; score: number; text: string } | undefined;
  ms.forEach((m, k) => {
    if (!shortFormFits(env, m)) return;
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
    return {
      kind: 'metric',
      metric: b.metrics[0]!,
      why: step('metric', where, `${WHERE[where] ?? where}「${b.text}」→ ${b.metrics[0]!.id} ${b.metrics[0]!.name}`),
    };
  }
  return { kind: 'ask', why: 'ambiguous_metric', candidates: rank(env, b.metrics) };
}

/**
 * A clipped name of two characters (就业, 辅具, 渝好) is how a unit says its own metrics: from a city
 * unit that answers for none of its metrics it names nothing (就业 from 市住建委 is not 新增残疾人就业).
 */
function shortFormFits(env: Env, m: MetricMention): boolean {
  if (m.term.text.length > 2 || !env.sender || env.senderDistrict) return true;
  return m.term.ids.some((id) => ownsMetric(env, id));
}

const WHERE: Record<string, string> = {
  word_before: '前文指标词',
  word_after: '后文指标词',
  list_head: '列表后的指标词',
  earlier_word: '上文指标词',
  label: '数前的指标词',
  project_sibling: '同一项目中按单位',
  respectively: '「分别」前依次列出的指标词',
};

/** The metric of a figure with the text before it (`pre`) and after it in its clause (`post`). */
export function resolveMetric(
  env: Env,
  fig: RawFigure,
  pre: [number, number],
  post: [number, number],
  stand?: { base: string; amount: number },
): Resolution {
  const f = stand ? { ...fig, ...stand } : fig;
  // 3个城市公益性安葬设施: a metric word right after the figure is its noun, before any earlier word.
  const next = env.metricMs[firstFrom(env.metricMs, f.end)];
  if (next && (next.start === f.end || (next.start === f.end + 1 && env.t.charAt(f.end) === '的'))) {
    const r0 = pick(env, f, [next], 'word_after', false);
    if (r0) return r0;
  }
  const resp = respectively(env, f);
  if (resp) return resp;
  const before = metricMentions(env, pre).filter((m) => shortFormFits(env, m));
  const r1 = pick(env, f, before, 'word_before', true);
  if (r1?.kind === 'ask') {
    // 公墓：城市3个: an ambiguous word made definite by the clause's own qualifier.
    const own = ownNoun(env, f);
    for (const m of own ? [...before].reverse() : []) {
      const r = swapNoun(env, f, m, own!);
      if (r) return r;
    }
  }
  if (r1) return r1;
  const after = metricMentions(env, post).filter((m) => shortFormFits(env, m));
  const r2 = pick(env, f, after, 'word_after', false);
  if (r2) return r2;
  if (f.base === '%' && within(env.cues.rate, [pre[0], f.start]))
    return { kind: 'drop', why: 'other_rate', note: `「${f.raw}」：不是目录中的比率` };
  if (PEOPLE_BASES.has(f.base) && within(env.cues.people, [env.bounds.clauseOf(f.start)[0], f.start])) {
    return { kind: 'drop', why: 'beneficiaries', note: `「${f.raw}」：服务或惠及人数，不是指标` };
  }
  // 421个、96万平方米黑臭水体: a metric word whose unit does not fit names its project; the unit picks
  // the project's metric (8-2 is the area of 8-1's water bodies).
  for (const m of [...before].reverse().concat(after)) {
    const r = projectSibling(env, f, m);
    if (r) return r;
  }
  if (before.length || after.length) {
    const named = (before[0] ?? after[0])!;
    return {
      kind: 'drop',
      why: 'unit_mismatch',
      note: `「${f.raw}」：单位「${f.unitText}」与「${named.term.text}」的指标不符`,
      candidates: named.term.ids,
    };
  }
  const listed = listHead(env, f);
  if (listed) {
    const r = pick(env, f, [listed], 'list_head', false);
    if (r) return r;
  }
  // 农村示范安葬设施：启动21个: a label of its own that names no metric does not borrow the metric
  // of an earlier item of the list.
  const clauseStart = env.bounds.clauseOf(f.start)[0];
  const colon =
    clauseStart > 1 &&
    '：:'.includes(env.t.charAt(clauseStart - 1)) &&
    env.bounds.clauseOf(clauseStart - 1)[0] < clauseStart - 2;
  const earlier = colon ? [] : metricMentions(env, [env.bounds.periodStart(f.start), f.start]).reverse();
  // 课后服务的学生达301万人、教师20.6万人: the clause's own noun takes the place of the earlier
  // metric word's noun (课后服务的教师), and names a sibling metric.
  const own = ownNoun(env, f);
  if (own) {
    for (const m of earlier.slice(0, 8)) {
      const r = swapNoun(env, f, m, own);
      if (r) return r;
    }
  }
  for (const m of earlier) {
    const r = pick(env, f, [m], 'earlier_word', true);
    if (r) return r;
  }
  // 山城绿道项目38个、长度达95.6公里: an earlier word whose unit does not fit names its project.
  for (const m of earlier) {
    const r = projectSibling(env, f, m);
    if (r) return r;
  }
  // No metric named: the sender's own metrics with this unit.
  const cityUnit = env.sender && !env.senderDistrict;
  const pool = cityUnit ? env.cc.catalog.metricsOf(env.sender!) : env.cc.catalog.metrics;
  const fits = fitting(
    env,
    pool.map((m) => m.id),
    f,
  );
  if (fits.length === 1 && cityUnit && !namesOtherThing(env, f, fits[0]!)) {
    return {
      kind: 'metric',
      metric: fits[0]!,
      why: step(
        'metric',
        'only_metric_with_unit',
        `未写指标；${env.sender}的指标中只有 ${fits[0]!.id} 用「${f.unitText}」`,
      ),
    };
  }
  if (fits.length === 0) {
    const all = fitting(
      env,
      env.cc.catalog.metrics.map((m) => m.id),
      f,
    );
    if (!all.length)
      return { kind: 'drop', why: 'unknown_unit', note: `「${f.raw}」：单位「${f.unitText}」不属于任何指标` };
    return { kind: 'ask', why: 'no_metric', candidates: rank(env, all) };
  }
  const others = cityUnit
    ? fitting(
        env,
        env.cc.catalog.metrics.map((m) => m.id),
        f,
      )
    : [];
  return { kind: 'ask', why: 'no_metric', candidates: rank(env, [...new Set([...fits, ...others])]) };
}

/** The one metric of the word's project (other than the word's own) that the figure's unit fits. */
function projectSibling(env: Env, f: RawFigure, m: MetricMention): Resolution | undefined {
  const projects = new Set(m.term.ids.map((id) => env.cc.catalog.metric(id)?.project));
  const siblings = env.cc.catalog.metrics
    .filter((x) => projects.has(x.project) && !m.term.ids.includes(x.id))
    .map((x) => x.id);
  const fits = fitting(env, siblings, f);
  if (fits.length !== 1) return undefined;
  return {
    kind: 'metric',
    metric: fits[0]!,
    why: step(
      'metric',
      'project_sibling',
      `「${m.term.text}」所属项目中用「${f.unitText}」的指标 → ${fits[0]!.id} ${fits[0]!.name}`,
    ),
  };
}

/** Words that say nothing about what was counted: time, scope, verbs of progress, chat. */
const FILLER =
  /已经|已|共计|共|累计|合计|总计|完成|建成|新建|新增|新开工|开工|启动|建设|实施|安装|培训|改造|整治|达到|达|为|是|有|了|又|再|本周|这周|本月|上周|上月|当月|今年|以来|目前|截至|截止|现在|约|近|超过|超|逾|全市|全区|全县|我市|我区|我县|本区|本县|报送|报|一下|数据|情况|进度|更新|弄好|建好|做好|装|建|完工|投用|竣工|挂牌|开展|那个|这个|数|我们|这边|好的|收到|的|个/g;

/**
 * The clause names something before the figure that is no catalog word (全市托育机构达到2800余家):
 * the figure is about that thing, so the sender's only metric with the unit is not assumed.
 */
function namesOtherThing(env: Env, f: RawFigure, metric: Metric): boolean {
  const [a] = env.bounds.clauseOf(f.start);
  const from = Math.max(a, f.start - 24);
  let rest = env.t.slice(from, f.start);
  for (let k = firstFrom(env.scopeMs, from); k < env.scopeMs.length && env.scopeMs[k]!.end <= f.start; k++) {
    const m = env.scopeMs[k]!;
    rest = rest.replace(env.t.slice(m.start, m.end), '');
  }
  rest = rest.replace(FILLER, '').replace(/[^\u4e00-\u9fff]+/g, '|');
  let cjk = 0;
  for (let i = 0; i < rest.length; i++) if (rest.charAt(i) !== '|') cjk++;
  if (cjk < 2) return false;
  // 消除黑臭面积 describes 消除黑臭水域面积: two characters in a row of the metric's own words.
  const words = [metric.name, ...metric.aliases].join('|');
  for (let i = 0; i + 1 < rest.length; i++)
    if (rest.charAt(i) !== '|' && rest.charAt(i + 1) !== '|' && words.includes(rest.slice(i, i + 2))) return false;
  return true;
}

/**
 * 课后服务学生302万、老师20.8万: a number with no unit after the clause's own noun is a figure when
 * that noun takes the place of an earlier metric word's noun and names a sibling metric.
 */
export function resolveSwapped(env: Env, f: RawFigure): Resolution | undefined {
  const own = ownNoun(env, f);
  if (!own) return undefined;
  // The nearest few metric words only: a long message stays linear.
  const from = env.bounds.periodStart(f.start);
  const k0 = firstFrom(env.metricMs, f.start);
  for (let k = k0 - 1; k >= Math.max(0, k0 - 8) && env.metricMs[k]!.start >= from; k--) {
    const m = env.metricMs[k]!;
    const r = swapNoun(env, f, m, own);
    if (r) return r;
  }
  return undefined;
}

/**
 * 口袋公园、体育公园分别是95个、9座: metric words listed before 分别 take the figures after it in order,
 * when the sentence has as many figures after 分别 as metric words before it.
 */
function respectively(env: Env, f: RawFigure): Resolution | undefined {
  const [s0] = env.bounds.sentenceOf(f.start);
  // Bounded windows: a long sentence of figures stays linear.
  const w0 = Math.max(s0, f.start - 60);
  const rel = env.t.slice(w0, f.start).lastIndexOf('分别');
  if (rel < 0) return undefined;
  const k = w0 + rel;
  const names: MetricMention[] = [];
  let pos = k;
  for (let i = firstFrom(env.metricMs, k) - 1; i >= 0; i--) {
    const m = env.metricMs[i]!;
    if (m.start < s0 || !/^[、，,和及与\s]*$/.test(env.t.slice(m.end, pos))) break;
    names.unshift(m);
    pos = m.start;
  }
  if (names.length < 2) return undefined;
  const [, s1] = env.bounds.sentenceOf(f.start);
  const figs: RawFigure[] = [];
  for (
    let i = firstFrom(env.raw, k + 2);
    i < env.raw.length && env.raw[i]!.start < s1 && figs.length <= names.length;
    i++
  )
    figs.push(env.raw[i]!);
  const at = figs.indexOf(f);
  if (figs.length !== names.length || at < 0) return undefined;
  return pick(env, f, [names[at]!], 'respectively', true);
}

/** Verbs and fillers that may stand between a clause's own noun and its figure (教师达20.6万人). */
const NOUN_GLUE =
  /(?:累计|共计|已经|已|共|达到|达|为|是|有|约|近|超过|超|完成|建成|启动|开工|新开工|新建|新增|建设|实施|安装|培训|改造|整治|治理|适配|救助|建|了)+$/;

/** The clause's own word before the figure (教师 in 、教师20.6万人): 1 to 6 CJK characters, no catalog word. */
function ownNoun(env: Env, f: RawFigure): string | undefined {
  const [a] = env.bounds.clauseOf(f.start);
  const from = Math.max(a, f.start - 10);
  if (
    firstFrom(env.mentions, from) < env.mentions.length &&
    env.mentions[firstFrom(env.mentions, from)]!.start < f.start
  )
    return undefined;
  const word = env.t
    .slice(from, f.start)
    .replace(/^[\s、，,和及与]+/, '')
    .replace(/[\s：:]+$/, '')
    .replace(NOUN_GLUE, '')
    .replace(/的$/, '');
  return /^[\u4e00-\u9fff]{1,6}$/.test(word) ? word : undefined;
}

/**
 * The metric named by an earlier metric word with its last noun replaced by `noun` (参与课后服务的学生
 * → 参与课后服务的教师), when the figure fits it: a list of figures sharing one qualifier and verb.
 */
function swapNoun(env: Env, f: RawFigure, m: MetricMention, noun: string): Resolution | undefined {
  const text = m.term.text;
  // The noun replaces the word's end (学生 → 教师) or, for a qualifier, its start (农村… → 城市…).
  // 公墓：城市3个 — the noun may also qualify the word whole (城市公墓).
  const cands: string[] = [noun + text];
  for (let k = 1; k <= Math.min(4, text.length - 1); k++)
    cands.push(text.slice(0, text.length - k) + noun, noun + text.slice(k));
  for (const cand of cands) {
    if (cand === text) continue;
    const term = env.cc.byFirst.get(cand.charAt(0))?.find((x) => x.kind === 'metric' && x.text === cand);
    if (term?.kind !== 'metric') continue;
    const fits = fitting(env, term.ids, f);
    // A sibling (学生 → 教师), or one metric out of an ambiguous word (公墓 → 城市公墓); never the word's own single metric.
    if (fits.length === 1 && !(m.term.ids.length === 1 && term.ids.includes(m.term.ids[0]!))) {
      return {
        kind: 'metric',
        metric: fits[0]!,
        why: step('metric', 'shared_qualifier', `「${text}」换作「${cand}」→ ${fits[0]!.id} ${fits[0]!.name}`),
      };
    }
  }
  return undefined;
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
    if (LIST_GLUE.has(c)) {
      pos++;
      continue;
    }
    if (env.t.startsWith('分别', pos)) {
      pos += 2;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Candidates ranked by the sender: metrics it leads, then its projects' metrics, then the rest. */
export function rank(env: Env, metrics: Metric[]): string[] {
  const s = env.sender;
  const own = new Set(s ? env.cc.catalog.projectsOf(s).map((p) => p.no) : []);
  const order = (m: Metric): number => (s && m.lead.includes(s) ? 0 : own.has(m.project) ? 1 : 2);
  return [...metrics]
    .map((m, k) => ({ m, k }))
    .sort((a, b) => order(a.m) - order(b.m) || a.k - b.k)
    .map((x) => x.m.id)
    .slice(0, 12);
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
