import { STATUS_LABEL, type Status } from '../progress/types.js';
import type { DigestData } from './computeDigest.js';
import { fmt, md, MILESTONE_LABEL, signed } from './format.js';
import { asOfMark, legend, missingLine, progressPct, projectFigure, rankingLines, unboundLine } from './wording.js';

/** The digest as plain text (the CLI's `--format text`, and a fallback for chats without cards). */
export function renderDigestText(d: DigestData): string {
  const order: Status[] = ['done', 'on_track', 'lagging', 'severe', 'no_data'];
  const out: string[] = [];
  out.push(`重点民生实事周报 · 截至 ${d.date}（上期 ${d.previousDate}）`);
  out.push(order.map((s) => `${STATUS_LABEL[s]} ${d.counts[s]}`).join(' | '));
  if (d.noChange) out.push('本周各项指标与上周相比无变化。');
  if (d.reportsThisWeek === 0)
    out.push(`上周（${md(d.reportingWeek.from)}—${md(d.reportingWeek.to)}）没有收到新的报送。`);
  if (d.stale.length > 0)
    out.push(`${d.stale.length} 项指标的数据已超过 ${d.staleWeeks} 周未更新：${d.stale.join('、')}`);
  if (d.lateReports.length > 0) out.push(`补报：自上期以来收到 ${d.lateReports.length} 条补报，已计入本期数据。`);
  out.push('');
  out.push('责任单位排名（完成 / 应达，由差到好）：');
  for (const l of rankingLines(d, d.ranking.length)) out.push(`  ${l}`);
  out.push('滞后指标：');
  if (d.lagging.length === 0) out.push('  无');
  d.lagging.forEach((l, i) => {
    out.push(
      `  ${i + 1}. [${STATUS_LABEL[l.status]}] ${l.id} ${l.name} ${
        l.rule === 'target'
          ? `达目标值 ${l.donePct !== null ? `${fmt(l.donePct)}%` : '—'}`
          : `完成 ${l.donePct !== null ? `${fmt(l.donePct)}%` : '—'} / 序时 ${fmt(l.expectedPct)}%`
      }（${l.leadUnits.join('、')}）`,
    );
  });
  out.push(missingLine(d));
  const unbound = unboundLine(d);
  if (unbound) out.push(unbound);
  out.push('');
  for (const p of d.projects) {
    const fig = projectFigure(p);
    out.push(`${p.no} ${p.name}${fig ? `（${fig}）` : ''}`);
    for (const m of d.metrics.filter((x) => x.project === p.no)) {
      const fig =
        m.kind === 'milestone'
          ? m.milestone
            ? MILESTONE_LABEL[m.milestone]
            : '未报送'
          : m.value === null
            ? '未报送'
            : `${fmt(m.value)}/${m.target !== null ? fmt(m.target) : '—'}${m.unit ?? ''} ${progressPct(m)}`;
      const mark = asOfMark(m);
      const ch = m.change !== null ? `，较上周 ${m.change === 0 ? '持平' : signed(m.change)}` : '';
      out.push(`  [${m.statusLabel}] ${m.id} ${m.name}：${fig}${mark ? `，${mark}` : ''}${ch}`);
    }
  }
  out.push('');
  out.push('说明：');
  for (const l of legend(d)) out.push(`  ${l}`);
  return out.join('\n');
}
