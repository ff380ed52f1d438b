// Dates as report messages state them, resolved against the message date (never the clock):
// 截至10月底 → 10-31, 截至7月10日, 1-8月 → 08-31, 上半年 → 06-30, 前11个月 → 11-30, 前三季度 → 09-30.

import { readUnit } from './readUnit.js';
import { isDigit } from './chars.js';

export interface DateMention {
  start: number;
  end: number;
  /** The as-of date the expression names. */
  asOf: string;
  /** True for expressions that state a running total (截至…, 1-8月, 上半年, 前N个月). */
  cumulative: boolean;
  /**
   * True for a period named as such: one month (10月份, 上月), a week (上周), a day with 新增 or 又
   * (10月9日新增), a range (10月14日至18日). What was done in it: an increment as of its end.
   */
  period?: boolean;
}

const CN_MONTH: Array<[string, number]> = [
  ['十二', 12],
  ['十一', 11],
  ['十', 10],
  ['一', 1],
  ['二', 2],
  ['三', 3],
  ['四', 4],
  ['五', 5],
  ['六', 6],
  ['七', 7],
  ['八', 8],
  ['九', 9],
];
const CN_SMALL: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const DASHES = '-—–~～至到';

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

/** Words right after a day's date that make it the period of an increment (10月9日新增). */
const DAY_PERIOD = ['新增', '又', '当天', '当日', '单日', '一天'];

/** The end of a day range after a day's date ending at i: 至18日 / -6日 / 至10月18日 → [month, day, end]. */
function rangeEnd(t: string, i: number, month: number): [number, number, number] | undefined {
  if (!DASHES.includes(t.charAt(i)) || i >= t.length) return undefined;
  let j = i + 1;
  let m = month;
  const mo = monthAt(t, j);
  if (mo) {
    m = mo[0];
    j = mo[1];
  }
  const d = dayAt(t, j);
  return d ? [m, d[0], d[1]] : undefined;
}

/** A month (1-12) at i followed by 月: [month, end after 月]. */
function monthAt(t: string, i: number): [number, number] | undefined {
  let k = i;
  while (k < t.length && k < i + 2 && isDigit(t.charAt(k))) k++;
  if (k > i && t.charAt(k) === '月') return [Number(t.slice(i, k)), k + 1];
  for (const [w, v] of CN_MONTH)
    if (t.startsWith(w, i) && t.charAt(i + w.length) === '月') return [v, i + w.length + 1];
  return undefined;
}

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
    if (y) {
      year = y[0];
      start = y[1];
    }
    // 1-8月, 1至8月, 1月-8月, 一至八月: a range from January
    const dash = t.charAt(start - 1);
    if (start > 0 && DASHES.includes(dash)) {
      let p = start - 1;
      if (t.charAt(p - 1) === '月') p--;
      const first = smallBefore(t, p);
      if (first && first[0] === 1) {
        start = first[1];
        const y2 = yearBefore(t, start);
        if (y2) {
          year = y2[0];
          start = y2[1];
        }
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
    let period = false;
    const next = t.charAt(end);
    if (next === '底' || next === '末') {
      day = 'end';
      end++;
    } else if (next === '份') {
      end++;
      day = 'end';
      period = !cumulative;
    } else {
      const d = dayAt(t, end);
      if (d) {
        day = d[0];
        end = d[1];
      } else if (cumulative) day = 'end';
    }
    if (day === undefined) {
      // 8-10月 / 8至10月: a range of months not from January, a period ending with its last month.
      if (!cumulative && start > 0 && DASHES.includes(t.charAt(start - 1))) {
        const first = smallBefore(t, t.charAt(start - 2) === '月' ? start - 2 : start - 1);
        if (first && first[0] < month) {
          const asOf = isoDate(month, 'end', messageDate, year);
          if (asOf) {
            out.push({ start: first[1], end, asOf, cumulative: false, period: true });
            from = end;
          }
        }
      }
      continue;
    }
    if (typeof day === 'number' && !cumulative) {
      // 10月14日至18日 / 9月2日-6日 / 10月14日至10月18日: a period dated its last day.
      const range = rangeEnd(t, end, month);
      if (range) {
        month = range[0];
        day = range[1];
        end = range[2];
        period = true;
      }
      // 10月9日新增… / 6月3日又…: what was done that day.
      else if (DAY_PERIOD.some((w) => t.startsWith(w, end))) period = true;
    }
    const asOf = isoDate(month, day, messageDate, year);
    if (!asOf) continue;
    out.push({ start, end, asOf, cumulative, ...(period ? { period: true } : {}) });
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
      for (const [w, v] of CN_MONTH)
        if (t.startsWith(w, j)) {
          n = v;
          j += w.length;
          break;
        }
    }
    if (n === undefined) continue;
    if (t.charAt(j) === '个') j++;
    if (t.charAt(j) !== '月') continue;
    const asOf = isoDate(n, 'end', messageDate);
    if (asOf) out.push({ start: k, end: j + 1, asOf, cumulative: true });
  }
  relativeDates(t, messageDate, out);
  slashDates(t, messageDate, out);
  yearEnds(t, messageDate, out);
  return dedupe(out.sort((a, b) => a.start - b.start || b.end - a.end));
}

