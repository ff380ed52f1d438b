import type { Status } from '../progress/types.js';

/** A figure as people write it: at most 2 decimals, no trailing zeros. */
export function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export function signed(n: number): string {
  return n > 0 ? `+${fmt(n)}` : fmt(n);
}

/** '2024-10-28' → '10月28日'. */
export function md(date: string): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** Font colours in card markdown, per status. */
export const STATUS_COLOR: Record<Status, string> = {
  done: 'blue',
  on_track: 'green',
  lagging: 'orange',
  severe: 'red',
  no_data: 'grey',
};

/** Header templates by the worst status. */
export const STATUS_TEMPLATE: Record<Status, 'blue' | 'green' | 'orange' | 'red' | 'grey'> = {
  done: 'blue',
  on_track: 'green',
  lagging: 'orange',
  severe: 'red',
  no_data: 'grey',
};

export const MILESTONE_LABEL: Record<'done' | 'in_progress' | 'not_started', string> = {
  done: '已完成',
  in_progress: '推进中',
  not_started: '未启动',
};

/** A short name of a project for a chart axis: its number and the first words of its name. */
export function shortProject(no: number, name: string): string {
  const n = name.replace(/^(实施|推进|开展|建设|发展)/, '').replace(/["“”]/g, '');
  return `${no} ${n.slice(0, 6)}`;
}
