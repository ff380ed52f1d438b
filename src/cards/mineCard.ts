import type { Metric } from '../catalog/Catalog.js';
import type { MetricProgress } from '../progress/types.js';
import { progressLine } from './format.js';
import { card, colored, esc, md, type Card, type Element } from './kit.js';

/** /我的: the metrics my organisation answers for, where each stands, and which have no report this week. */
export function mineCard(opts: { org: string; isDistrict: boolean; metrics: Metric[]; progress: Map<string, MetricProgress>; reportedThisWeek: Set<string>; leaveUntil?: string | null }): Card {
  const missing = opts.metrics.filter((m) => !opts.reportedThisWeek.has(m.id));
  const els: Element[] = [md(`单位：**${esc(opts.org)}**${opts.isDistrict ? '（区县：可报送本区县的全部指标）' : ''}${opts.leaveUntil ? `\n${colored(`请假至 ${opts.leaveUntil}`, 'grey')}` : ''}`)];
  // A 区县 answers for every metric; listing 41 lines with progress is noise, so it gets the gaps only.
  const shown = opts.isDistrict ? [] : opts.metrics;
  if (shown.length) {
    els.push(md(`**我负责的指标**\n${shown.map((m) => {
      const p = opts.progress.get(m.id);
      const mark = opts.reportedThisWeek.has(m.id) ? '✅' : '⚠️';
      return `- ${mark} ${m.id} ${esc(m.name)}${m.measure ? `（${esc(m.measure)}）` : ''}${p ? `：${progressLine(m, p)}` : ''}`;
    }).join('\n')}`));
  }
  els.push(md(missing.length
    ? `**本周尚未报送（${missing.length} 项）**\n${missing.slice(0, 45).map((m) => `- ${m.id} ${esc(m.name)}${m.measure ? `（${esc(m.measure)}）` : ''}`).join('\n')}`
    : colored('本周各项都已报送，谢谢！', 'green')));
  return card({ title: '我的指标', template: missing.length ? 'yellow' : 'green', summary: '我的指标', elements: els });
}