/** Overlapping mentions: the first (longest at a start) wins, so 截至上周五 is not also 上周. */
function dedupe(sorted: DateMention[]): DateMention[] {
  const out: DateMention[] = [];
  let end = -1;
  for (const d of sorted) {
    if (d.start < end) continue;
    out.push(d);
    end = d.end;
  }
  return out;
}

/** The cumulative word ending at i (截至, 截止, 到…), or undefined. */
function cumBefore(t: string, i: number): string | undefined {
  return CUM_BEFORE.find((w) => i >= w.length && t.startsWith(w, i - w.length));
}

function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Monday = 0 … Sunday = 6. */
function weekday(iso: string): number {
  return (new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7;
}

const WEEKDAY: Record<string, number> = {
  一: 0,
  二: 1,
  三: 2,
  四: 3,
  五: 4,
  六: 5,
  日: 6,
  天: 6,
  '1': 0,
  '2': 1,
  '3': 2,
  '4': 3,
  '5': 4,
  '6': 5,
  '7': 6,
};
const WEEK_WORDS: Array<[string, number]> = [
  ['上周', -1],
  ['上星期', -1],
  ['本周', 0],
  ['这周', 0],
];
const DAY_WORDS: Array<[string, number]> = [
  ['大前天', -3],
  ['前天', -2],
  ['昨天', -1],
  ['昨日', -1],
  ['今天', 0],
  ['今日', 0],
];

/**
 * Dates relative to the message date: 前天, 昨天, 今天 (a day); 上周 (the week before this one, as
 * of its Sunday); 上周三, 本周一 (a day); 上月, 上个月 (as of its last day). After 截至/截止 they
 * state a running total; on their own they are the period of an increment.
 */
function relativeDates(t: string, messageDate: string, out: DateMention[]): void {
  const push = (start: number, end: number, asOf: string): void => {
    const cum = cumBefore(t, start);
    out.push(
      cum
        ? { start: start - cum.length, end, asOf, cumulative: true }
        : { start, end, asOf, cumulative: false, period: true },
    );
  };
  for (const [w, n] of DAY_WORDS) {
    for (let k = t.indexOf(w); k >= 0; k = t.indexOf(w, k + w.length)) {
      if (w.length === 2 && t.charAt(k - 1) === '大' && w === '前天') continue;
      push(k, k + w.length, addDays(messageDate, n));
    }
  }
  let monday: string | undefined;
  for (const [w, weeks] of WEEK_WORDS) {
    for (let k = t.indexOf(w); k >= 0; k = t.indexOf(w, k + w.length)) {
      const end = k + w.length;
      // 这周3个, 上周2家: a digit running on into a number or a unit is a count, not a weekday.
      const n1 = t.charAt(end + 1);
      const counted = n1 !== '' && (isDigit(n1) || '.万多余来'.includes(n1) || readUnit(t, end + 1) !== undefined);
      const wd = counted ? undefined : WEEKDAY[t.charAt(end)];
      if (wd === undefined && weeks === 0) continue;
      monday ??= addDays(messageDate, -weekday(messageDate));
      // 本周一共… is "in all this week", not Monday.
      if (wd !== undefined && !(t.charAt(end) === '一' && t.charAt(end + 1) === '共'))
        push(k, end + 1, addDays(monday, weeks * 7 + wd));
      else if (weeks === -1) push(k, end, addDays(monday, -1));
    }
  }
  // 今年: this year so far, as of the message date; it also ends the reach of an earlier year's date.
  for (let k = t.indexOf('今年'); k >= 0; k = t.indexOf('今年', k + 2))
    out.push({ start: k, end: k + 2, asOf: messageDate, cumulative: true });
  for (const w of ['上个月', '上月']) {
    for (let k = t.indexOf(w); k >= 0; k = t.indexOf(w, k + w.length)) {
      const m = Number(messageDate.slice(5, 7));
      const y = Number(messageDate.slice(0, 4));
      const asOf = m === 1 ? `${y - 1}-12-31` : isoDate(m - 1, 'end', messageDate, y);
      if (asOf) push(k, k + w.length, asOf);
    }
  }
}

/**
 * 10.31, 10/31, 9.15: a month and a day written with a dot or a slash. A dot is also a decimal point
 * (9.15公里), so a dotted date needs 截至 before it or a clause break / 统计 after it, and neither
 * form may run on into a digit, a unit or 万.
 */
function slashDates(t: string, messageDate: string, out: DateMention[]): void {
  // 2024-10-18, 2024/10/18, 2024.10.18: a full date with its year.
  for (let k = t.indexOf('20'); k >= 0; k = t.indexOf('20', k + 1)) {
    if (isDigit(t.charAt(k - 1)) || !isDigit(t.charAt(k + 2)) || !isDigit(t.charAt(k + 3))) continue;
    const sep = t.charAt(k + 4);
    if (sep !== '-' && sep !== '/' && sep !== '.') continue;
    let j = k + 5;
    const m0 = j;
    while (j < m0 + 2 && isDigit(t.charAt(j))) j++;
    if (j === m0 || t.charAt(j) !== sep) continue;
    const d0 = j + 1;
    let e = d0;
    while (e < d0 + 2 && isDigit(t.charAt(e))) e++;
    if (e === d0 || isDigit(t.charAt(e))) continue;
    const asOf = isoDate(Number(t.slice(m0, j)), Number(t.slice(d0, e)), messageDate, Number(t.slice(k, k + 4)));
    if (!asOf) continue;
    const cum = cumBefore(t, k);
    out.push({
      start: k - (cum?.length ?? 0),
      end: t.charAt(e) === '日' || t.charAt(e) === '号' ? e + 1 : e,
      asOf,
      cumulative: true,
    });
  }
  let skipTo = 0;
  for (const sep of ['.', '/']) {
    skipTo = 0;
    for (let k = t.indexOf(sep); k >= 0; k = t.indexOf(sep, k + 1)) {
      let a = k;
      if (k < skipTo) continue;
      while (a > 0 && a > k - 2 && isDigit(t.charAt(a - 1))) a--;
      let b = k + 1;
      while (b < t.length && b < k + 3 && isDigit(t.charAt(b))) b++;
      if (a === k || b === k + 1) continue;
      const before = t.charAt(a - 1);
      if (isDigit(before) || before === '.' || before === '/' || before === '-' || isDigit(t.charAt(b))) continue;
      const after = t.charAt(b);
      if (
        after === '.' ||
        after === '/' ||
        after === '%' ||
        after === '万' ||
        after === '亿' ||
        after === '个' ||
        /[a-z]/.test(after)
      )
        continue;
      // 绿道 2.5 公里: a number spaced from its unit is still a number, not 2月5日.
      if (after === ' ') {
        let n = b;
        while (t.charAt(n) === ' ') n++;
        if (('%万亿'.includes(t.charAt(n)) && t.charAt(n) !== '') || readUnit(t, n) !== undefined) continue;
      }
      const cum = cumBefore(t, a);
      const month = Number(t.slice(a, k));
      // 11.18-11.22 / 10/14-18: a range, the period of an increment dated its last day.
      const range = !cum && DASHES.includes(after) && after !== '' ? dottedEnd(t, b + 1, sep, month) : undefined;
      if (range) {
        const last = isoDate(range[0], range[1], messageDate);
        if (last) {
          out.push({ start: a, end: range[2], asOf: last, cumulative: false, period: true });
          skipTo = range[2];
          continue;
        }
      }
      if (sep === '.' && !cum && !(after === '' ? false : '，,。；;：: 日号前统止（(\n'.includes(after))) continue;
      const asOf = isoDate(month, Number(t.slice(k + 1, b)), messageDate);
      if (!asOf) continue;
      const end = after === '日' || after === '号' ? b + 1 : b;
      out.push(
        cum ? { start: a - cum.length, end, asOf, cumulative: true } : { start: a, end, asOf, cumulative: true },
      );
    }
  }
}

/** The end of a dotted range after its dash at i: 11.22 or 22 → [month, day, end], not running on into a unit. */
function dottedEnd(t: string, i: number, sep: string, month: number): [number, number, number] | undefined {
  let j = i;
  while (j < t.length && j < i + 2 && isDigit(t.charAt(j))) j++;
  if (j === i) return undefined;
  let m = month;
  let d = Number(t.slice(i, j));
  if (t.charAt(j) === sep && isDigit(t.charAt(j + 1))) {
    let e = j + 1;
    while (e < t.length && e < j + 3 && isDigit(t.charAt(e))) e++;
    m = Number(t.slice(i, j));
    d = Number(t.slice(j + 1, e));
    j = e;
  }
  const after = t.charAt(j);
  if (isDigit(after) || after === '.' || after === '%' || after === '万' || after === '个' || readsAsUnit(after))
    return undefined;
  return [m, d, after === '日' || after === '号' ? j + 1 : j];
}

/** Characters that start a unit of measure: a range of numbers, not of dates (3.5-4.5公里). */
function readsAsUnit(c: string): boolean {
  return c !== '' && '公米平亩座家所台套户人名条处项km'.includes(c);
}

/** 2023年末, 2023年底, 截至2023年底, 去年底: a year's end, a running total as of December 31. */
function yearEnds(t: string, messageDate: string, out: DateMention[]): void {
  for (const w of ['去年底', '去年末', '上年底', '上年末', '前年底', '前年末']) {
    for (let k = t.indexOf(w); k >= 0; k = t.indexOf(w, k + w.length)) {
      const cum = cumBefore(t, k);
      const y = Number(messageDate.slice(0, 4)) - (w.startsWith('前') ? 2 : 1);
      out.push({ start: k - (cum?.length ?? 0), end: k + w.length, asOf: `${y}-12-31`, cumulative: true });
    }
  }
  for (let k = t.indexOf('年'); k >= 0; k = t.indexOf('年', k + 1)) {
    const next = t.charAt(k + 1);
    if (next !== '末' && next !== '底') continue;
    const y = yearBefore(t, k + 1);
    if (!y) continue;
    const cum = cumBefore(t, y[1]);
    out.push({ start: y[1] - (cum?.length ?? 0), end: k + 2, asOf: `${y[0]}-12-31`, cumulative: true });
  }
}

const PERIODS: Array<[string, number]> = [
  ['上半年', 6],
  ['前三季度', 9],
  ['前3季度', 9],
  ['三季度末', 9],
  ['3季度末', 9],
  ['一季度', 3],
  ['1季度', 3],
  ['前两季度', 6],
  ['二季度末', 6],
  ['2季度末', 6],
];
