import { canStartNumber, readNumber } from './numerals.js';
import { readUnit } from './readUnit.js';
import { roundValue } from './match.js';

// Numbers with a unit (the only things that can be figures): 1203个, 2.6万个, 约38公里, 百分之八十,
// 8成, 300余人. A number with no unit, a date, money (万元) or an ordinal (第二批) is not a figure.

export interface RawFigure {
  /** Offsets of the figure: from the number (or 百分之) to the end of the unit. */
  start: number;
  end: number;
  /** The number as written (4186 in 4186万平方米 is 41,860,000 before the unit). */
  number: number;
  unitText: string;
  /** The unit's base noun (个, 平方米, 公里, %…). */
  base: string;
  /** number × the unit's factor, in base units. */
  amount: number;
  approximate: boolean;
  raw: string;
}

const APPROX_BEFORE2 = ['超过', '大约', '接近', '将近', '约为'];
const APPROX_BEFORE1 = '约近逾超';
const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** `blocked[i]` is non-zero where a catalog word or a date covers the text: no figure starts there. */
export function scanFigures(t: string, blocked: Uint8Array): RawFigure[] {
  const out: RawFigure[] = [];
  let i = 0;
  while (i < t.length) {
    if (blocked[i]) { i++; continue; }
    const c = t.charAt(i);
    let percentWord = false;
    let numAt = i;
    if (c === '百' && t.startsWith('百分之', i)) { percentWord = true; numAt = i + 3; }
    else if (!canStartNumber(c)) { i++; continue; }
    const tok = readNumber(t, numAt);
    if (!tok) { i = numAt + 1; continue; }
    const next = tok.end > i ? tok.end : i + 1;
    const prev = t.charAt(i - 1);
    // Part of an identifier (g75, s1线) or an ordinal (第二批), or a lone 一 (一个/一家 are words).
    if (isLetter(prev) || isDigit(prev) || prev === '.' || prev === '第' || prev === '每' || ((prev === '数' || prev === '几') && tok.raw.startsWith('十'))
      || (tok.raw === '一' && !percentWord)) { i = next; continue; }
    let j = tok.end;
    let approximate = false;
    if (percentWord) {
      out.push(fig(t, i, j, tok.value, '%', '%', tok.value, approxBefore(t, i)));
      i = j;
      continue;
    }
    if (t.charAt(j) === '余' || t.charAt(j) === '多') { approximate = true; j++; }
    while (t.charAt(j) === ' ' && j < tok.end + 2) j++;
    const after = t.charAt(j);
    if (after === '元' || after === '块' || t.startsWith('美元', j)) { i = next; continue; }
    let unit = readUnit(t, j);
    let amount = tok.value;
    let unitText: string;
    let base: string;
    if (!unit && after === '成' && tok.value <= 10 && !(t.charAt(j + 1) !== '' && '为功果立本员效都就熟交片套绩'.includes(t.charAt(j + 1)))) {
      unitText = '成';
      base = '%';
      amount = tok.value * 10;
      j++;
    } else if (unit) {
      unitText = unit.text;
      base = unit.base;
      amount = unit.factor === 1 ? tok.value : roundValue(tok.value * unit.factor);
      j = unit.end;
    } else { i = next; continue; }
    unit = undefined;
    let end = j;
    for (const w of ['左右', '以上', '多', '余']) if (t.startsWith(w, end)) { approximate = true; end += w.length; break; }
    out.push(fig(t, i, j, tok.value, unitText, base, amount, approximate || approxBefore(t, i)));
    i = end;
  }
  return out;
}

function approxBefore(t: string, i: number): boolean {
  const two = t.slice(Math.max(0, i - 2), i);
  if (APPROX_BEFORE2.includes(two)) return true;
  const one = t.charAt(i - 1);
  if (one === '超' && t.charAt(i - 2) === '额') return false;
  return one !== '' && APPROX_BEFORE1.includes(one);
}

function fig(t: string, start: number, end: number, number: number, unitText: string, base: string, amount: number, approximate: boolean): RawFigure {
  return { start, end, number, unitText, base, amount, approximate, raw: t.slice(start, end) };
}
