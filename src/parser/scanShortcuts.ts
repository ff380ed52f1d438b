import { STATUS_WORDS } from './cues.js';
import type { CompiledCatalog } from './match.js';
import { readNumber } from './numerals.js';
import { readUnit } from './readUnit.js';
import { isDigit } from './chars.js';

// The metric-id shortcut: "1-1：1402", "1-2 4011", "5-2=2.6万个", "5-1：已印发". The value is in the
// metric's own unit unless a unit is written; mode is cumulative.

export interface Shortcut {
  metric: string;
  start: number;
  end: number;
  /** The number; with `base` set it is in that base unit, else in the metric's unit. */
  value?: number;
  base?: string;
  approximate?: boolean;
  /** 1-1：-12: a leading minus; never a figure. */
  negative?: boolean;
  status?: 'done' | 'in_progress' | 'not_started';
  statusWord?: string;
}

export function scanShortcuts(t: string, cc: CompiledCatalog, blocked: Uint8Array): Shortcut[] {
  const out: Shortcut[] = [];
  let from = 0;
  for (;;) {
    const dash = t.indexOf('-', from);
    if (dash < 0) break;
    from = dash + 1;
    let a = dash;
    while (a > 0 && a > dash - 2 && isDigit(t.charAt(a - 1))) a--;
    let b = dash + 1;
    while (b < t.length && b < dash + 3 && isDigit(t.charAt(b))) b++;
    if (
      a === dash ||
      b === dash + 1 ||
      blocked[a] ||
      isDigit(t.charAt(a - 1)) ||
      t.charAt(a - 1) === '-' ||
      t.charAt(a - 1) === '.'
    )
      continue;
    if (isDigit(t.charAt(b))) continue;
    const id = t.slice(a, b);
    if (!cc.ids.has(id)) continue;
    // separator: ： : = or spaces
    let j = b;
    let sep = false;
    while (j < t.length && j < b + 4 && ' \t：:=＝'.includes(t.charAt(j))) {
      j++;
      sep = true;
    }
    if (!sep) continue;
    for (const [w, status] of STATUS_WORDS) {
      if (t.startsWith(w, j)) {
        out.push({ metric: id, start: a, end: j + w.length, status, statusWord: w });
        break;
      }
    }
    if (out.length && out[out.length - 1]!.start === a) {
      from = out[out.length - 1]!.end;
      continue;
    }
    let approximate = false;
    let negative = false;
    if (t.charAt(j) === '-' || t.charAt(j) === '−') {
      negative = true;
      j++;
    }
    if (t.charAt(j) === '约') {
      approximate = true;
      j++;
    }
    const n = readNumber(t, j);
    if (!n) continue;
    let end = n.end;
    if ('余多'.includes(t.charAt(end)) && end < t.length) {
      approximate = true;
      end++;
    }
    const next = t.charAt(end);
    if ('年月日号'.includes(next) && next !== '') continue;
    const unit = readUnit(t, end);
    const s: Shortcut = { metric: id, start: a, end: unit ? unit.end : end, value: n.value };
    if (unit) {
      s.value = Number((n.value * unit.factor).toPrecision(12));
      s.base = unit.base;
    }
    if (approximate) s.approximate = true;
    if (negative) s.negative = true;
    out.push(s);
    from = s.end;
  }
  return out;
}
