import type { Metric } from '../catalog/Catalog.js';
import { RATE_CUES, scanCues, statusOf, type CueHit, type CueSets } from './cues.js';
import { scanDates, type DateMention } from './dates.js';
import { compileCatalog, findMentions, inMetricUnit, type CompiledCatalog, type Mention } from './match.js';
import { normalize } from './normalize.js';
import { scanFigures, type RawFigure } from './scanFigures.js';
import { scanShortcuts } from './scanShortcuts.js';
import { boundaries, type Boundaries } from './boundaries.js';
import type { ExplainedItem, ExplainedResult, FigureItem, Mode, ParseContext, ParseResult } from './types.js';

export type { ParseContext, ParseResult, ReportItem, FigureItem, MilestoneItem } from './types.js';

/**
 * Reads a report message: every figure it states against the catalog's metrics, in each metric's
 * unit, with mode, scope and as-of date; milestone statements; or a question when a figure's metric
 * cannot be decided. Pure: no I/O, no clock; the same input gives the same output.
 */
export function parseReport(text: string, ctx: ParseContext): ParseResult {
  const r = explainReport(text, ctx);
  const items = r.items.map(({ why: _why, ...item }) => item);
  return { ...r, items };
}

/** As parseReport, with the reasons behind each item (for people reading the CLI's explanation). */
export function explainReport(text: string, ctx: ParseContext): ExplainedResult {
  const t = normalize(typeof text === 'string' ? text : '');
  const cc = compileCatalog(ctx.catalog);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(ctx.date) ? ctx.date : `${ctx.catalog.year}-12-31`;
  const sender = ctx.senderOrg ? ctx.catalog.org(ctx.senderOrg)?.name ?? ctx.senderOrg : undefined;
  const senderDistrict = sender && ctx.catalog.isDistrict(sender) ? sender : undefined;
  const mentions = findMentions(t, cc);
  const masked = new Uint8Array(t.length);
  for (const m of mentions) masked.fill(1, m.start, m.end);
  const dates = scanDates(t, date);
  const blocked = masked.slice();
  for (const d of dates) blocked.fill(1, d.start, d.end);
  const shortcuts = scanShortcuts(t, cc, blocked);
  for (const s of shortcuts) blocked.fill(1, s.start, s.end);
  const raw = scanFigures(t, blocked);
  const bounds = boundaries(t);
  const cues = scanCues(t, masked);
  const metricMs = mentions.filter(isMetricMention);
  const scopeMs = mentions.filter((m) => m.term.kind === 'district' || m.term.kind === 'city' || m.term.kind === 'own');
  const modeCues: ModeCue[] = [
    ...cues.cum.map((c) => ({ start: c.start, mode: 'cumulative' as const, word: c.word })),
    ...dates.filter((d) => d.cumulative).map((d) => ({ start: d.start, mode: 'cumulative' as const, word: t.slice(d.start, d.end) })),
    // 10月份新增…: what was done in that month, like 本月.
    ...dates.filter((d) => d.period).map((d) => ({ start: d.start, mode: 'increment' as const, word: t.slice(d.start, d.end) })),
    ...cues.inc.map((c) => ({ start: c.start, mode: 'increment' as const, word: c.word })),
  ].sort((a, b) => a.start - b.start);
  const env: Env = { t, cc, date, sender, senderDistrict, mentions, metricMs, scopeMs, modeCues, dates, bounds, cues, raw };
  const items: ExplainedItem[] = [];
  const notes: string[] = [];
  let question: string | undefined;
  let candidates: string[] | undefined;

  for (const s of shortcuts) {
    const metric = ctx.catalog.metric(s.metric);
    if (!metric) continue;
    if (s.status) { items.push({ metric: s.metric, status: s.status, span: [s.start, s.end], why: [`指标编号 ${s.metric}`, `状态词「${s.statusWord ?? ''}」`] }); continue; }
    if (metric.kind === 'milestone' || s.value === undefined) continue;
    const value = s.base === undefined ? s.value : inMetricUnit(cc, metric, s.base, s.value);
    if (value === undefined) { notes.push(`「${t.slice(s.start, s.end)}」：单位与指标 ${s.metric} 不符，未采用`); continue; }
    const scope = scopeAt(env, s.start);
    const asOf = asOfAt(env, s.start, s.end, 'cumulative');
    items.push({ metric: s.metric, value, mode: 'cumulative', scope: scope.scope, asOf: asOf.asOf, ...(s.approximate ? { approximate: true } : {}), span: [s.start, s.end],
      why: [`指标编号 ${s.metric}（${metric.name}）`, '编号写法按累计数', scope.why, asOf.why] });
  }

  raw.forEach((f, k) => {
    const prevEnd = k > 0 ? raw[k - 1]!.end : 0;
    const nextStart = k + 1 < raw.length ? raw[k + 1]!.start : t.length;
    const clause = bounds.clauseOf(f.start);
    const pre: [number, number] = [Math.max(prevEnd, bounds.sentenceOf(f.start)[0]), f.start];
    const post: [number, number] = [f.end, Math.min(nextStart, clause[1])];
    const preClause: [number, number] = [Math.max(prevEnd, clause[0]), f.start];
    const planBefore = within(cues.plan, preClause);
    const planAfter = cues.plan.filter((c) => c.start >= post[0] && c.end <= post[1] && POST_PLAN.includes(c.word));
    if (planBefore || planAfter.length) {
      notes.push(`「${f.raw}」：计划、目标或未完成的数（「${(planBefore ?? planAfter[0])!.word}」），不是进度`);
      return;
    }
    // 其中…: a part of the total just given (其中第二批3000个), unless it names a district.
    const part = within(cues.part, preClause);
    if (part && !((env.scopeMs[firstFrom(env.scopeMs, part.end)]?.end ?? Infinity) <= f.start)) {
      notes.push(`「${f.raw}」：「其中」后的分项，不是总数`);
      return;
    }
    const res = resolveMetric(env, f, pre, post);
    if (res.kind === 'drop') { if (res.note) notes.push(res.note); return; }
    if (res.kind === 'ask') {
      if (!question) {
        candidates = res.candidates;
        // Name only what the sender answers for when it answers for any of them: a 住建委 contact
        // asked about 口袋公园 would be puzzled.
        const own = res.candidates.filter((id) => ownsMetric(env, id));
        const listed = own.length ? own : res.candidates;
        question = `「${clip(t, bounds.clauseOf(f.start)[0], f.start, f.end)}」是哪项指标的数？请回复指标编号和数值，例如「${listed[0]}：${f.number}」。可能是：${listed
          .slice(0, 6).map((id) => `${id} ${ctx.catalog.metric(id)?.name ?? ''}`).join('；')}${listed.length > 6 ? ' 等' : ''}`;
      }
      notes.push(`「${f.raw}」：无法确定指标，候选 ${res.candidates.join('、')}`);
      return;
    }
    const metric = res.metric;
    const value = inMetricUnit(cc, metric, f.base, f.amount)!;
    if (metric.kind === 'level' && f.base === '%' && within(cues.rate, preClause) && !RATE_CUES.some((w) => metric.name.includes(w))) {
      const rateWord = within(cues.rate, preClause)!.word;
      if (!mentionBetween(env, metric.id, preClause)) { notes.push(`「${f.raw}」：「${rateWord}」不是指标 ${metric.id} 的数`); return; }
    }
    const modeInfo: { mode: Mode; why: string } = metric.kind === 'level'
      ? { mode: 'cumulative', why: '比率类指标按当前值（累计）' }
      : modeAt(env, f.start, post);
    const scope = scopeAt(env, f.start);
    const asOf = asOfAt(env, f.start, f.end, modeInfo.mode);
    const item: FigureItem = { metric: metric.id, value, mode: modeInfo.mode, scope: scope.scope, asOf: asOf.asOf, span: [f.start, f.end] };
    if (f.approximate) item.approximate = true;
    const why = [res.why, `单位「${f.unitText}」→ ${value}${metric.unit ?? ''}`, modeInfo.why, asOf.why];
    // 渝中区、江北区各完成…8个: the same figure for each district listed before 各.
    const each = eachDistricts(env, preClause, bounds.sentenceOf(f.start)[0], f.start);
    if (each.length > 1) for (const d of each) items.push({ ...item, scope: d, why: [...why, `「各」→ ${d}`] });
    else items.push({ ...item, why: [...why.slice(0, 3), scope.why, asOf.why] });
  });

  items.push(...milestones(env));
  const kept = keepTotals(items);
  const result: ExplainedResult = { items: kept, needsClarification: question !== undefined };
  if (question) { result.question = question; result.candidates = candidates; }
  if (notes.length) result.notes = notes;
  return result;
}

