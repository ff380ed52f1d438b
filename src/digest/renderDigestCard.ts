import { STATUS_LABEL, type Status } from '../progress/types.js';
import type { DigestData, DigestMetric } from './computeDigest.js';
import { fmt, md, MILESTONE_LABEL, shortProject, signed, STATUS_COLOR, STATUS_TEMPLATE } from './format.js';
import { asOfMark, legend, missingLine, progressPct, projectFigure, rankingLines, unboundLine } from './wording.js';

// The weekly digest as a card JSON 2.0 a leader reads in 30 seconds: the headline counts and the
// header colour first, then the chart, the ranked lagging list, who did not report, and the detail
// per project last. Pure: the same data gives the same card.

const ORDER: Status[] = ['done', 'on_track', 'lagging', 'severe', 'no_data'];

export function figure(m: DigestMetric): string {
  if (m.kind === 'milestone') return m.milestone ? MILESTONE_LABEL[m.milestone] : '未报送';
  if (m.value === null) return `未报送（目标 ${m.target !== null ? fmt(m.target) : '—'}${m.unit ?? ''}）`;
  return `${fmt(m.value)}/${m.target !== null ? fmt(m.target) : '—'}${m.unit ?? ''}`;
}

function change(m: DigestMetric): string {
  if (m.kind === 'milestone') {
    return m.milestone && m.milestone !== m.previousMilestone
      ? `，上周${m.previousMilestone ? MILESTONE_LABEL[m.previousMilestone] : '未报送'}`
      : '';
  }
  if (m.value === null) return '';
  if (m.previousValue === null) return '，本周首报';
  return m.change === 0 ? '，较上周持平' : `，较上周 ${signed(m.change!)}`;
}

export function metricLine(m: DigestMetric): string {
  const p = progressPct(m);
  const mark = asOfMark(m);
  const asOf = mark ? (m.stale ? ` · <font color='orange'>${mark}</font>` : ` · ${mark}`) : '';
  return `<font color='${STATUS_COLOR[m.status]}'>●${m.statusLabel}</font> ${m.id} ${m.name}：${figure(m)}${p ? ` · ${p}` : ''}${asOf}${change(m)}`;
}

export function headline(d: DigestData): string {
  return ORDER.map((s) => {
    const t = `${STATUS_LABEL[s]} **${d.counts[s]}**`;
    return d.counts[s] > 0 && s !== 'done' && s !== 'on_track' ? `<font color='${STATUS_COLOR[s]}'>${t}</font>` : t;
  }).join('　');
}

export function chartSpec(d: DigestData): Record<string, unknown> {
  // A project with no figure keeps its row, labelled 未报送, with no 完成 bar (never a 0% bar).
  const values = d.projects
    .filter((p) => p.donePct !== null || p.noData)
    .flatMap((p) => {
      const label = `${shortProject(p.no, p.name)}${p.noData ? '（未报送）' : ''}`;
      return [
        ...(p.donePct !== null ? [{ project: label, kind: '完成', value: p.donePct }] : []),
        { project: label, kind: '应达', value: p.expectedPct },
      ];
    });
  return {
    type: 'bar',
    direction: 'horizontal',
    data: [{ id: 'progress', values }],
    xField: 'value',
    yField: ['project', 'kind'],
    seriesField: 'kind',
    color: ['#3370FF', '#C9CDD4'],
    legends: { visible: true, orient: 'top' },
    axes: [
      { orient: 'bottom', type: 'linear', min: 0, max: 100, title: { visible: true, text: '%' } },
      { orient: 'left', type: 'band' },
    ],
    label: { visible: true, position: 'outside' },
  };
}

