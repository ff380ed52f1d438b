import type { Metric } from '../catalog/Catalog.js';
import type { MetricProgress } from '../progress/types.js';
import { progressLine } from './format.js';
import { card, colored, esc, md, type Card, type Element } from './kit.js';

/**
 * /我的: the metrics my organisation answers for, where each stands, and which it still owes this
 * week (`owed`: the reminders' rule; without it every metric shown is taken as owed).
 */
export function mineCard(opts: {
  org: string;
  isDistrict: boolean;
  metrics: Metric[];
  progress: Map<string, MetricProgress>;
  reportedThisWeek: Set<string>;
  leaveUntil?: string | null;
  owed?: Set<string>;
  reminderWeek?: boolean;
}): Card {
  const owes = (m: Metric) => (opts.owed ? opts.owed.has(m.id) : true);
  const missing =
    opts.isDistrict || opts.reminderWeek === false
      ? []
      : opts.metrics.filter((m) => owes(m) && !opts.reportedThisWeek.has(m.id));
  const els: Element[] = [
    md(
      `单位：**${esc(opts.org)}**${opts.isDistrict ? '（区县：可报送本区县的全部指标）' : ''}${opts.leaveUntil ? `\n${colored(`请假至 ${opts.leaveUntil}`, 'grey')}` : ''}`,
    ),
  ];
  // A 区县 answers for every metric; listing 41 lines with progress is noise, so it gets the gaps only.
  const shown = opts.isDistrict ? [] : opts.metrics;
  if (shown.length) {
    els.push(
      md(
        `**我负责的指标**\n${shown
          .map((m) => {
            const p = opts.progress.get(m.id);
            const mark = opts.reportedThisWeek.has(m.id) ? '✅' : owes(m) ? '⚠️' : '☑️';
            return `- ${mark} ${m.id} ${esc(m.name)}${m.measure ? `（${esc(m.measure)}）` : ''}${p ? `：${progressLine(m, p)}` : ''}`;
          })
          .join('\n')}`,
      ),
    );
  }
  els.push(
    md(
      opts.isDistrict
        ? colored('区县可随时报送本区县的数据，不需每周报送；每周催报由市级牵头单位负责。', 'grey')
        : opts.reminderWeek === false
          ? colored('本周为节假日，没有报送要求。', 'grey')
          : missing.length
            ? `**本周尚未报送（${missing.length} 项）**\n${missing
                .slice(0, 45)
                .map((m) => `- ${m.id} ${esc(m.name)}${m.measure ? `（${esc(m.measure)}）` : ''}`)
                .join('\n')}`
            : colored('本周应报的各项都已报送（已完成的指标不需再报），谢谢！', 'green'),
    ),
  );
  return card({ title: '我的指标', template: missing.length ? 'yellow' : 'green', summary: '我的指标', elements: els });
}
