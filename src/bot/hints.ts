import type { Catalog, Metric } from '../catalog/Catalog.js';

function sampleValue(m: Metric, share: number): string {
  const v = (m.target ?? 100) * share;
  // Things counted one by one (个, 所, 人) are whole numbers; 万个, 公里, % may have decimals.
  if (/^[个座所家人户台名次]/.test(m.unit ?? '') && !/^万/.test(m.unit ?? ''))
    return String(Math.max(1, Math.round(v)));
  return String(Number(v.toPrecision(2)));
}

/**
 * Two example reports built from the organisation's own metrics (a 区县's are its district's), so
 * the hint shows something the sender could actually send. Both parse back to those metrics (a test
 * checks it).
 */
export function examplesFor(catalog: Catalog, org: string | undefined, date: string): string[] {
  const mine = org ? catalog.metricsOf(org) : catalog.metrics;
  const counts = mine.filter((m) => m.kind === 'count' && m.unit);
  const levels = mine.filter((m) => m.kind === 'level' && m.unit);
  // A unit with no count metric (市市场监管局: rates and milestones only) gets its rates.
  const a = counts[0] ?? levels[0] ?? catalog.metrics.find((m) => m.kind === 'count')!;
  const b = counts[1] ?? levels.find((m) => m !== a) ?? a;
  const [, mo, d] = date.split('-').map(Number);
  const name = (m: Metric) =>
    `${m.name}${m.measure && m.measure !== '个数' && !m.name.includes(m.measure) ? m.measure : ''}`;
  const first =
    a.kind === 'level'
      ? `${name(a)}达到${sampleValue(a, 0.9)}${a.unit ?? ''}`
      : `本周${/^新/.test(a.name) ? '' : '新增'}${name(a)}${sampleValue(a, 0.02)}${a.unit ?? ''}`;
  return [first, `截至${mo}月${d}日，${name(b)}累计${sampleValue(b, 0.6)}${b.unit ?? ''}`];
}

export function notUnderstoodText(catalog: Catalog, org: string | undefined, date: string): string {
  const [e1, e2] = examplesFor(catalog, org, date);
  return `没有看懂这条消息里的数据。可以这样发：\n· ${e1}\n· ${e2}\n也可以用指标编号，例如「${catalog.metricsOf(org ?? '')[0]?.id ?? '1-1'} 数值」。发送「/帮助」查看全部命令。`;
}

export function howToBindText(): string {
  return '你还没有绑定单位，暂时不能报送。请发送「/绑定 单位名称」，例如「/绑定 市住房城乡建委」或「/绑定 渝中区」，管理员批准后即可报送。';
}
