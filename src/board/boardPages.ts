import type { Catalog } from '../catalog/Catalog.js';
import type { DigestData, DigestMetric } from '../digest/computeDigest.js';
import { MILESTONE_LABEL } from '../digest/format.js';
import { STATUS_LABEL, type Status } from '../progress/types.js';
import type { HistoryPoint } from './boardData.js';
import { historyChart, milestoneChart, projectChart } from './charts.js';
import { esc, mdText, num, page, pctText, STATUS_HEX } from './html.js';

// The board's pages, pure: the digest (and a metric's weekly history) in, HTML out. Every figure
// is a DigestMetric field; data-* attributes carry the raw values so a test (or a screen reader's
// user) can check what is shown against the digest.

/** Builds an in-board link that keeps the visitor's token. */
export type Href = (path: string) => string;

/** What a metric's figure reads as: a number, a milestone state, or 未报送. */
export function figureText(m: DigestMetric): string {
  if (m.kind === 'milestone') return m.milestone ? MILESTONE_LABEL[m.milestone] : '未报送';
  return m.value === null ? '未报送' : num(m.value);
}

function changeText(m: DigestMetric): string {
  if (m.kind === 'milestone')
    return m.milestone && m.milestone !== m.previousMilestone
      ? `上周${m.previousMilestone ? MILESTONE_LABEL[m.previousMilestone] : '未报送'}`
      : '';
  if (m.value === null) return '';
  if (m.previousValue === null) return '本周首报';
  return m.change === 0 ? '较上周持平' : `较上周 ${m.change! > 0 ? '+' : ''}${num(m.change!)}`;
}

function staleText(m: DigestMetric): string {
  if (!m.stale) return '';
  return `<span class="stale" data-stale="1">⚠ ${m.ageDays !== null ? `${m.ageDays} 天` : '久'}未更新</span>`;
}

/** What the status is judged against: 序时进度 for counts, the target value for rates and levels. */
function benchmarkText(m: DigestMetric): string {
  if (m.kind === 'milestone') return '';
  return m.rule === 'target' ? `按目标值评价` : `序时 ${pctText(m.expectedPct)}`;
}

function progressBar(m: DigestMetric): string {
  if (m.kind === 'milestone') return '';
  const done = m.donePct === null ? 0 : Math.min(100, m.donePct);
  return `<span class="bar" title="完成 ${pctText(m.donePct)}，${m.rule === 'target' ? '按目标值评价' : `序时 ${pctText(m.expectedPct)}`}"><i style="width:${done}%"></i><s style="left:${Math.min(100, m.benchmarkPct)}%"></s></span>`;
}

export function metricCard(m: DigestMetric, href: Href): string {
  const target =
    m.kind === 'milestone'
      ? ''
      : ` / <span class="target">${m.target === null ? '—' : esc(num(m.target))}</span> ${esc(m.unit ?? '')}`;
  const pct = m.kind === 'milestone' ? '' : `<span class="pct">${pctText(m.donePct)}</span>`;
  const meta = [
    benchmarkText(m),
    m.asOf ? `截至 <span class="asof">${esc(mdText(m.asOf))}</span>` : '',
    changeText(m),
    staleText(m),
  ]
    .filter(Boolean)
    .join(' · ');
  return `<a class="metric" href="${esc(href(`/board/m/${m.id}`))}" data-metric="${esc(m.id)}" data-status="${m.status}" data-value="${m.value ?? ''}" data-milestone="${m.milestone ?? ''}" data-asof="${m.asOf ?? ''}" style="--c:${STATUS_HEX[m.status]}">
<span class="id">${esc(m.id)}</span><span class="name">${esc(m.name)}</span><span class="badge">${esc(m.statusLabel)}</span>
<span class="fig"><span class="value">${esc(figureText(m))}</span>${target}${pct}</span>
${progressBar(m) || '<span class="bar none"></span>'}<span class="meta">${meta || '&nbsp;'}</span></a>`;
}

function counts(d: DigestData): string {
  const order: Status[] = ['done', 'on_track', 'lagging', 'severe', 'no_data'];
  return `<div class="counts">${order.map((s) => `<div class="count" data-count="${s}" style="--c:${STATUS_HEX[s]}"><b>${d.counts[s]}</b><span>${STATUS_LABEL[s]}</span></div>`).join('')}</div>`;
}

