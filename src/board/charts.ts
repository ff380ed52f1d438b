import type { DigestData } from '../digest/computeDigest.js';
import { shortProject } from '../digest/format.js';
import type { HistoryPoint } from './boardData.js';
import { esc, mdText, num, STATUS_HEX } from './html.js';

// Charts drawn on the server as inline SVG: no chart library in the page, nothing to download,
// and a wall screen shows them without JavaScript. The viewBox scales them to any width.

/** Each project's completion (bar, coloured by its worst metric) against what is due (tick: 序时进度 or target). */
export function projectChart(d: DigestData, href: (no: number) => string): string {
  // Narrow on purpose: on a phone the SVG shrinks to ~340px and its text must stay readable.
  const rowH = 26;
  const left = 112;
  const right = 344;
  const w = right - left;
  const top = 22;
  const h = top + d.projects.length * rowH + 8;
  const x = (pct: number) => left + (Math.max(0, Math.min(100, pct)) / 100) * w;
  const rows = d.projects.map((p, i) => {
    const y = top + i * rowH;
    const label = `<text x="${left - 6}" y="${y + 18}" text-anchor="end" font-size="12" fill="#1D2129">${esc(shortProject(p.no, p.name))}</text>`;
    const track = `<rect x="${left}" y="${y + 7}" width="${w}" height="14" rx="3" fill="#E5E6EB"/>`;
    const bar =
      p.donePct === null
        ? ''
        : `<rect x="${left}" y="${y + 7}" width="${x(p.donePct) - left}" height="14" rx="3" fill="${STATUS_HEX[p.worst]}"/>`;
    const tick = `<line x1="${x(p.expectedPct)}" x2="${x(p.expectedPct)}" y1="${y + 3}" y2="${y + 25}" stroke="#1D2129" stroke-width="2"/>`;
    const value = `<text x="${right + 4}" y="${y + 18}" font-size="12" fill="#1D2129">${p.donePct === null ? '未报送' : `${num(p.donePct)}%`}</text>`;
    return `<a href="${esc(href(p.no))}" data-project="${p.no}"><title>${esc(`${p.no} ${p.name}：完成 ${p.donePct === null ? '未报送' : `${num(p.donePct)}%`}，应达 ${num(p.expectedPct)}%`)}</title>${label}${track}${bar}${tick}${value}</a>`;
  });
  const grid = [0, 25, 50, 75, 100]
    .map(
      (g) =>
        `<line x1="${x(g)}" x2="${x(g)}" y1="${top - 4}" y2="${h - 6}" stroke="#F2F3F5"/><text x="${x(g)}" y="${top - 8}" text-anchor="middle" font-size="11" fill="#86909C">${g}%</text>`,
    )
    .join('');
  return `<svg viewBox="0 0 400 ${h}" role="img" aria-label="各项目完成率与序时进度">${grid}${rows.join('')}</svg>`;
}

const nice = (max: number): number => {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p;
};

/** A metric's figure week by week, with its 序时 path (dashed) and target (line). */
export function historyChart(points: HistoryPoint[], opts: { target: number | null; unit: string | null }): string {
  const W = 640;
  const H = 260;
  const L = 56;
  const R = 16;
  const T = 16;
  const B = 30;
  const vals = points.flatMap((p) => [p.value, p.expected]).filter((v): v is number => v !== null);
  const ymax = nice(Math.max(opts.target ?? 0, ...vals, 0) * 1.05);
  const n = points.length;
  const x = (i: number) => L + (n <= 1 ? (W - L - R) / 2 : (i / (n - 1)) * (W - L - R));
  const y = (v: number) => T + (1 - v / ymax) * (H - T - B);
  const yTicks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const v = ymax * f;
      return `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#E5E6EB"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#86909C">${esc(num(v))}</text>`;
    })
    .join('');
  const step = Math.max(1, Math.ceil(n / 8));
  const xTicks = points
    .map((p, i) =>
      (i % step === 0 || i === n - 1) && (i === n - 1 || n - 1 - i >= step / 2)
        ? `<text x="${x(i)}" y="${H - 10}" text-anchor="${i === n - 1 ? 'end' : i === 0 ? 'start' : 'middle'}" font-size="11" fill="#86909C">${esc(mdText(p.date))}</text>`
        : '',
    )
    .join('');
  const line = (pick: (p: HistoryPoint) => number | null) => {
    const segs: string[] = [];
    let cur: string[] = [];
    points.forEach((p, i) => {
      const v = pick(p);
      if (v === null) {
        if (cur.length) segs.push(cur.join(' '));
        cur = [];
        return;
      }
      cur.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    });
    if (cur.length) segs.push(cur.join(' '));
    return segs;
  };
  const expected = line((p) => p.expected)
    .map((s) => `<polyline points="${s}" fill="none" stroke="#86909C" stroke-width="1.5" stroke-dasharray="5 4"/>`)
    .join('');
  const value = line((p) => p.value)
    .map((s) => `<polyline points="${s}" fill="none" stroke="#165DFF" stroke-width="2.5"/>`)
    .join('');
  const dots = points
    .map((p, i) =>
      p.value === null
        ? ''
        : `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3" fill="#165DFF"><title>${esc(`${mdText(p.date)}：${num(p.value)}${opts.unit ?? ''}`)}</title></circle>`,
    )
    .join('');
  const target =
    opts.target === null
      ? ''
      : `<line x1="${L}" x2="${W - R}" y1="${y(opts.target)}" y2="${y(opts.target)}" stroke="#F53F3F" stroke-width="1.5"/><text x="${W - R}" y="${y(opts.target) - 4}" text-anchor="end" font-size="11" fill="#F53F3F">目标 ${esc(num(opts.target))}</text>`;
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="按周的进度曲线">${yTicks}${xTicks}${target}${expected}${value}${dots}</svg>`;
}

const MILESTONE_HEX = { done: '#3370FF', in_progress: '#FF7D00', not_started: '#C9CDD4' } as const;
const MILESTONE_TEXT = { done: '已完成', in_progress: '推进中', not_started: '未启动' } as const;

/** A milestone's state week by week: one square per week. */
export function milestoneChart(points: HistoryPoint[]): string {
  const size = 14;
  const gap = 3;
  const perRow = 26;
  const rows = Math.ceil(points.length / perRow) || 1;
  const cells = points
    .map((p, i) => {
      const cx = (i % perRow) * (size + gap);
      const cy = Math.floor(i / perRow) * (size + gap);
      const fill = p.milestone ? MILESTONE_HEX[p.milestone] : '#F2F3F5';
      return `<rect x="${cx}" y="${cy}" width="${size}" height="${size}" rx="2" fill="${fill}" stroke="#E5E6EB"><title>${esc(`${mdText(p.date)}：${p.milestone ? MILESTONE_TEXT[p.milestone] : '未报送'}`)}</title></rect>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${perRow * (size + gap)} ${rows * (size + gap)}" role="img" aria-label="按周的进展" style="max-width:460px">${cells}</svg>`;
}