/** Cues after a figure that make it not-yet-done work (另有12公里在建). */
const POST_PLAN = ['在建', '待建', '未完成', '未开工', '剩余'];

interface Env {
  t: string;
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

interface ModeCue { start: number; mode: Mode; word: string }
type MetricMention = Mention & { term: { kind: 'metric'; ids: string[]; text: string } };

function isMetricMention(m: Mention): m is MetricMention {
  return m.term.kind === 'metric';
}

/** Index of the first element whose start is >= pos (arrays sorted by start). */
function firstFrom(arr: ReadonlyArray<{ start: number }>, pos: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]!.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function within(hits: CueHit[], [a, b]: [number, number]): CueHit | undefined {
  for (let k = firstFrom(hits, a); k < hits.length && hits[k]!.start < b; k++) if (hits[k]!.end <= b) return hits[k];
  return undefined;
}

/**
 * Districts listed right before 各 (渝中区、江北区各…), 各 in the figure's clause, or none. The list
 * is district names joined only by 、 和 及 与 and spaces (、 also separates clauses, so the list may
 * start in an earlier clause of the sentence).
 */
function eachDistricts(env: Env, clause: [number, number], sentenceStart: number, figureStart: number): string[] {
  const ge = env.t.lastIndexOf('各', figureStart - 1);
  if (ge < clause[0]) return [];
  const names: string[] = [];
  let pos = ge;
  for (let k = firstFrom(env.scopeMs, ge) - 1; k >= 0; k--) {
    const m = env.scopeMs[k]!;
    if (m.term.kind !== 'district' || m.start < sentenceStart) break;
    if (!/^[、和及与\s]*$/.test(env.t.slice(m.end, pos))) break;
    names.unshift(m.term.org);
    pos = m.start;
  }
  return [...new Set(names)];
}

/** The figure with what leads up to it in its clause (at most 12 characters), never cutting the next figure. */
function clip(t: string, clauseStart: number, start: number, end: number): string {
  const a = Math.max(clauseStart, start - 12);
  return t.slice(a, end).replace(/\s+/g, ' ');
}

/** The sender answers for the metric: a lead unit of it, or responsible for its project. */
function ownsMetric(env: Env, id: string): boolean {
  const s = env.sender;
  const m = env.cc.catalog.metric(id);
  if (!s || !m) return false;
  return m.lead.includes(s) || env.cc.catalog.projectsOf(s).some((p) => p.no === m.project);
}

function mentionBetween(env: Env, id: string, range: [number, number]): boolean {
  return metricMentions(env, range).some((m) => m.term.ids.includes(id));
}

const COUNT_BASES = new Set(['个', '座', '家', '所', '台', '套', '户', '人次', '人', '名', '条', '处', '项']);
const PEOPLE_BASES = new Set(['人', '人次', '名']);

type Resolution =
  | { kind: 'metric'; metric: Metric; why: string }
  | { kind: 'ask'; candidates: string[] }
  | { kind: 'drop'; note?: string };

/** Metrics of a mention that a figure can be a value of (unit fits; a fraction of a 个 is not a count). */
function fitting(env: Env, ids: string[], f: RawFigure): Metric[] {
  const out: Metric[] = [];
  for (const id of ids) {
    const m = env.cc.catalog.metric(id);
    if (!m || m.kind === 'milestone') continue;
    if (inMetricUnit(env.cc, m, f.base, f.amount) === undefined) continue;
    if (m.kind === 'count' && COUNT_BASES.has(f.base) && !Number.isInteger(f.amount)) continue;
    out.push(m);
  }
  return out;
}

function metricMentions(env: Env, [a, b]: [number, number]): MetricMention[] {
  const out: MetricMention[] = [];
  const ms = env.metricMs;
  for (let k = firstFrom(ms, a); k < ms.length && ms[k]!.end <= b; k++) out.push(ms[k]!);
  return out;
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
  if (b.metrics.length === 1) return { kind: 'metric', metric: b.metrics[0]!, why: `${where}「${b.text}」→ ${b.metrics[0]!.id} ${b.metrics[0]!.name}` };
  return { kind: 'ask', candidates: rank(env, b.metrics) };
}

function resolveMetric(env: Env, f: RawFigure, pre: [number, number], post: [number, number]): Resolution {
  const before = metricMentions(env, pre);
  const r1 = pick(env, f, before, '前文指标词', true);
  if (r1) return r1;
  const after = metricMentions(env, post);
  const r2 = pick(env, f, after, '后文指标词', false);
  if (r2) return r2;
  if (f.base === '%' && within(env.cues.rate, [pre[0], f.start])) return { kind: 'drop', note: `「${f.raw}」：不是目录中的比率` };
  if (PEOPLE_BASES.has(f.base) && within(env.cues.people, [env.bounds.clauseOf(f.start)[0], f.start])) {
    return { kind: 'drop', note: `「${f.raw}」：服务或惠及人数，不是指标` };
  }
  if (before.length || after.length) return { kind: 'drop', note: `「${f.raw}」：单位「${f.unitText}」与「${(before[0] ?? after[0])!.term.text}」的指标不符` };
  const listed = listHead(env, f);
  if (listed) {
    const r = pick(env, f, [listed], '列表后的指标词', false);
    if (r) return r;
  }
  const earlier = metricMentions(env, [env.bounds.periodStart(f.start), f.start]).reverse();
  for (const m of earlier) {
    const r = pick(env, f, [m], '上文指标词', true);
    if (r) return r;
  }
  // No metric named: the sender's own metrics with this unit.
  const pool = env.sender && !env.senderDistrict ? env.cc.catalog.metricsOf(env.sender) : env.cc.catalog.metrics;
  const fits = fitting(env, pool.map((m) => m.id), f);
  if (fits.length === 1 && env.sender && !env.senderDistrict) {
    return { kind: 'metric', metric: fits[0]!, why: `未写指标；${env.sender}的指标中只有 ${fits[0]!.id} 用「${f.unitText}」` };
  }
  if (fits.length === 0) {
    const all = fitting(env, env.cc.catalog.metrics.map((m) => m.id), f);
    if (!all.length) return { kind: 'drop', note: `「${f.raw}」：单位「${f.unitText}」不属于任何指标` };
    return { kind: 'ask', candidates: rank(env, all) };
  }
  const others = env.sender && !env.senderDistrict ? fitting(env, env.cc.catalog.metrics.map((m) => m.id), f) : [];
  return { kind: 'ask', candidates: rank(env, [...new Set([...fits, ...others])]) };
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
function rank(env: Env, metrics: Metric[]): string[] {
  const s = env.sender;
  const own = new Set(s ? env.cc.catalog.projectsOf(s).map((p) => p.no) : []);
  const order = (m: Metric): number => (s && m.lead.includes(s) ? 0 : own.has(m.project) ? 1 : 2);
  return [...metrics].map((m, k) => ({ m, k })).sort((a, b) => order(a.m) - order(b.m) || a.k - b.k).map((x) => x.m.id).slice(0, 12);
}

function scopeAt(env: Env, pos: number): { scope: string; why: string } {
  const last = env.scopeMs[firstFrom(env.scopeMs, pos) - 1];
  const dflt = env.senderDistrict ?? 'city';
  if (!last) return { scope: dflt, why: env.senderDistrict ? `报送单位 ${env.senderDistrict}` : '市级单位未写区县 → 全市' };
  const term = last.term;
  if (term.kind === 'district') return { scope: term.org, why: `区县「${term.text}」` };
  if (term.kind === 'city') return { scope: 'city', why: `「${term.text}」→ 全市` };
  return { scope: dflt, why: `「${term.text}」→ ${dflt === 'city' ? '全市' : dflt}` };
}

function modeAt(env: Env, pos: number, post: [number, number]): { mode: Mode; why: string } {
  const before = lastCue(env, pos);
  if (before) return before;
  const inc = within(env.cues.inc, post);
  if (inc) return { mode: 'increment', why: `「${inc.word}」→ 增量` };
  return { mode: 'cumulative', why: '没有期间词 → 累计' };
}

function lastCue(env: Env, pos: number): { mode: Mode; why: string; at: number } | undefined {
  const c = env.modeCues[firstFrom(env.modeCues, pos) - 1];
  return c && { mode: c.mode, why: `「${c.word}」→ ${c.mode === 'increment' ? '增量' : '累计'}`, at: c.start };
}

function asOfAt(env: Env, start: number, end: number, mode: Mode): { asOf: string; why: string } {
  const last: DateMention | undefined = env.dates[firstFrom(env.dates, start) - 1];
  if (last) {
    const cue = lastCue(env, start);
    if (!(mode === 'increment' && cue && cue.mode === 'increment' && cue.at > last.start)) {
      return { asOf: last.asOf, why: `「${env.t.slice(last.start, last.end)}」→ ${last.asOf}` };
    }
  }
  const sentence = env.bounds.sentenceOf(start);
  const next = env.dates[firstFrom(env.dates, end)];
  // A date after the figure dates it only when it says "as of" (…1560户，截至9月底), not when it is
  // a plan's date (…计划12月底前全部完成).
  const after = next && next.end <= sentence[1] && next.cumulative && !env.cues.plan.some((c) => c.start >= end && c.start < next.start) ? next : undefined;
  if (after) return { asOf: after.asOf, why: `「${env.t.slice(after.start, after.end)}」→ ${after.asOf}` };
  return { asOf: env.date, why: `消息日期 ${env.date}` };
}

/** Milestone statements: a milestone metric named with a status word in the same sentence. */
function milestones(env: Env): ExplainedItem[] {
  const out: ExplainedItem[] = [];
  const seen = new Set<string>();
  if (!env.cues.status.length) return out;
  const statusHits = env.cues.status.map((h) => ({ ...h, status: statusOf(h.word)! }));
  for (const m of env.metricMs) {
    for (const id of m.term.ids) {
      const metric = env.cc.catalog.metric(id);
      if (!metric || metric.kind !== 'milestone' || seen.has(id)) continue;
      const [a, b] = env.bounds.sentenceOf(m.start);
      const inSentence = statusHits.filter((h) => h.start >= a && h.end <= b);
      const order = { not_started: 0, in_progress: 1, done: 2 } as const;
      const hit = inSentence.sort((x, y) => order[x.status] - order[y.status])[0];
      if (!hit) continue;
      seen.add(id);
      out.push({ metric: id, status: hit.status, span: [Math.min(m.start, hit.start), Math.max(m.end, hit.end)],
        why: [`里程碑「${m.term.text}」→ ${id} ${metric.name}`, `状态词「${hit.word}」→ ${hit.status}`] });
    }
  }
  return out;
}

/** A period figure and a running total of the same metric and scope: the total only. */
function keepTotals(items: ExplainedItem[]): ExplainedItem[] {
  if (items.length < 2) return items;
  const totals = new Set<string>();
  for (const i of items) if ('mode' in i && i.mode === 'cumulative') totals.add(`${i.metric}|${i.scope}`);
  const seen = new Set<string>();
  return items.filter((i) => {
    if ('mode' in i && i.mode === 'increment' && totals.has(`${i.metric}|${i.scope}`)) return false;
    const key = 'value' in i ? `${i.metric}|${i.scope}|${i.mode}|${i.value}|${i.asOf}` : `${i.metric}|${i.status}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
