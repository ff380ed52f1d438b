// Reading one number at a position of normalised text: Arabic (with ASCII thousands separators and
// decimals), Chinese numerals (零〇一二…九 两 十百千万亿, 点 for decimals) and mixed forms such as
// 1.1万, 4186万, 1.92亿, 两万三千, 1万2000. Linear scans only: no regex backtracking.

const DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const SMALL: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

export interface NumberToken {
  value: number;
  start: number;
  end: number;
  /** Written (at least partly) in Chinese numerals. */
  chinese: boolean;
  /** The text of the number, as written. */
  raw: string;
}

const isAsciiDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Reads an Arabic number (1,912 / 19600 / 79.6) at i; returns [value, end] or undefined. */
function readArabic(t: string, i: number): [number, number] | undefined {
  let j = i;
  while (j < t.length && isAsciiDigit(t.charCodeAt(j))) j++;
  if (j === i) return undefined;
  let digits = t.slice(i, j);
  // ASCII thousands separators: a first group of 1-3 digits, then ",ddd" groups not followed by a digit.
  if (j - i <= 3) {
    let k = j;
    while (
      t.charCodeAt(k) === 44 &&
      isAsciiDigit(t.charCodeAt(k + 1)) &&
      isAsciiDigit(t.charCodeAt(k + 2)) &&
      isAsciiDigit(t.charCodeAt(k + 3)) &&
      !isAsciiDigit(t.charCodeAt(k + 4))
    ) {
      digits += t.slice(k + 1, k + 4);
      k += 4;
    }
    j = k;
  }
  if (t.charCodeAt(j) === 46 && isAsciiDigit(t.charCodeAt(j + 1))) {
    let k = j + 1;
    while (k < t.length && isAsciiDigit(t.charCodeAt(k))) k++;
    digits += t.slice(j, k);
    j = k;
  }
  return [Number(digits), j];
}

/** Chinese digits after 点: 三点七五 → .75 */
function readChineseFraction(t: string, i: number): [number, number] | undefined {
  let j = i;
  let s = '';
  while (j < t.length) {
    const d = DIGIT[t.charAt(j)];
    if (d === undefined) break;
    s += String(d);
    j++;
  }
  return s ? [Number(`0.${s}`), j] : undefined;
}

/**
 * Reads the number starting exactly at i, or undefined. A run may not start with 百/千/万/亿 (as in
 * 千人, 万州, 百分之), and 千 directly before 米 is the unit 千米, not a multiplier.
 */
export function readNumber(t: string, i: number): NumberToken | undefined {
  const first = t.charAt(i);
  const firstArabic = isAsciiDigit(t.charCodeAt(i));
  if (!firstArabic && DIGIT[first] === undefined && first !== '十') return undefined;
  let result = 0;
  let section = 0;
  let num = 0;
  let lastWasDigit = false;
  let chinese = false;
  let j = i;
  let any = false;
  while (j < t.length) {
    const c = t.charAt(j);
    const code = t.charCodeAt(j);
    if (isAsciiDigit(code)) {
      if (lastWasDigit) break; // "3二" is not a number form
      const a = readArabic(t, j);
      if (!a) break;
      num = a[0];
      j = a[1];
      lastWasDigit = true;
      any = true;
      continue;
    }
    const d = DIGIT[c];
    if (d !== undefined) {
      chinese = true;
      num = lastWasDigit && Number.isInteger(num) ? num * 10 + d : d;
      lastWasDigit = true;
      any = true;
      j++;
      // 三点七五: a decimal written in Chinese
      if (t.charAt(j) === '点') {
        const f = readChineseFraction(t, j + 1);
        if (f) {
          num += f[0];
          j = f[1];
        }
      }
      continue;
    }
    const small = SMALL[c];
    if (small !== undefined) {
      if (c === '千' && t.charAt(j + 1) === '米') break;
      if (!any && c !== '十') break;
      chinese = true;
      section += (lastWasDigit || num !== 0 ? num : 1) * small;
      num = 0;
      lastWasDigit = false;
      any = true;
      j++;
      continue;
    }
    // 1.2w, 3k: chat shorthand for 万 and 千, only right after Arabic digits and not before a
    // letter (3km is kilometres, 5kg a weight). Text is lower-cased by normalize already.
    if (
      (c === 'w' || c === 'k') &&
      lastWasDigit &&
      isAsciiDigit(t.charCodeAt(j - 1)) &&
      !isAsciiLetter(t.charCodeAt(j + 1))
    ) {
      if (c === 'k') {
        section += num * 1e3;
        num = 0;
        lastWasDigit = false;
        j++;
        continue;
      }
      section = (section + num) * 1e4;
      result += section;
      section = 0;
      num = 0;
      lastWasDigit = false;
      j++;
      continue;
    }
    if (c === '万' && any) {
      section = (section + num) * 1e4;
      result += section;
      section = 0;
      num = 0;
      lastWasDigit = false;
      j++;
      continue;
    }
    if (c === '亿' && any) {
      result = (result + section + num) * 1e8;
      section = 0;
      num = 0;
      lastWasDigit = false;
      j++;
      continue;
    }
    break;
  }
  if (!any) return undefined;
  const value = result + section + num;
  // Floating noise from 1.1 × 1e4 and the like: keep 12 significant digits.
  const clean = Number.isInteger(value) ? value : Number(value.toPrecision(12));
  return { value: clean, start: i, end: j, chinese, raw: t.slice(i, j) };
}

const isAsciiLetter = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 65 && code <= 90);

/** True when c can start a number. */
export function canStartNumber(c: string): boolean {
  return (c >= '0' && c <= '9') || DIGIT[c] !== undefined || c === '十';
}

/** Parses a whole string as a number (for tests and small helpers): "两万三千" → 23000. */
export function parseNumeral(s: string): number | undefined {
  const t = s.trim();
  const n = readNumber(t, 0);
  return n && n.end === t.length ? n.value : undefined;
}
