import { RATE_CUES } from './cues.js';
import { lastWithin, metricMentions, step, within, type Env } from './env.js';
import { inMetricUnit, roundValue } from './match.js';
import { milestones } from './milestones.js';
import { notProgress } from './notProgress.js';
import { asOfAt, eachDistricts, modeAt, scopeAt } from './placement.js';
import { readMessage } from './readMessage.js';
import {
  mentionBetween,
  ownsMetric,
  resolveBare,
  resolveCueBare,
  resolveMetric,
  resolveSwapped,
  valueIn,
} from './resolveMetric.js';
import { bareIdValue } from './valueForChoice.js';
import { zeroReports } from './zeroReports.js';
import type { RawFigure } from './scanFigures.js';
import { keepTotals } from './totals.js';
import {
  ACTION_OF,
  MAX_REPORT_CHARS,
  type ExplainedItem,
  type ExplainedResult,
  type FigureItem,
  type Mode,
  type ParseContext,
  type ParseResult,
  type UnresolvedFigure,
  type UnresolvedWhy,
} from './types.js';

export type {
  ParseContext,
  ParseResult,
  ReportItem,
  FigureItem,
  MilestoneItem,
  UnresolvedFigure,
  UnresolvedWhy,
  WhyStep,
} from './types.js';
export { MAX_REPORT_CHARS, ACTION_OF } from './types.js';
export { bareIdValue, valueForChoice } from './valueForChoice.js';

/**
 * Reads a report message: every figure it states against the catalog's metrics, in each metric's
 * unit, with mode, scope and as-of date; milestone statements; and every figure it could not record,
 * as data with a reason (asking the sender where a choice resolves it). Pure: no I/O, no clock.
 * Text longer than MAX_REPORT_CHARS is refused without being scanned (`tooLong`).
 */
export function parseReport(text: string, ctx: ParseContext): ParseResult {
  const r = explainReport(text, ctx);
  const items = r.items.map(({ why: _why, ...item }) => item);
  return { ...r, items };
}

