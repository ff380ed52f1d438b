import type { Metric } from '../catalog/Catalog.js';
import { COUNT_NOUNS, parseUnit } from '../catalog/units.js';
import { STATUS_LABEL, type MetricProgress, type Status } from '../progress/types.js';
import { colored } from './kit.js';

// Wording shared by the cards: numbers, modes, scopes, statuses and one-line progress.

export const MILESTONE_LABEL = { done: '已完成', in_progress: '推进中', not_started: '未开始' } as const;

export function num(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const r = Math.round(n * 10000) / 10000;
  return r.toLocaleString('en-US', { maximumFractionDigits: 4 });
}

export function pct(share: number | null | undefined): string {
  if (share === null || share === undefined) return '—';
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

export function modeLabel(mode: 'cumulative' | 'increment'): string {
  return mode === 'cumulative' ? '累计' : '新增';
}

/**
 * The mode word as people read it before a figure: 累计/新增 for counts only. A rate or a level is a
 * state (82%, not 累计 82 %) and a milestone is a status (已完成, not 累计 已完成).
 */
export function modeWord(m: Pick<Metric, 'kind'>, mode: 'cumulative' | 'increment'): string {
  return m.kind === 'count' ? `${modeLabel(mode)} ` : '';
}

function withUnit(value: number, unit: string): string {
  return unit === '%' || unit === '％' ? `${num(value)}%` : `${num(value)} ${unit}`.trim();
}

/**
 * A figure in the words people count in: a metric kept in 万个 shows 3,150 个（0.315 万个） rather
 * than 0.315 万个 alone, while 1.53 万个 stays as it is. The stored unit never changes; this is
 * only how it reads.
 */
export function amount(m: Pick<Metric, 'unit'>, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const unit = m.unit ?? '';
  const u = parseUnit(unit);
  const counted = u && u.factor > 1 && (COUNT_NOUNS as readonly string[]).includes(u.base);
  if (!counted || Math.abs(value) >= 1) return withUnit(value, unit);
  const base = Math.round(value * u.factor * 10000) / 10000;
  return `${num(base)} ${u.base}（${withUnit(value, unit)}）`;
}

export function scopeLabel(scope: string): string {
  return scope === 'city' ? '全市' : scope;
}

export function metricLabel(m: Pick<Metric, 'id' | 'name' | 'measure'>): string {
  return `${m.id} ${m.name}${m.measure ? `（${m.measure}）` : ''}`;
}

const STATUS_COLOR: Record<Status, 'green' | 'red' | 'orange' | 'grey' | 'blue'> = {
  done: 'green',
  on_track: 'blue',
  lagging: 'orange',
  severe: 'red',
  no_data: 'grey',
};

export function statusText(s: Status): string {
  return colored(STATUS_LABEL[s], STATUS_COLOR[s]);
}

/** "1,530 / 1,835 个", "9,900 个（0.99 万个）/ 1.1 万个". */
export function ofTarget(m: Pick<Metric, 'unit'>, value: number, target: number): string {
  const v = amount(m, value);
  return v === withUnit(value, m.unit ?? '')
    ? `${num(value)} / ${withUnit(target, m.unit ?? '')}`
    : `${v} / ${amount(m, target)}`;
}

/** "1,530 / 1,835 个（83.4%）· 正常（序时 82.0%）" */
export function progressLine(m: Metric, p: MetricProgress): string {
  if (m.kind === 'milestone') {
    return `${p.milestone ? MILESTONE_LABEL[p.milestone] : '未报送'} · ${statusText(p.status)}`;
  }
  const state =
    p.value === null ? '未报送' : m.target !== undefined ? ofTarget(m, p.value, m.target) : amount(m, p.value);
  const share = p.share !== null ? `（${pct(p.share)}）` : '';
  const src = p.source === 'districts' ? '（区县合计）' : '';
  const expected =
    p.status === 'done'
      ? ''
      : m.kind === 'count'
        ? `，序时 ${pct(p.expectedShare)}`
        : m.kind === 'level' && p.value !== null
          ? '，按目标值判断'
          : '';
  return `${state}${share}${src} · ${statusText(p.status)}${expected}`;
}
