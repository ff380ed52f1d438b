import type { Metric } from '../catalog/Catalog.js';
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

export function scopeLabel(scope: string): string {
  return scope === 'city' ? '全市' : scope;
}

export function metricLabel(m: Pick<Metric, 'id' | 'name' | 'measure'>): string {
  return `${m.id} ${m.name}${m.measure ? `（${m.measure}）` : ''}`;
}

const STATUS_COLOR: Record<Status, 'green' | 'red' | 'orange' | 'grey' | 'blue'> = {
  done: 'green', on_track: 'blue', lagging: 'orange', severe: 'red', no_data: 'grey',
};

export function statusText(s: Status): string {
  return colored(STATUS_LABEL[s], STATUS_COLOR[s]);
}

/** "1,530 / 1,835 个（83.4%）· 正常（序时 82.0%）" */
export function progressLine(m: Metric, p: MetricProgress): string {
  if (m.kind === 'milestone') {
    return `${p.milestone ? MILESTONE_LABEL[p.milestone] : '未报送'} · ${statusText(p.status)}`;
  }
  const unit = m.unit ?? '';
  const state = p.value === null ? '未报送' : `${num(p.value)}${m.target !== undefined ? ` / ${num(m.target)}` : ''} ${unit}`;
  const share = p.share !== null ? `（${pct(p.share)}）` : '';
  const src = p.source === 'districts' ? '（区县合计）' : '';
  const expected = p.status === 'done' ? '' : m.kind === 'count' ? `，序时 ${pct(p.expectedShare)}` : m.kind === 'level' && p.value !== null ? '，按目标值判断' : '';
  return `${state}${share}${src} · ${statusText(p.status)}${expected}`;
}