/** As parseReport, with the reasons behind each item (for people reading the CLI's explanation). */
export function explainReport(text: string, ctx: ParseContext): ExplainedResult {
  const input = typeof text === 'string' ? text : '';
  if (input.length > MAX_REPORT_CHARS) {
    return {
      items: [],
      needsClarification: false,
      unresolved: [],
      tooLong: { length: input.length, max: MAX_REPORT_CHARS },
    };
  }
  const { env, shortcuts } = readMessage(input, ctx);
  const { t, cc, bounds, cues, raw } = env;
  const items: ExplainedItem[] = [];
  const unresolved: UnresolvedFigure[] = [];

  for (const s of shortcuts) {
    const metric = ctx.catalog.metric(s.metric);
    if (!metric) continue;
    if (s.status) {
      items.push({
        metric: s.metric,
        status: s.status,
        span: [s.start, s.end],
        why: [
          step('metric', 'metric_id', `指标编号 ${s.metric}`),
          step('milestone', s.status, `状态词「${s.statusWord ?? ''}」`),
        ],
      });
      continue;
    }
    if (metric.kind === 'milestone' || s.value === undefined) continue;
    const value =
      s.base === undefined ? bareIdValue(ctx.catalog, s.metric, s.value) : inMetricUnit(cc, metric, s.base, s.value);
    const scope = scopeAt(env, s.start);
    const asOf = asOfAt(env, s.start, s.end, 'cumulative');
    const outside = asOf.date && asOf.value.slice(0, 4) !== String(cc.catalog.year);
    const refused = scopeRefused(env, scope.value);
    if (value === undefined || s.negative || outside || refused) {
      const raw = t.slice(s.start, s.end);
      const [why, note]: [UnresolvedWhy, string] = s.negative
        ? ['negative_number', `「${raw}」：前面有负号，进度不能为负`]
        : value === undefined
          ? ['unit_mismatch', `「${raw}」：单位与指标 ${s.metric} 不符，未采用`]
          : outside
            ? ['outside_year', `「${raw}」：日期 ${asOf.value} 不在 ${cc.catalog.year} 年目录内，未记录`]
            : ['scope_not_allowed', refused!];
      unresolved.push({
        span: [s.start, s.end],
        raw,
        number: s.value,
        unit: s.base ?? '',
        ...(s.base ? { base: s.base, amount: s.value } : {}),
        candidates: [s.metric],
        why,
        action: ACTION_OF[why],
        mode: 'cumulative',
        scope: scope.value,
        asOf: asOf.value,
        context: clause(env, s.start, s.end),
        note,
      });
      continue;
    }
    items.push({
      metric: s.metric,
      value,
      mode: 'cumulative',
      scope: scope.value,
      asOf: asOf.value,
      ...(s.approximate ? { approximate: true } : {}),
      span: [s.start, s.end],
      why: [
        step('metric', 'metric_id', `指标编号 ${s.metric}（${metric.name}）`),
        step('mode', 'metric_id', '编号写法按累计数'),
        scope.why,
        asOf.why,
      ],
    });
  }

  const unresolvedFigure = (
    f: RawFigure,
    post: [number, number],
    why: UnresolvedWhy,
    note: string,
    candidates: string[] = [],
    mode?: Mode,
  ): UnresolvedFigure => {
    const m = mode ?? modeAt(env, f.start, post).value;
    return {
      span: [f.start, f.end],
      raw: f.raw,
      number: f.number,
      unit: f.unitText,
      base: f.base,
      amount: f.amount,
      candidates,
      why,
      action: ACTION_OF[why],
      mode: m,
      scope: scopeAt(env, f.start).value,
      asOf: asOfAt(env, f.start, f.end, m).value,
      ...(f.approximate ? { approximate: true } : {}),
      context: clause(env, f.start, f.end),
      note,
    };
  };

  const setAside: Array<{ why: UnresolvedWhy; note: string } | undefined> = [];
  raw.forEach((f0, k) => {
    const prevEnd = k > 0 ? raw[k - 1]!.end : 0;
    // 绿道这周贯通2.1公里 累计97.5: a bare total right after a figure with a unit is in that unit.
    const f = f0.bare && k > 0 ? inheritUnit(env, raw[k - 1]!, f0) : f0;
    const cl = bounds.clauseOf(f.start);
    const pre: [number, number] = [Math.max(prevEnd, bounds.sentenceOf(f.start)[0]), f.start];
    const post = postOf(env, f, k);
    const preClause: [number, number] = [Math.max(prevEnd, cl[0]), f.start];
    // A number with no unit is a figure only as the value of a metric word right before it.
    const bare = f.bare ? (resolveBare(env, f, pre[0]) ?? resolveSwapped(env, f) ?? resolveCueBare(env, f)) : undefined;
    if (f.bare && !bare) return;
    // 完成年度目标的97%、95%: a figure listed right after one set aside (only 、 between) is the same kind.
    // 另有3个在建、2个在设计: the previous figure's own short tail (在建) may stand before the 、.
    const listed =
      k > 0 &&
      setAside[k - 1] &&
      raw[k - 1]!.base === f.base &&
      /^[\u4e00-\u9fff]{0,4}[、和及与\s]+$/.test(t.slice(prevEnd, f.start)) &&
      !metricMentions(env, [prevEnd, f.start]).length
        ? setAside[k - 1]
        : undefined;
    const np =
      notProgress(env, f, preClause, post, cc.catalog.year) ??
      (listed
        ? { why: listed.why, note: `「${f.raw}」：与前一个数同列（${listed.note.replace(/^「[^」]*」：/, '')}）` }
        : undefined);
    if (np) {
      setAside[k] = np;
      unresolved.push(unresolvedFigure(f, post, np.why, np.note));
      return;
    }
    // An unreadable number: its metric is found with a stand-in amount, only to say what it was about.
    const res = bare ?? resolveMetric(env, f, pre, post, f.unreadable ? { base: f.base, amount: 1 } : undefined);
    if (f.unreadable) {
      const candidates = res.kind === 'metric' ? [res.metric.id] : (res.candidates ?? []);
      const u = unresolvedFigure(f, post, 'unreadable_number', `「${f.raw}」：数字中混有字母，无法读取`, candidates);
      delete u.number;
      delete u.amount;
      unresolved.push(u);
      return;
    }
    if (res.kind === 'drop') {
      unresolved.push(unresolvedFigure(f, post, res.why, res.note, res.candidates));
      return;
    }
    if (res.kind === 'ask') {
      unresolved.push(
        unresolvedFigure(
          f,
          post,
          res.why,
          `「${f.raw}」：无法确定指标，候选 ${res.candidates.join('、')}`,
          res.candidates,
        ),
      );
      return;
    }
    const metric = res.metric;
    if (f.negative) {
      unresolved.push(
        unresolvedFigure(f, post, 'negative_number', `「${f.raw}」：前面有负号，进度不能为负`, [metric.id]),
      );
      return;
    }
    const value = valueIn(env, metric, f)!;
    // 全市托位总数 beside 新增托位: a stock total is not a figure of a 新增 (this year's additions) metric.
    const weak = lastWithin(cues.stockWeak, preClause);
    if (weak && metric.name.startsWith('新增') && !t.slice(preClause[0], f.start).includes('新增')) {
      unresolved.push(
        unresolvedFigure(f, post, 'stock', `「${f.raw}」：存量总数（「${weak.word}」），不是「${metric.name}」`, [
          metric.id,
        ]),
      );
      return;
    }
    if (
      metric.kind === 'level' &&
      f.base === '%' &&
      within(cues.rate, preClause) &&
      !RATE_CUES.some((w) => metric.name.includes(w))
    ) {
      const rateWord = within(cues.rate, preClause)!.word;
      if (!mentionBetween(env, metric.id, preClause)) {
        unresolved.push(
          unresolvedFigure(
            f,
            post,
            'other_rate',
            `「${f.raw}」：「${rateWord}」不是指标 ${metric.id} 的数`,
            [metric.id],
            'cumulative',
          ),
        );
        return;
      }
    }
    const mode =
      metric.kind === 'level'
        ? { value: 'cumulative' as const, why: step('mode', 'level', '比率类指标按当前值（累计）') }
        : modeAt(env, f.start, post);
    const asOf = asOfAt(env, f.start, f.end, mode.value);
    if (asOf.date && asOf.value.slice(0, 4) !== String(cc.catalog.year)) {
      unresolved.push(
        unresolvedFigure(
          f,
          post,
          'outside_year',
          `「${f.raw}」：日期 ${asOf.value} 不在 ${cc.catalog.year} 年目录内，未记录`,
          [metric.id],
          mode.value,
        ),
      );
      return;
    }
    const item: FigureItem = {
      metric: metric.id,
      value,
      mode: mode.value,
      scope: '',
      asOf: asOf.value,
      span: [f.start, f.end],
    };
    if (f.approximate) item.approximate = true;
    const unitWhy = step(
      'unit',
      f.base || 'metric_unit',
      `单位「${f.unitText || metric.unit || ''}」→ ${value}${metric.unit ?? ''}`,
    );
    // 新增托位 is this year's additions: a total said with 新增 is the metric's, one without may be a stock.
    const namesNew = metric.name.startsWith('新增') && t.slice(pre[0], f.start).includes('新增');
    const newWhy = namesNew ? [step('totals', 'names_new', '「新增」→ 本年新增总数')] : [];
    // 渝中区、江北区各完成…8个: the same figure for each district listed before 各.
    const each = eachDistricts(env, preClause, bounds.sentenceOf(f.start)[0], f.start);
    const scopes =
      each.length > 1
        ? each.map((d) => ({ value: d, why: step('scope', 'each', `「各」→ ${d}`) }))
        : [scopeAt(env, f.start)];
    for (const scope of scopes) {
      const refused = scopeRefused(env, scope.value);
      if (refused) {
        unresolved.push({
          ...unresolvedFigure(f, post, 'scope_not_allowed', refused, [metric.id], mode.value),
          scope: scope.value,
        });
        continue;
      }
      items.push({ ...item, scope: scope.value, why: [res.why, unitWhy, mode.why, scope.why, asOf.why, ...newWhy] });
    }
  });

  for (const z of zeroReports(env)) {
    const refused = scopeRefused(env, z.item.scope);
    if (refused) {
      unresolved.push({
        span: z.item.span,
        raw: t.slice(z.item.span[0], z.item.span[1]),
        number: 0,
        unit: '',
        candidates: [z.item.metric],
        why: 'scope_not_allowed',
        action: ACTION_OF.scope_not_allowed,
        mode: 'increment',
        scope: z.item.scope,
        asOf: z.item.asOf,
        context: clause(env, z.item.span[0], z.item.span[1]),
        note: refused,
      });
    } else items.push(z.item);
  }

  items.push(...milestones(env));
  const { kept, dropped } = keepTotals(items);
  for (const d of dropped) {
    const [a, b] = d.item.span;
    unresolved.push({
      span: [a, b],
      raw: t.slice(a, b),
      number: d.item.value,
      unit: cc.catalog.metric(d.item.metric)?.unit ?? '',
      candidates: [d.item.metric],
      why: d.why,
      action: ACTION_OF[d.why],
      mode: d.item.mode,
      scope: d.item.scope,
      asOf: d.item.asOf,
      context: clause(env, a, b),
      note: d.note.replace(/^「[^」]*」/, `「${t.slice(a, b)}」`),
    });
  }
  unresolved.sort((x, y) => x.span[0] - y.span[0]);
  return finish(env, toOriginal(input, env, kept), toOriginal(input, env, unresolved));
}

