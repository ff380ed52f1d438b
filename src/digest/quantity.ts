import { fmt } from './format.js';

// A figure with its unit as a person would say it. A remainder of 0.0375万个 reads "375个", not
// "约 0万个": under one 万 the figure is given in the base unit. Paces are rounded up (needing
// 18.2 a week means 19 things), to whole units for things counted one by one.

/** Units measured, not counted: a pace in them keeps two decimals. */
const CONTINUOUS = new Set(['公里', '平方米', '亩', '%', '个/千人']);

function split(v: number, unit: string | null | undefined): { v: number; unit: string } {
  const u = unit ?? '';
  if (u.startsWith('万') && u.length > 1 && v !== 0 && Math.abs(v) < 1) return { v: v * 10000, unit: u.slice(1) };
  return { v, unit: u };
}

/** "1.25万个", "375个", "9.41%". */
export function quantity(value: number, unit: string | null | undefined): string {
  const s = split(value, unit);
  const discrete = !CONTINUOUS.has(s.unit) && s.unit !== unit;
  return `${discrete ? String(Math.round(s.v)) : fmt(s.v)}${s.unit}`;
}

/** A pace, rounded up: "19个", "0.38公里", "188个" (for 0.0188万个). */
export function quantityUp(value: number, unit: string | null | undefined): string {
  const s = split(value, unit);
  if (s.v <= 0) return `0${s.unit}`;
  if (s.unit !== (unit ?? '') || (!CONTINUOUS.has(s.unit) && !(unit ?? '').startsWith('万')))
    return `${Math.ceil(s.v - 1e-9)}${s.unit}`;
  return `${fmt(Math.ceil(s.v * 100 - 1e-9) / 100)}${s.unit}`;
}