const legend =
  '<p class="legend">条形为完成率，竖线<s></s>为应达进度：数量类指标按序时进度（按时间均匀推进应完成的比例），比率类指标按目标值。颜色：<span style="color:#3370FF">已完成</span> · <span style="color:#00A870">正常</span> · <span style="color:#FF7D00">滞后</span> · <span style="color:#F53F3F">严重滞后</span> · <span style="color:#86909C">未报送</span></p>';

function sub(d: DigestData): string {
  return `截至 ${d.date} · 阈值 正常≥${num(d.thresholds.onTrack * 100)}% 滞后≥${num(d.thresholds.lagging * 100)}%（占序时进度）`;
}

/** GET /board: everything on one page (a phone scrolls; a wall screen shows two columns). */
export function boardPage(d: DigestData, catalog: Catalog, href: Href): string {
  const lagging =
    d.lagging.length === 0
      ? '<p>无滞后指标。</p>'
      : `<ol class="list">${d.lagging
          .slice(0, 10)
          .map(
            (l) =>
              `<li><a class="link" href="${esc(href(`/board/m/${l.id}`))}">${esc(l.id)} ${esc(l.name)}</a>：<span style="color:${STATUS_HEX[l.status]}">${STATUS_LABEL[l.status]}</span>，${l.rule === 'target' ? `达目标值 ${pctText(l.donePct)}` : `完成 ${pctText(l.donePct)}，序时 ${pctText(l.expectedPct)}`}（${esc(l.leadUnits.join('、'))}）</li>`,
          )
          .join('')}</ol>${d.lagging.length > 10 ? `<p class="meta">另有 ${d.lagging.length - 10} 项</p>` : ''}`;
  const missing =
    d.missingUnits.length === 0
      ? '<p>各单位均已报送。</p>'
      : `<ul class="list">${d.missingUnits.map((u) => `<li>${esc(u.org)}（${esc(u.metrics.join('、'))}）</li>`).join('')}</ul>`;
  const ranking =
    d.ranking.length === 0
      ? '<p>暂无。</p>'
      : `<ol class="list">${d.ranking
          .slice(0, 10)
          .map(
            (u) =>
              `<li data-rank="${u.rank}">${esc(u.org)}：<b style="color:${STATUS_HEX[u.worst]}">${esc(num(u.scorePct))}%</b>${u.behind.length ? `（落后：${esc(u.behind.join('、'))}）` : ''}</li>`,
          )
          .join('')}</ol>${d.ranking.length > 10 ? `<p class="meta">共 ${d.ranking.length} 个牵头单位</p>` : ''}`;
  const side = `<div class="side"><section class="panel"><h2>各项目完成率</h2>${projectChart(d, (no) => href(`/board/p/${no}`))}${legend}</section>
<section class="panel"><h2>滞后指标（按严重程度）</h2>${lagging}</section>
<section class="panel"><h2>牵头单位排名（进度占应达比例，由低到高）</h2>${ranking}</section>
<section class="panel"><h2>上周未报送单位 <small class="meta">${esc(mdText(d.reportingWeek.from))}—${esc(mdText(d.reportingWeek.to))}</small></h2>${missing}</section></div>`;
  const byProject = d.projects
    .map((p) => {
      const list = d.metrics.filter((m) => m.project === p.no);
      return `<section class="proj" data-project-section="${p.no}"><h3><a class="link" href="${esc(href(`/board/p/${p.no}`))}">${p.no} ${esc(p.name)}</a><small>完成 ${pctText(p.donePct)} · 应达 ${pctText(p.expectedPct)}</small></h3><div class="grid">${list.map((m) => metricCard(m, href)).join('')}</div></section>`;
    })
    .join('');
  return page({
    title: `民生实事进度看板 · ${d.date}`,
    heading: `${catalog.year}年重点民生实事进度看板`,
    sub: sub(d),
    body: `${counts(d)}<div class="wall">${side}<div class="projects">${byProject}</div></div>`,
  });
}