/** What may join a figure and a bare total after it that takes its unit (，累计 / 目前共). */
const TOTAL_GLUE =
  /^[\s，,、；;]*(?:累计|目前|现在|到现在|截至目前|截止目前|一共|共计|总计|合计|总共|共)[\s：:]*(?:达到|达|为|是|有|共)?[\s：:]*$/;

function inheritUnit(env: Env, prev: RawFigure, f: RawFigure): RawFigure {
  if (prev.bare || prev.unreadable || prev.base === '' || f.start - prev.end > 12) return f;
  if (!TOTAL_GLUE.test(env.t.slice(prev.end, f.start))) return f;
  const { bare: _bare, ...rest } = f;
  // 82万平方米，累计3900: the total is in the same written unit (万平方米), unless it carries its own 万.
  const written = prev.raw.slice(0, prev.raw.length - prev.unitText.length).trim();
  const factor = /[万w]$/.test(written) && !/[万w]/.test(f.raw) ? 1e4 : 1;
  return { ...rest, base: prev.base, unitText: prev.unitText, amount: roundValue(f.amount * factor) };
}

/** Spans (and raw text) in the original text's offsets, where format characters were removed. */
function toOriginal<T extends { span: [number, number]; raw?: string }>(input: string, env: Env, list: T[]): T[] {
  const o = env.orig;
  if (!o && !list.some((x) => x.raw !== undefined)) return list;
  for (const x of list) {
    if (o) x.span = [o[x.span[0]]!, x.span[1] > x.span[0] ? o[x.span[1] - 1]! + 1 : o[x.span[0]]!];
    if (x.raw !== undefined) x.raw = input.slice(x.span[0], x.span[1]);
  }
  return list;
}

