// Fullwidth forms → ASCII, one UTF-16 unit for one, so offsets into the normalised text are offsets
// into the original (spans stay valid). The Chinese comma ， (U+FF0C) and other clause punctuation
// are left alone on purpose: a ， is never a thousands separator.

const KEEP = new Set([0xff0c, 0xff1b, 0xff1a, 0xff08, 0xff09, 0xff01, 0xff1f]);

const NEEDS = /[\uff01-\uff5e\u3000A-Z]/;

export function normalize(text: string): string {
  if (!NEEDS.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e && !KEEP.has(c)) c -= 0xfee0;
    else if (c === 0x3000) c = 0x20;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    out += String.fromCharCode(c);
  }
  return out;
}

// Invisible format characters pasted from documents and web pages (zero-width space, word joiner,
// soft hyphen, BOM, zero-width (non-)joiners) carry no text: they are removed wherever they are, so a
// number split by one is read whole. Wide spaces (NBSP, thin and narrow spaces, figure space) are
// removed between digits (1 203 is a grouping) and become a plain space elsewhere.
const FORMAT = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0x00ad, 0xfeff, 0x180e]);
const WIDE_SPACE = new Set([
  0x00a0, 0x2007, 0x2009, 0x200a, 0x202f, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2008, 0x205f,
]);
const HAS_FORMAT = /[\u200b-\u200d\u2060\u00ad\ufeff\u180e\u00a0\u2002-\u200a\u202f\u205f]/;
const isDigitCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19);

export interface Normalized {
  t: string;
  /** orig[i] is the offset in the original text of t[i] (orig[t.length] = text.length); absent when 1:1. */
  orig?: Int32Array;
}

// Typing slips: a plain space inside Chinese (口袋 公园, 老旧 小区) is removed (not one right after a
// figure, which separates items), and one between a
// group of 1-3 digits and exactly three more (1 790个) is a thousands grouping, never a cut that
// drops the leading digits.
const isCjkCode = (c: number): boolean => c >= 0x4e00 && c <= 0x9fff;
const SLIP = /[\u4e00-\u9fff] +[\u4e00-\u9fff]|(?:^|[^\d.])\d{1,3} \d{3}(?![\d.])/;

function slipSpace(text: string, i: number): boolean {
  let a = i;
  while (a > 0 && text.charCodeAt(a - 1) === 0x20) a--;
  let b = i;
  while (b < text.length && text.charCodeAt(b) === 0x20) b++;
  const p = text.charCodeAt(a - 1);
  const n = text.charCodeAt(b);
  // 口袋公园96个 适老化公园64个: a space after a figure (a digit within its last three characters)
  // separates two items; removing it would make the next item the figure's noun.
  if (isCjkCode(p) && isCjkCode(n)) return !/\d/.test(text.slice(Math.max(0, a - 4), a));
  if (b - a !== 1 || !isDigitCode(p) || !isDigitCode(n)) return false;
  let d0 = a;
  while (d0 > 0 && isDigitCode(text.charCodeAt(d0 - 1))) d0--;
  if (a - d0 > 3 || text.charAt(d0 - 1) === '.') return false;
  let d1 = b;
  while (d1 < text.length && isDigitCode(text.charCodeAt(d1))) d1++;
  return d1 - b === 3 && text.charAt(d1) !== '.';
}

/** normalize, also removing format characters; offsets map back to the original through `orig`. */
export function normalizeMapped(text: string): Normalized {
  const slips = SLIP.test(text);
  if (!slips && !HAS_FORMAT.test(text)) return { t: normalize(text) };
  let kept = '';
  const orig = new Int32Array(text.length + 1);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (FORMAT.has(c)) continue;
    if (c === 0x20 && slips && slipSpace(text, i)) continue;
    if (WIDE_SPACE.has(c)) {
      let k = i + 1;
      while (k < text.length && (FORMAT.has(text.charCodeAt(k)) || WIDE_SPACE.has(text.charCodeAt(k)))) k++;
      const prev = kept.charCodeAt(kept.length - 1);
      if (isDigitCode(prev) && isDigitCode(text.charCodeAt(k))) continue;
      orig[n++] = i;
      kept += ' ';
      continue;
    }
    orig[n++] = i;
    kept += text.charAt(i);
  }
  orig[n] = text.length;
  return { t: normalize(kept), orig: orig.subarray(0, n + 1) };
}
