import { canStartNumber, readNumber } from './numerals.js';
import { readUnit } from './readUnit.js';
import { roundValue } from './match.js';
import { isDigit, isLetter } from './chars.js';

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
  /** No unit written (新增就业残疾人：1650, 窨井盖整治1.3万): a figure only right after a metric word. */
  bare?: boolean;
  /** A leading minus (-5个): never a figure. */
  negative?: boolean;
  /** Digits mixed with look-alike letters (1,7O0个, 2l.5公里): never guessed; number and amount are NaN. */
  unreadable?: boolean;
}

/** Characters after a number that end a label's value (新增托位：7340；…). */
const VALUE_END = new Set([
  '',
  '，',
  ',',
  '。',
  '；',
  ';',
  '、',
  '！',
  '!',
  '？',
  '?',
  '）',
  ')',
  '（',
  '(',
  '\n',
  '\r',
  '|',
  '/',
  ' ',
]);
const LOOKALIKE = new Set(['o', 'l', 'i']);

/**
 * A run of digits with look-alike letters among them (1,7o0 / 1o5 / 2l.5) starting at i and followed
 * by a unit: its end and unit, or undefined. Text is normalised (lower case) already.
 */
function garbled(
  t: string,
  i: number,
): { runEnd: number; hit?: { end: number; unit: NonNullable<ReturnType<typeof readUnit>> } } {
  let j = i;
  let letters = 0;
  let lastDigit = false;
  while (j < t.length) {
    const c = t.charAt(j);
    if (isDigit(c)) {
      lastDigit = true;
      j++;
      continue;
    }
    const n1 = t.charAt(j + 1);
    const runsOn = isDigit(n1) || LOOKALIKE.has(n1) || ((n1 === '.' || n1 === ',') && isDigit(t.charAt(j + 2)));
    if (LOOKALIKE.has(c) && (lastDigit || isDigit(n1)) && runsOn && j > i) {
      letters++;
      lastDigit = false;
      j++;
      continue;
    }
    if ((c === ',' || c === '.') && isDigit(t.charAt(j + 1))) {
      lastDigit = false;
      j++;
      continue;
    }
    break;
  }
  if (!letters || !isDigit(t.charAt(j - 1))) return { runEnd: j };
  const unit = readUnit(t, t.charAt(j) === '万' ? j + 1 : j);
  return unit ? { runEnd: j, hit: { end: unit.end, unit } } : { runEnd: j };
}

const APPROX_BEFORE2 = ['超过', '大约', '接近', '将近', '约为'];
const APPROX_BEFORE1 = '约近逾超';

