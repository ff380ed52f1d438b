import type { CueHit } from './cues.js';
import { firstFrom, lastWithin, metricMentions, within, type Env } from './env.js';
import type { RawFigure } from './scanFigures.js';
import type { UnresolvedWhy } from './types.js';

// Figures that are not progress of any metric, decided from the words around them before any metric
// is looked for (catalog contract, "Not progress"): plans and targets, unfinished work, last year's
// figures, changes, beneficiaries and money, stock totals, and parts of a total just given.

export interface NotProgress {
  why: UnresolvedWhy;
  note: string;
}

const CHANGE_ALONE = new Set(['同比', '环比']);

export function notProgress(
  env: Env,
  f: RawFigure,
  preClause: [number, number],
  post: [number, number],
  catalogYear: number,
): NotProgress | undefined {
  const { cues, t } = env;
  const says = (why: UnresolvedWhy, what: string, word: string): NotProgress => ({
    why,
    note: `「${f.raw}」：${what}（「${word}」），不是进度`,
  });
  // A change: 同比/环比, or a comparison (较, 比, 相比) with a change verb after it (较上年增加412公里).
  const lead = lastWithin(cues.changeLead, preClause);
  if (lead && (CHANGE_ALONE.has(lead.word) || within(cues.changeVerb, [lead.end, f.start])))
    return says('change', '变化量', lead.word);
  if (f.base === '%') {
    // 增长8.3%: a percentage right after a change verb is a rate of change.
    const verb = lastWithin(cues.changeVerb, preClause);
    if (verb && /^[了约近达]*$/.test(t.slice(verb.end, f.start))) return says('change', '变化量', verb.word);
  }
  const prior = lastWithin(cues.prior, preClause);
  // 去年底/上年末 is a date (dates.ts): the figure is refused as outside the year, with that date.
  const dated = prior && env.dates[firstFrom(env.dates, prior.start + 1) - 1];
  if (prior && !(dated && dated.end > prior.start)) return says('prior_year', '往年的数', prior.word);
  const year = yearIn(t, preClause);
  if (year !== undefined && year < catalogYear) return says('prior_year', '往年的数', `${year}年`);
  // 完成年度任务的92.7%, 占目标的90%: a share of the target, not a rate the catalog measures.
  if (f.base === '%' && /目标|任务|计划/.test(t.slice(preClause[0], f.start)))
    return says('other_rate', '完成目标的比例', '目标');
  // 托位新增10236个，完成93%: a percentage right after 完成 (no rate named in its clause) is a share of the target.
  if (
    f.base === '%' &&
    /(?:已|已经)?完成了?(?:约|近|超过?)?$/.test(t.slice(preClause[0], f.start)) &&
    metricMentions(env, preClause).every((m) => m.term.ids.every((id) => env.cc.catalog.metric(id)?.unit !== '%'))
  ) {
    return says('other_rate', '完成目标的比例', '完成');
  }
  // 新建的10个体育公园中，已有9个建成: the set the next clause counts from is not progress.
  const clauseEnd = env.bounds.clauseOf(f.start)[1];
  if (
    post[1] === clauseEnd &&
    /^[^，,。；;]{0,12}(?:之中|当中|中)$/.test(t.slice(f.end, clauseEnd).trimEnd()) &&
    (env.raw[firstFrom(env.raw, clauseEnd)]?.start ?? Infinity) < clauseEnd + 16
  ) {
    return says('plan', '总数中的一部分另报', '中');
  }
  const plan = within(cues.plan, preClause);
  if (plan) return says('plan', '计划或目标', plan.word);
  // …40%的年度目标 / 2000户目标: the figure is the target itself.
  if (/^的?(?:年度|全年|年)?(?:目标|任务|计划)/.test(t.slice(post[0], Math.min(post[1], post[0] + 8))))
    return says('plan', '计划或目标', '目标');
  const before = within(cues.unfinished, preClause);
  // 还有 is "also" when a metric is named after it (还有适老化公园60个), unfinished work when not.
  const unfinishedBefore =
    before && before.word === '还有' && metricMentions(env, [before.end, f.start]).length ? undefined : before;
  const unfinished = unfinishedBefore ?? afterFigure(cues.unfinishedAfter, post);
  if (unfinished) return says('unfinished', '尚未完成的数', unfinished.word);
  const benefit = lastWithin(cues.benefit, preClause);
  // 投资建设口袋公园12个 names a metric after the cue; 带动就业 (a two-character short form) does not.
  if (benefit && !metricMentions(env, [benefit.end, f.start]).some((m) => m.term.text.length > 2))
    return says('beneficiaries', '带动、惠及或投资的数', benefit.word);
  const stock = lastWithin(cues.stock, preClause);
  if (stock) return says('stock', '历年存量', stock.word);
  // 其中…: a part of the total just given (其中第二批3000个), unless it names a district.
  const part = within(cues.part, preClause);
  if (part) {
    const next = env.scopeMs[firstFrom(env.scopeMs, part.end)];
    const named = next !== undefined && next.end <= f.start;
    if (!named) return { why: 'part', note: `「${f.raw}」：「其中」后的分项，不是总数` };
  }
  return undefined;
}

/** A cue right after the figure (within a few characters of it, in its clause). */
function afterFigure(hits: CueHit[], [a, b]: [number, number]): CueHit | undefined {
  const h = within(hits, [a, Math.min(b, a + 4)]);
  return h;
}

/** A year written in the clause before the figure (2023年全年, 2023年度), not a date's year. */
function yearIn(t: string, [a, b]: [number, number]): number | undefined {
  for (let k = a + 4; k < b; k++) {
    if (t.charCodeAt(k) !== 0x5e74) continue; // 年
    const y = t.slice(k - 4, k);
    if (!/^\d{4}$/.test(y) || /\d/.test(t.charAt(k - 5))) continue;
    const next = t.charAt(k + 1);
    if (next === '末' || next === '底' || /\d/.test(next) || next === '月') continue;
    return Number(y);
  }
  return undefined;
}
