import type { Catalog, Metric } from '../catalog/Catalog.js';
import type { MetricProgress } from '../progress/types.js';
import { MILESTONE_LABEL, amount, metricLabel, pct, progressLine, scopeLabel } from './format.js';
import { card, colored, esc, hr, md, type Card, type Element } from './kit.js';

/** Last report and by whom: "最近 2024-10-25 张三（市住房城乡建委）". */
function lastLine(p: MetricProgress, names: Map<string, string>): string {
  if (!p.last) return colored('暂无报送', 'grey');
  const who = p.last.reporterOpenId ? (names.get(p.last.reporterOpenId) ?? p.last.org ?? '') : (p.last.org ?? '');
  return colored(`最近报送 截至${p.last.asOf}，${esc(who)}`, 'grey');
}

/** " · 截至10-24", marked when older than `staleWeeks` weeks before `date`. */
function asOfText(p: MetricProgress, date: string, staleWeeks: number): string {
  if (!p.asOf) return '';
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${p.asOf}T00:00:00Z`)) / 86_400_000);
  const text = ` · 截至${p.asOf.slice(5)}`;
  return days > staleWeeks * 7 ? colored(`${text}〔已 ${Math.floor(days / 7)} 周未更新〕`, 'orange') : text;
}

/**
 * /进度: per metric its state, target, %, status, last report and by whom. Whole catalog (one
 * markdown block a project, so all 15 projects stay far inside 200 elements and 30 KB), one
 * project, or one metric with its district breakdown.
 */
export function progressCard(opts: {
  catalog: Catalog;
  progress: MetricProgress[];
  date: string;
  names: Map<string, string>;
  projectNo?: number;
  metricId?: string;
  staleWeeks?: number;
  district?: string;
}): Card {
  const { catalog, date, names } = opts;
  const staleWeeks = opts.staleWeeks ?? 4;
  // A 区县 contact reads its own figure first; the city line is labelled as such (a sum of the
  // districts is said to be one), so the district's number is never mistaken for the city's.
  const own = (m: Metric, p: MetricProgress): string => {
    const d = p.districts.find((x) => x.scope === opts.district);
    if (!d) return `${esc(opts.district ?? '')}：${colored('未报送', 'grey')}`;
    return `${esc(d.scope)}：${m.kind === 'milestone' ? (d.milestone ? MILESTONE_LABEL[d.milestone] : '—') : amount(m, d.value)}（截至${d.asOf ?? '—'}）`;
  };
  const byId = new Map(opts.progress.map((p) => [p.metricId, p]));
  const els: Element[] = [];
  if (opts.metricId) {
    const m = catalog.metric(opts.metricId)!;
    const p = byId.get(m.id)!;
    els.push(
      md(
        `**${esc(metricLabel(m))}**\n目标 ${m.target !== undefined ? amount(m, m.target) : '—'} · 截止 ${m.deadline}\n${opts.district ? `${own(m, p)}\n` : ''}全市：${progressLine(m, p)}${asOfText(p, date, staleWeeks)}\n${lastLine(p, names)}`,
      ),
    );
    if (p.districts.length) {
      const rows = p.districts
        .slice(0, 41)
        .map(
          (d) =>
            `- ${scopeLabel(d.scope)}：${m.kind === 'milestone' ? (d.milestone ? MILESTONE_LABEL[d.milestone] : '—') : amount(m, d.value)}（截至${d.asOf ?? '—'}）`,
        );
      els.push(hr(), md(`**区县分项**\n${rows.join('\n')}`));
    }
    return card({
      title: `进度 · ${m.id}`,
      template: 'blue',
      summary: `${m.id} 进度`,
      elements: [...els, md(colored(`统计日期 ${date}`, 'grey'))],
    });
  }
  const projects =
    opts.projectNo !== undefined ? catalog.projects.filter((p) => p.no === opts.projectNo) : catalog.projects;
  for (const pr of projects) {
    const lines = catalog.metricsOfProject(pr.no).map((m) => {
      const p = byId.get(m.id);
      if (!p) return `- ${esc(metricLabel(m))}`;
      const detail = opts.projectNo !== undefined ? `\n  ${lastLine(p, names)}` : '';
      return `- ${esc(m.id)} ${esc(m.name)}${m.measure ? `（${esc(m.measure)}）` : ''}：${opts.district ? `${own(m, p)}；全市 ` : ''}${progressLine(m, p)}${asOfText(p, date, staleWeeks)}${detail}`;
    });
    els.push(
      md(
        `**${pr.no} ${esc(pr.name)}**${opts.projectNo !== undefined ? `\n${colored(`责任单位：${esc(pr.units.join('、'))}`, 'grey')}` : ''}\n${lines.join('\n')}`,
      ),
    );
  }
  const counted = opts.progress.filter((p) => p.status !== 'no_data').length;
  els.push(
    md(
      colored(
        `统计日期 ${date} · 已有数据 ${counted}/${opts.progress.length} 项 · 序时进度 ${pct(opts.progress[0]?.expectedShare ?? null)}`,
        'grey',
      ),
    ),
  );
  return card({
    title: opts.projectNo !== undefined ? `进度 · 项目 ${opts.projectNo}` : `${catalog.year} 重点民生实事进度`,
    template: 'blue',
    summary: '进度',
    elements: els,
  });
}
