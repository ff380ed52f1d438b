// Dates as report messages state them, resolved against the message date (never the clock):
// 截至10月底 → 10-31, 截至7月10日, 1-8月 → 08-31, 上半年 → 06-30, 前11个月 → 11-30, 前三季度 → 09-30.

export interface DateMention {
  start: number;
  end: number;
  /** The as-of date the expression names. */
  asOf: string;
  /** True for expressions that state a running total (截至…, 1-8月, 上半年, 前N个月). */
  cumulative: boolean;
  /** True for one month named as a period (10月份): what was done in it, an increment. */
  period?: boolean;
}

const CN_MONTH: Array<[string, number]> = [
  ['十二', 12], ['十一', 11], ['十', 10], ['一', 1], ['二', 2], ['三', 3], ['四', 4], ['五', 5], ['六', 6],
  ['七', 7], ['八', 8], ['九', 9],
];
const CN_SMALL: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const DASHES = '-—–~～至到';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** An ISO date from parts; a year not stated is the message's, or the one before when that would be far in the future. */
export function isoDate(month: number, day: number | 'end', messageDate: string, year?: number): string | undefined {
  if (month < 1 || month > 12) return undefined;
  const msgYear = Number(messageDate.slice(0, 4));
  let y = year ?? msgYear;
  const d = day === 'end' ? daysInMonth(y, month) : day;
  if (d < 1 || d > daysInMonth(y, month)) return undefined;
  let iso = `${y}-${pad(month)}-${pad(d)}`;
  if (year === undefined && monthsBetween(messageDate, iso) > 2) {
    y -= 1;
    iso = `${y}-${pad(month)}-${pad(day === 'end' ? daysInMonth(y, month) : d)}`;
  }
  return iso;
}

function monthsBetween(a: string, b: string): number {
  return (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
}

/** Reads a small number (1-31) ending exactly at `end` (exclusive); returns [value, start]. */
function smallBefore(t: string, end: number): [number, number] | undefined {
  let k = end;
  while (k > 0 && k > end - 2 && isDigit(t.charAt(k - 1))) k--;
  if (k < end) {
    if (k > 0 && isDigit(t.charAt(k - 1))) return undefined;
    return [Number(t.slice(k, end)), k];
  }
  for (const [w, v] of CN_MONTH) if (end - w.length >= 0 && t.startsWith(w, end - w.length)) return [v, end - w.length];
  return undefined;
}

/** Reads a day (1-31) at i followed by 日 or 号; returns [day, end]. */
function dayAt(t: string, i: number): [number, number] | undefined {
  let k = i;
  while (k < t.length && k < i + 2 && isDigit(t.charAt(k))) k++;
  let day: number | undefined;
  if (k > i) day = Number(t.slice(i, k));
  else {
    // 十五 / 二十 / 三十一 / 五
    let v = 0;
    let seen = false;
    while (k < t.length && k < i + 3) {
      const c = t.charAt(k);
      const n = CN_SMALL[c];
      if (n === undefined) break;
      if (n === 10) v = (v === 0 ? 1 : v) * 10;
      else v += n;
      seen = true;
      k++;
    }
    if (seen) day = v;
  }
  if (day === undefined) return undefined;
  const c = t.charAt(k);
  return c === '日' || c === '号' ? [day, k + 1] : undefined;
}

function yearBefore(t: string, end: number): [number, number] | undefined {
  if (t.charAt(end - 1) !== '年') return undefined;
  const s = end - 5;
  if (s < 0) return undefined;
  const y = t.slice(s, end - 1);
  return /^\d{4}$/.test(y) ? [Number(y), s] : undefined;
}

const CUM_BEFORE = ['截至到', '截止到', '截止', '截至', '到', '至'];

/** Every date expression in the (normalised) text, in order. */
export function scanDates(t: string, messageDate: string): DateMention[] {
  const out: DateMention[] = [];
  let from = 0;
  for (;;) {
    const k = t.indexOf('月', from);
    if (k < 0) break;
    from = k + 1;
    const m = smallBefore(t, k);
    if (!m) continue;
    let [month, start] = m;
    let year: number | undefined;
    let cumulative = false;
    const y = yearBefore(t, start);
    if (y) { year = y[0]; start = y[1]; }
    // 1-8月, 1至8月, 1月-8月, 一至八月: a range from January
    const dash = t.charAt(start - 1);
    if (start > 0 && DASHES.includes(dash)) {
      let p = start - 1;
      if (t.charAt(p - 1) === '月') p--;
      const first = smallBefore(t, p);
      if (first && first[0] === 1) {
        start = first[1];
        const y2 = yearBefore(t, start);
        if (y2) { year = y2[0]; start = y2[1]; }
        cumulative = true;
      }
    }
    for (const w of CUM_BEFORE) {
      if (start >= w.length && t.startsWith(w, start - w.length)) {
        start -= w.length;
        cumulative = true;
        break;
      }
    }
    let end = k + 1;
    let day: number | 'end' | undefined;
    const next = t.charAt(end);
    if (next === '底' || next === '末') { day = 'end'; end++; }
    else if (next === '份') { end++; day = 'end'; }
    else {
      const d = dayAt(t, end);
      if (d) { day = d[0]; end = d[1]; }
      else if (cumulative) day = 'end';
    }
    if (day === undefined) continue;
    const asOf = isoDate(month, day, messageDate, year);
    if (!asOf) continue;
    out.push({ start, end, asOf, cumulative, ...(!cumulative && next === '份' ? { period: true } : {}) });
    from = end;
  }
  for (const [word, month] of PERIODS) {
    let f = 0;
    for (;;) {
      const k = t.indexOf(word, f);
      if (k < 0) break;
      f = k + word.length;
      const asOf = isoDate(month, 'end', messageDate);
      if (asOf) out.push({ start: k, end: k + word.length, asOf, cumulative: true });
    }
  }
  // 前N个月 / 前N月
  let f = 0;
  for (;;) {
    const k = t.indexOf('前', f);
    if (k < 0) break;
    f = k + 1;
    let j = k + 1;
    let n: number | undefined;
    if (isDigit(t.charAt(j))) {
      let e = j;
      while (e < j + 2 && isDigit(t.charAt(e))) e++;
      n = Number(t.slice(j, e));
      j = e;
    } else {
      for (const [w, v] of CN_MONTH) if (t.startsWith(w, j)) { n = v; j += w.length; break; }
    }
    if (n === undefined) continue;
    if (t.charAt(j) === '个') j++;
    if (t.charAt(j) !== '月') continue;
    const asOf = isoDate(n, 'end', messageDate);
    if (asOf) out.push({ start: k, end: j + 1, asOf, cumulative: true });
  }
  return out.sort((a, b) => a.start - b.start);
}

const PERIODS: Array<[string, number]> = [
  ['上半年', 6], ['前三季度', 9], ['前3季度', 9], ['三季度末', 9], ['3季度末', 9], ['一季度', 3], ['1季度', 3],
  ['前两季度', 6], ['二季度末', 6], ['2季度末', 6],
];