function districtMatrix(_d: DigestData, metrics: DigestMetric[], catalog: Catalog): string {
  const withFigures = metrics.filter((m) => m.kind !== 'milestone');
  if (withFigures.length === 0) return '<p>本项目的指标按全市报送，没有区县分解。</p>';
  const valueByMetric = new Map(withFigures.map((m) => [m.id, new Map(m.districts.map((x) => [x.scope, x.value]))]));
  const reported = catalog
    .districts()
    .filter((o) => withFigures.some((m) => valueByMetric.get(m.id)!.get(o.name) != null));
  if (reported.length === 0) return '<p>还没有分区县的报送。</p>';
  const rest = catalog.districts().length - reported.length;
  const rows = reported
    .map(
      (o) =>
        `<tr data-district="${esc(o.name)}"><td>${esc(o.name)}</td>${withFigures
          .map((m) => {
            const v = valueByMetric.get(m.id)!.get(o.name);
            return `<td>${v === null || v === undefined ? '—' : esc(num(v))}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  return `<div class="tw"><table><thead><tr><th>区县</th>${withFigures.map((m) => `<th title="${esc(m.name)}">${esc(m.id)}（${esc(m.unit ?? '')}）</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>${rest > 0 ? `<p class="meta">其余 ${rest} 个区县暂无分区县报送。</p>` : ''}`;
}

/** GET /board/p/:no. */
export function projectPage(d: DigestData, catalog: Catalog, no: number, href: Href): string {
  const p = d.projects.find((x) => x.no === no)!;
  const list = d.metrics.filter((m) => m.project === no);
  const units = catalog.project(no)?.units ?? [];
  return page({
    title: `${no} ${p.name} · 进度看板`,
    heading: `${no} ${p.name}`,
    sub: sub(d),
    nav: `<a href="${esc(href('/board'))}">← 全部项目</a>`,
    body: `<section class="panel"><div class="big"><span>完成 <b>${pctText(p.donePct)}</b></span><span>应达 <b>${pctText(p.expectedPct)}</b></span><span>最差状态 <b style="color:${STATUS_HEX[p.worst]}">${STATUS_LABEL[p.worst]}</b></span></div><p class="meta">责任单位：${esc(units.join('、'))}</p></section>
<div class="grid">${list.map((m) => metricCard(m, href)).join('')}</div>
<section class="panel" style="margin-top:12px"><h2>分区县</h2>${districtMatrix(d, list, catalog)}</section>`,
  });
}

/** GET /board/m/:id. */
export function metricPage(
  d: DigestData,
  m: DigestMetric,
  history: HistoryPoint[],
  catalog: Catalog,
  href: Href,
): string {
  const metric = catalog.metric(m.id)!;
  const project = catalog.project(m.project)!;
  const chart =
    m.kind === 'milestone'
      ? `${milestoneChart(history)}<p class="legend">每格一周：<span style="color:#3370FF">■已完成</span> <span style="color:#FF7D00">■推进中</span> <span style="color:#86909C">■未启动/未报送</span></p>`
      : `${historyChart(history, { target: m.target, unit: m.unit })}<p class="legend">蓝线：每周的累计数（按截至日期，已计入补报与更正）；灰色虚线：序时进度；红线：年度目标。</p>`;
  const districts =
    m.kind === 'milestone'
      ? ''
      : (() => {
          const rows = m.districts.filter((x) => x.value !== null);
          if (rows.length === 0) return '<section class="panel"><h2>分区县</h2><p>还没有分区县的报送。</p></section>';
          const max = Math.max(...rows.map((x) => x.value!), 0) || 1;
          const sorted = [...rows].sort((a, b) => b.value! - a.value! || a.scope.localeCompare(b.scope, 'zh'));
          return `<section class="panel"><h2>分区县（${rows.length} 个区县有报送）</h2><div class="tw narrow"><table><thead><tr><th>区县</th><th>${esc(m.unit ?? '')}</th><th>截至</th><th style="width:45%"></th></tr></thead><tbody>${sorted
            .map(
              (x) =>
                `<tr data-district="${esc(x.scope)}" data-value="${x.value}"><td>${esc(x.scope)}</td><td>${esc(num(x.value!))}</td><td>${x.asOf ? esc(mdText(x.asOf)) : '—'}</td><td style="text-align:left"><span class="hb" style="width:${Math.max(1, Math.round((x.value! / max) * 100))}%"></span></td></tr>`,
            )
            .join('')}</tbody></table></div></section>`;
        })();
  const facts = [
    `所属项目：<a class="link" href="${esc(href(`/board/p/${project.no}`))}">${project.no} ${esc(project.name)}</a>`,
    `牵头单位：${esc(m.leadUnits.join('、'))}`,
    `完成时限：${esc(metric.deadline)}`,
    `数据来源：${m.source === 'city' ? '全市报送' : m.source === 'districts' ? '各区县报送之和' : '暂无'}`,
  ];
  return page({
    title: `${m.id} ${m.name} · 进度看板`,
    heading: `${m.id} ${m.name}`,
    sub: sub(d),
    nav: `<a href="${esc(href(`/board/p/${project.no}`))}">← 项目</a><a href="${esc(href('/board'))}">全部</a>`,
    body: `<section class="panel" data-metric="${esc(m.id)}" data-status="${m.status}" data-value="${m.value ?? ''}" style="--c:${STATUS_HEX[m.status]}">
<div class="big fig"><span class="value">${esc(figureText(m))}</span>${m.kind === 'milestone' ? '' : `<span>目标 ${m.target === null ? '—' : esc(num(m.target))} ${esc(m.unit ?? '')}</span><span>完成 <b>${pctText(m.donePct)}</b></span><span>${m.rule === 'target' ? '按目标值评价' : `序时 <b>${pctText(m.expectedPct)}</b>`}</span>`}<span class="badge">${esc(m.statusLabel)}</span></div>
${progressBar(m)}<p class="meta">${[m.asOf ? `截至 ${esc(m.asOf)}` : '尚无报送', changeText(m), staleText(m)].filter(Boolean).join(' · ')}</p>
<p class="meta">${facts.join('<br>')}</p></section>
<section class="panel chart"><h2>进度变化</h2>${chart}</section>${districts}`,
  });
}

const REASON: Record<
  'missing' | 'malformed' | 'forged' | 'expired' | 'revoked' | 'disabled',
  { title: string; text: string }
> = {
  missing: { title: '需要看板链接', text: '看板只能通过机器人发给你的专属链接打开。' },
  malformed: { title: '链接不完整', text: '这个链接不完整或已损坏，可能是复制时漏了字符。' },
  forged: { title: '链接无效', text: '这个链接的签名不对，可能被改动过，或看板密钥已更换。' },
  expired: { title: '链接已过期', text: '看板链接有效期有限（聊天中获取的链接 7 天有效），这个链接已经过期。' },
  revoked: { title: '链接已失效', text: '这个链接是发给一位已不再是联系人或管理员的用户的。' },
  disabled: { title: '看板未启用', text: '管理员还没有为机器人设置看板密钥（BOARD_SECRET）。' },
};

/** The page for a visitor without a valid link: what happened and how to get a new one. */
export function deniedPage(reason: keyof typeof REASON): string {
  const r = REASON[reason];
  const how =
    reason === 'disabled'
      ? '<p>请管理员在配置中设置 <code>BOARD_SECRET</code>（至少 32 个字符）和 <code>PUBLIC_URL</code> 后重启。</p>'
      : '<p><b>获取新链接：</b>在飞书中给「民生实事」机器人发送 <b>/看板</b>，机器人会回复一个 7 天内有效的专属链接；也可以点周报卡片上的「打开进度看板」按钮。</p><p>大屏等长期使用的链接请联系管理员生成。</p>';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>${esc(r.title)}</title><style>body{margin:0;background:#F2F3F5;color:#1D2129;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;line-height:1.6}.denied{max-width:560px;margin:12vh auto;background:#fff;border-radius:8px;padding:24px}h1{font-size:20px;margin:0 0 12px}code{background:#F2F3F5;padding:0 4px}</style></head>
<body><div class="denied" data-denied="${reason}"><h1>${esc(r.title)}</h1><p>${esc(r.text)}</p>${how}</div></body></html>`;
}
