import type { Catalog } from '../catalog/Catalog.js';
import { num } from './format.js';
import { card, colored, esc, md, type Card, type Element } from './kit.js';

/** /目标: the catalog: every project with its responsible units and each metric's target. */
export function targetsCard(opts: { catalog: Catalog; projectNo?: number }): Card {
  const { catalog } = opts;
  const els: Element[] = [];
  const projects =
    opts.projectNo !== undefined ? catalog.projects.filter((p) => p.no === opts.projectNo) : catalog.projects;
  for (const p of projects) {
    const lines = catalog
      .metricsOfProject(p.no)
      .map(
        (m) =>
          `- ${m.id} ${esc(m.name)}${m.measure ? `（${esc(m.measure)}）` : ''}：${m.target !== undefined ? `**${num(m.target)}** ${esc(m.unit ?? '')}` : '定性任务'}${m.deadline !== catalog.deadline ? `（截止 ${m.deadline}）` : ''}`,
      );
    els.push(
      md(`**${p.no} ${esc(p.name)}**\n${colored(`责任单位：${esc(p.units.join('、'))}`, 'grey')}\n${lines.join('\n')}`),
    );
  }
  els.push(
    md(
      colored(
        `${esc(catalog.title)} · 共 ${catalog.projects.length} 个项目、${catalog.metrics.length} 项指标 · 截止 ${catalog.deadline}`,
        'grey',
      ),
    ),
  );
  return card({ title: `${catalog.year} 目标任务`, template: 'indigo', summary: '目标任务', elements: els });
}
