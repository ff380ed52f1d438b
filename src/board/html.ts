import type { Status } from '../progress/types.js';

// The pieces every board page shares: escaping, number formats, status colours, and the page
// shell with its inline stylesheet. Nothing is fetched from elsewhere (government intranets have no
// CDN): the CSS is inline, the charts are inline SVG, and the fonts are the reader's own.

export const esc = (s: string | number | null | undefined): string =>
  String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const nf = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
/** A figure as shown: thousands separated, at most 2 decimals. */
export const num = (n: number): string => nf.format(Math.round(n * 100) / 100);
export const pctText = (n: number | null): string => (n === null ? '—' : `${nf.format(Math.round(n * 10) / 10)}%`);
/** '2024-10-25' → '10月25日'. */
export const mdText = (d: string): string => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

export const STATUS_HEX: Record<Status, string> = {
  done: '#3370FF',
  on_track: '#00A870',
  lagging: '#FF7D00',
  severe: '#F53F3F',
  no_data: '#86909C',
};
export const STATUS_ORDER: Status[] = ['severe', 'lagging', 'no_data', 'on_track', 'done'];

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;background:#F2F3F5;color:#1D2129;font-size:15px;line-height:1.5;overflow-wrap:anywhere}
a{color:inherit;text-decoration:none}
a.link{color:#165DFF}
header.top{background:#1D2129;color:#fff;padding:12px 16px;display:flex;flex-wrap:wrap;gap:4px 16px;align-items:baseline}
header.top h1{font-size:20px;margin:0;font-weight:600}
header.top .sub{color:#C9CDD4;font-size:13px}
header.top nav{margin-left:auto;font-size:14px}
header.top nav a{color:#94BFFF;margin-left:12px}
main{padding:12px;max-width:1900px;margin:0 auto}
h2{font-size:17px;margin:0 0 8px}
h3{font-size:16px;margin:16px 0 8px;display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}
h3 small{font-weight:400;color:#4E5969;font-size:13px}
.counts{display:grid;grid-template-columns:repeat(5,1fr);gap:8px;margin-bottom:12px}
.count{background:#fff;border-radius:8px;padding:6px 10px;border-left:6px solid var(--c);min-width:0}
.count b{font-size:24px;display:block;line-height:1.2;color:var(--c)}
.count span{font-size:13px;color:#4E5969}
.panel{background:#fff;border-radius:8px;padding:12px;margin-bottom:12px;min-width:0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,290px),1fr));gap:10px}
.metric{background:#fff;border-radius:8px;padding:10px 12px;border-top:4px solid var(--c);display:grid;grid-template-columns:auto minmax(0,1fr) auto;grid-template-areas:"id name badge" "fig fig fig" "bar bar bar" "meta meta meta";column-gap:6px;align-items:start;min-width:0}
.metric:hover{box-shadow:0 2px 8px rgba(0,0,0,.12)}
.metric .id{grid-area:id;color:#86909C;font-variant-numeric:tabular-nums}
.metric .name{grid-area:name;font-weight:600;min-width:0}
.metric .badge{grid-area:badge}
.metric .fig{grid-area:fig}
.metric .bar{grid-area:bar}
.metric .meta{grid-area:meta}
.badge{font-size:12px;color:#fff;background:var(--c);border-radius:10px;padding:1px 8px;white-space:nowrap;align-self:center}
.fig{margin-top:4px;font-variant-numeric:tabular-nums}
.fig .value{font-size:22px;font-weight:700;color:var(--c)}
.fig .pct{margin-left:6px;font-weight:600}
.bar{display:block;position:relative;height:8px;background:#E5E6EB;border-radius:4px;margin:6px 0}
.bar.none{background:none}
.bar i{position:absolute;left:0;top:0;bottom:0;border-radius:4px;background:var(--c)}
.bar s{position:absolute;top:-4px;bottom:-4px;width:2px;margin-left:-1px;background:#1D2129}
.meta{font-size:13px;color:#4E5969}
.stale{color:#F53F3F;font-weight:600}
.legend{font-size:13px;color:#4E5969;margin:4px 0 0}
.legend s{display:inline-block;width:2px;height:12px;background:#1D2129;vertical-align:middle;margin:0 4px}
.list{margin:0;padding-left:20px}
.list li{margin:2px 0}
.tw{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #E5E6EB;padding:4px 6px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left;position:sticky;left:0;background:#fff}
thead th{background:#F7F8FA;position:sticky;top:0}
td .hb{display:inline-block;height:8px;background:#3370FF;border-radius:2px;vertical-align:middle}
svg{display:block;width:100%;height:auto}
.big{display:flex;flex-wrap:wrap;gap:8px 24px;align-items:baseline}
.big .value{font-size:34px}
footer{color:#86909C;font-size:12px;padding:8px 16px 24px;text-align:center}
.denied{max-width:560px;margin:12vh auto;background:#fff;border-radius:8px;padding:24px}
.denied h1{font-size:20px;margin:0 0 12px}
.chart svg{max-width:900px}
.narrow{max-width:720px}
@media (min-width:1500px){
  body{font-size:14px}
  .wall{display:grid;grid-template-columns:minmax(0,480px) minmax(0,1fr);gap:12px;align-items:start}
  .projects{columns:2;column-gap:12px}
  .proj{break-inside:avoid;background:#fff;border-radius:8px;padding:4px 10px 6px;margin-bottom:10px}
  .proj h3{margin:4px 0}
  .proj .grid{display:block}
  .proj .metric{border-top:0;border-left:4px solid var(--c);border-radius:0;padding:2px 6px;margin:2px 0;grid-template-columns:36px minmax(0,1fr) minmax(170px,auto) 90px 64px;grid-template-areas:"id name fig bar badge" "id meta meta meta meta";column-gap:8px;align-items:center}
  .proj .metric:hover{box-shadow:none;background:#F7F8FA}
  .proj .fig{margin:0;text-align:right;white-space:nowrap}
  .proj .fig .value{font-size:17px}
  .proj .bar{margin:0}
  .proj .badge{justify-self:end}
  .proj .meta{font-size:12px;color:#86909C}
}
@media (max-width:480px){
  .counts{grid-template-columns:repeat(3,1fr)}
  .count b{font-size:20px}
  header.top nav{margin-left:0}
}
`;

export function page(opts: {
  title: string;
  heading: string;
  sub?: string;
  nav?: string;
  body: string;
  footer?: string;
}): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><title>${esc(opts.title)}</title><style>${CSS}</style></head>
<body><header class="top"><h1>${esc(opts.heading)}</h1>${opts.sub ? `<span class="sub">${esc(opts.sub)}</span>` : ''}${opts.nav ? `<nav>${opts.nav}</nav>` : ''}</header>
<main>${opts.body}</main>
<footer>${opts.footer ?? '数据与周报同源：每项指标取截至当日的最新报送（更正后）；序时进度按时间均匀推进计算。'}</footer>
</body></html>`;
}