/** `blocked[i]` is non-zero where a catalog word or a date covers the text: no figure starts there. */
/** `metricStarts[i]` is 1 where a metric's name starts: a unit before it is not rejected by its first word. */
export function scanFigures(t: string, blocked: Uint8Array, metricStarts?: Uint8Array): RawFigure[] {
  const out: RawFigure[] = [];
  let i = 0;
  let cleanUntil = 0;
  while (i < t.length) {
    if (blocked[i]) {
      i++;
      continue;
    }
    const c = t.charAt(i);
    // A run already found free of look-alike letters is not scanned again from inside it (linear).
    if (isDigit(c) && i >= cleanUntil && !isLetter(t.charAt(i - 1)) && !isDigit(t.charAt(i - 1))) {
      const r = garbled(t, i);
      cleanUntil = r.runEnd;
      const g = r.hit;
      if (g) {
        out.push({
          start: i,
          end: g.end,
          number: NaN,
          unitText: t.slice(g.unit.end - g.unit.text.length, g.unit.end),
          base: g.unit.base,
          amount: NaN,
          approximate: false,
          raw: t.slice(i, g.end),
          unreadable: true,
        });
        i = g.end;
        continue;
      }
    }
    let percentWord = false;
    let numAt = i;
    if (c === '百' && t.startsWith('百分之', i)) {
      percentWord = true;
      numAt = i + 3;
    } else if (!canStartNumber(c)) {
      i++;
      continue;
    }
    const tok = readNumber(t, numAt);
    if (!tok) {
      i = numAt + 1;
      continue;
    }
    const next = tok.end > i ? tok.end : i + 1;
    const prev = t.charAt(i - 1);
    // Part of an identifier (g75, s1线) or an ordinal (第二批), or a lone 一 (一个/一家 are words).
    if (
      isLetter(prev) ||
      isDigit(prev) ||
      prev === '.' ||
      prev === '第' ||
      prev === '每' ||
      ((prev === '数' || prev === '几') && tok.raw.startsWith('十')) ||
      (tok.raw === '一' && !percentWord)
    ) {
      i = next;
      continue;
    }
    let j = tok.end;
    let approximate = false;
    // -5个: a leading minus (not the dash of a range 1-8月 or an id 1-1, which follow a digit).
    const negative =
      !percentWord && (prev === '-' || prev === '−') && !isDigit(t.charAt(i - 2)) && !isLetter(t.charAt(i - 2));
    if (percentWord) {
      out.push(fig(t, i, j, tok.value, '%', '%', tok.value, approxBefore(t, i)));
      i = j;
      continue;
    }
    if (t.charAt(j) === '余' || t.charAt(j) === '多') {
      approximate = true;
      j++;
    }
    // 30来户: 来 between a number and its unit is "about".
    else if (t.charAt(j) === '来' && isDigit(t.charAt(j - 1)) && readUnit(t, j + 1)) {
      approximate = true;
      j++;
    }
    while (t.charAt(j) === ' ' && j < tok.end + 2) j++;
    const after = t.charAt(j);
    if (after === '元' || after === '块' || t.startsWith('美元', j)) {
      i = next;
      continue;
    }
    let unit = readUnit(t, j, metricStarts && ((end) => metricStarts[end] === 1));
    let amount = tok.value;
    let unitText: string;
    let base: string;
    if (
      !unit &&
      after === '成' &&
      tok.value <= 10 &&
      !(t.charAt(j + 1) !== '' && '为功果立本员效都就熟交片套绩'.includes(t.charAt(j + 1)))
    ) {
      unitText = '成';
      base = '%';
      amount = tok.value * 10;
      j++;
      // 四成二 = 42%, 七成六 = 76%: one more digit after 成 is the tenths.
      const tenth = readNumber(t, j);
      if (
        tenth &&
        tenth.end === j + 1 &&
        Number.isInteger(tenth.value) &&
        tenth.value < 10 &&
        !readUnit(t, tenth.end) &&
        !canStartNumber(t.charAt(tenth.end))
      ) {
        amount += tenth.value;
        unitText = t.slice(tok.end, tenth.end);
        j = tenth.end;
      }
    } else if (unit) {
      unitText = unit.text;
      base = unit.base;
      amount = unit.factor === 1 ? tok.value : roundValue(tok.value * unit.factor);
      j = unit.end;
    } else {
      if (!approximate && VALUE_END.has(t.charAt(j)) && !(t.charAt(j) === '/' && isDigit(t.charAt(j + 1)))) {
        const f = fig(t, i, j, tok.value, '', '', tok.value, approxBefore(t, i));
        f.bare = true;
        if (negative) f.negative = true;
        out.push(f);
      }
      i = next;
      continue;
    }
    unit = undefined;
    let end = j;
    for (const w of ['左右', '以上', '多', '余'])
      if (t.startsWith(w, end)) {
        approximate = true;
        end += w.length;
        break;
      }
    const f = fig(t, i, j, tok.value, unitText, base, amount, approximate || approxBefore(t, i));
    if (negative) f.negative = true;
    out.push(f);
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

function fig(
  t: string,
  start: number,
  end: number,
  number: number,
  unitText: string,
  base: string,
  amount: number,
  approximate: boolean,
): RawFigure {
  return { start, end, number, unitText, base, amount, approximate, raw: t.slice(start, end) };
}