export function renderDigestCard(d: DigestData, opts: { title?: string } = {}): Record<string, unknown> {
  const els: Array<Record<string, unknown>> = [];
  els.push({ tag: 'markdown', content: headline(d) });
  const notes: string[] = [];
  if (d.noChange) notes.push('本周各项指标与上周相比**无变化**。');
  if (d.reportsThisWeek === 0)
    notes.push(`上周（${md(d.reportingWeek.from)}—${md(d.reportingWeek.to)}）没有收到新的报送。`);
  if (d.stale.length > 0)
    notes.push(
      `${d.stale.length} 项指标的数据已超过 ${d.staleWeeks} 周未更新（${d.stale.slice(0, 8).join('、')}${d.stale.length > 8 ? ' 等' : ''}）。`,
    );
  if (d.lateReports.length > 0) {
    const orgs = [...new Set(d.lateReports.map((l) => l.org ?? '未知单位'))];
    notes.push(
      `补报：自上期以来收到 ${d.lateReports.length} 条补报（${orgs.slice(0, 4).join('、')}${orgs.length > 4 ? ' 等' : ''}），已计入本期数据。`,
    );
  }
  if (notes.length) els.push({ tag: 'markdown', content: notes.join('\n'), text_size: 'notation' });

  const charted = d.projects.filter((p) => p.donePct !== null || p.noData);
  if (charted.length > 0) {
    els.push({
      tag: 'chart',
      chart_spec: chartSpec(d),
      aspect_ratio: charted.length <= 4 ? '2:1' : charted.length <= 8 ? '4:3' : '1:1',
    });
  }

  els.push({ tag: 'hr' });
  if (d.ranking.length > 0) {
    els.push({
      tag: 'markdown',
      content: `**责任单位排名（完成 / 应达，由差到好）**\n${rankingLines(d, 10).join('\n')}`,
    });
  }
  if (d.lagging.length > 0) {
    const top = d.lagging
      .slice(0, 10)
      .map(
        (l, i) =>
          `${i + 1}. <font color='${STATUS_COLOR[l.status]}'>${STATUS_LABEL[l.status]}</font> ${l.id} ${l.name}：${l.rule === 'target' ? `达目标值 ${l.donePct !== null ? `${fmt(l.donePct)}%` : '—'}` : `完成 ${l.donePct !== null ? `${fmt(l.donePct)}%` : '—'}，序时 ${fmt(l.expectedPct)}%`}（${l.leadUnits.join('、')}）`,
      );
    if (d.lagging.length > 10) top.push(`……另有 ${d.lagging.length - 10} 项`);
    els.push({ tag: 'markdown', content: `**滞后指标（按严重程度排序）**\n${top.join('\n')}` });
  } else {
    els.push({ tag: 'markdown', content: '**滞后指标**：无' });
  }
  if (d.reportingWeek.reminded && d.missingUnits.length > 0) {
    const lines = d.missingUnits.map((u) => `${u.org}（${u.metrics.join('、')}）`);
    els.push({
      tag: 'markdown',
      content: `**上周未报送单位**（${md(d.reportingWeek.from)}—${md(d.reportingWeek.to)}）\n${lines.join('；')}`,
    });
  } else {
    els.push({ tag: 'markdown', content: `**上周未报送单位**：${d.reportingWeek.reminded ? '无' : missingLine(d)}` });
  }
  const unbound = unboundLine(d);
  if (unbound) els.push({ tag: 'markdown', content: unbound, text_size: 'notation' });

  els.push({ tag: 'hr' });
  const byProject = new Map<number, DigestMetric[]>();
  for (const m of d.metrics) byProject.set(m.project, [...(byProject.get(m.project) ?? []), m]);
  for (const p of d.projects) {
    const list = byProject.get(p.no) ?? [];
    const fig = projectFigure(p);
    els.push({
      tag: 'markdown',
      content: `**${p.no} ${p.name}**${fig ? `（${fig}）` : ''}\n${list.map(metricLine).join('\n')}`,
    });
  }
  els.push({ tag: 'markdown', content: `说明：\n${legend(d).join('\n')}`, text_size: 'notation' });

  // The board: a link bound to whoever clicks (sent to them privately), never one for the group.
  els.push({
    tag: 'button',
    text: { tag: 'plain_text', content: '打开进度看板' },
    type: 'primary',
    size: 'small',
    behaviors: [{ type: 'callback', value: { a: 'board' } }],
  });

  const summary = `${md(d.date)} 民生实事周报：${ORDER.map((s) => `${STATUS_LABEL[s]}${d.counts[s]}`).join(' ')}`;
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: summary } },
    header: {
      title: { tag: 'plain_text', content: opts.title ?? `重点民生实事周报 · ${md(d.date)}` },
      subtitle: {
        tag: 'plain_text',
        content: `截至 ${d.date} · 阈值 正常≥${fmt(d.thresholds.onTrack * 100)}% 滞后≥${fmt(d.thresholds.lagging * 100)}%（占应达进度，见文末说明）`,
      },
      template: STATUS_TEMPLATE[d.worst],
    },
    body: { elements: els },
  };
}
