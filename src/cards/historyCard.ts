import type { Metric } from '../catalog/Catalog.js';
import type { ItemHistoryView as ReportItemRow } from './types.js';
import { MILESTONE_LABEL, amount, metricLabel, modeWord, scopeLabel } from './format.js';
import { card, colored, esc, md, type Card } from './kit.js';

const REASON: Record<string, string> = { undo: '撤销', fix: '更正' };

/** /历史: every item of a metric, newest first, superseded ones included with who did it and when. */
export function historyCard(opts: {
  metric: Metric;
  rows: ReportItemRow[];
  names: Map<string, string>;
  time: (ms: number) => string;
}): Card {
  const { metric: m, names } = opts;
  const lines = opts.rows.map((r) => {
    const said =
      m.kind === 'milestone'
        ? (MILESTONE_LABEL[(r.milestone ?? 'in_progress') as keyof typeof MILESTONE_LABEL] ?? String(r.milestone))
        : amount(m, r.value);
    const who = esc(names.get(r.reporterOpenId) ?? r.org ?? r.reporterOpenId);
    const head = `${r.asOf} ${modeWord(m, r.mode)}**${said}** · ${scopeLabel(r.scope)} · ${who} 于 ${opts.time(r.createdAt)}`;
    if (r.supersededAt === null) return `- ${head}`;
    const by = r.supersededByOpenId ? esc(names.get(r.supersededByOpenId) ?? r.supersededByOpenId) : '';
    return `- ~~${head}~~\n  ${colored(`已${REASON[r.supersedeReason ?? ''] ?? '作废'}：${by} 于 ${opts.time(r.supersededAt)}${r.supersededBy ? `（更正为 #${r.supersededBy}）` : ''}`, 'grey')}`;
  });
  return card({
    title: `历史 · ${m.id}`,
    template: 'wathet',
    summary: `${m.id} 历史`,
    elements: [md(`**${esc(metricLabel(m))}**`), md(lines.length ? lines.join('\n') : '暂无报送。')],
  });
}