/**
 * A 区县 reports for itself: a figure it states for 全市 is refused, never credited to the sender's
 * district. Returns the reason, or undefined when the scope is allowed.
 */
function scopeRefused(env: Env, scope: string): string | undefined {
  if (!env.senderDistrict || scope !== 'city') return undefined;
  // Another district's figure stays an item: authorising who reports what is the bot's (it refuses
  // it with the sender's permissions in hand). 全市 from a 区县 is never the district's figure, so
  // the parser does not pass it on as one.
  return `${env.senderDistrict}只报送本区县的数，「全市」的数由市级单位报送，未记录`;
}

/** The result: items, unresolved figures, and the question about the first figure that asks. */
function finish(env: Env, items: ExplainedItem[], unresolved: UnresolvedFigure[]): ExplainedResult {
  const result: ExplainedResult = { items, needsClarification: false, unresolved };
  const ask = unresolved.find((u) => u.action === 'ask');
  if (ask) {
    result.needsClarification = true;
    result.candidates = ask.candidates;
    result.question = questionFor(env, ask);
  }
  if (unresolved.length) result.notes = unresolved.map((u) => u.note);
  return result;
}

/**
 * The question about one figure, in the shape the bot's choice card and answer reader expect
 * (「…」是哪项指标的数？… 例如「id：number」). Names only what the sender answers for when it answers
 * for any of them: a 住建委 contact asked about 口袋公园 would be puzzled.
 */
function questionFor(env: Env, u: UnresolvedFigure): string {
  const quoted = clip(env, u.span[0], u.span[1]);
  if (u.why === 'unreadable_number') return `「${quoted}」中的数字看不清（可能有字母混入），请重新发送这个数。`;
  if (u.why === 'conflicting_totals')
    return `「${quoted}」：同一指标在一条消息里有两个不同的累计数，请只回复正确的那个，例如「${u.candidates[0] ?? ''}：${u.number ?? ''}」。`;
  const own = u.candidates.filter((id) => ownsMetric(env, id));
  const listed = own.length ? own : u.candidates;
  // The example answer states the figure in that metric's unit (299.6万人 → 299.6 for 万人).
  const first = listed[0] ? env.cc.catalog.metric(listed[0]) : undefined;
  const example =
    first && u.base !== undefined && u.amount !== undefined
      ? (valueIn(env, first, { base: u.base, amount: u.amount }) ?? u.number)
      : u.number;
  return `「${quoted}」是哪项指标的数？请回复指标编号和数值，例如「${listed[0] ?? ''}：${example ?? ''}」。可能是：${listed
    .slice(0, 6)
    .map((id) => `${id} ${env.cc.catalog.metric(id)?.name ?? ''}`)
    .join('；')}${listed.length > 6 ? ' 等' : ''}`;
}

/** The text after a figure in its clause, up to the next figure. */
function postOf(env: Env, f: RawFigure, k: number): [number, number] {
  const nextStart = k + 1 < env.raw.length ? env.raw[k + 1]!.start : env.t.length;
  return [f.end, Math.min(nextStart, env.bounds.clauseOf(f.start)[1])];
}

/** The figure with what leads up to it in its clause (at most 12 characters). */
function clip(env: Env, start: number, end: number): string {
  const a = Math.max(env.bounds.clauseOf(start)[0], start - 12);
  return env.t.slice(a, end).replace(/\s+/g, ' ');
}

/** The whole clause around a span, for a question quoting it. */
function clause(env: Env, start: number, end: number): string {
  const [a] = env.bounds.clauseOf(start);
  const [, b] = env.bounds.clauseOf(Math.max(start, end - 1));
  return env.t.slice(a, b).replace(/\s+/g, ' ');
}
