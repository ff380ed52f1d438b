import { firstFrom, step, type Env } from './env.js';
import type { DateMention } from './dates.js';
import type { Mode, WhyStep } from './types.js';

// Where a figure sits: its scope (全市 or a 区县), its mode (a running total or a period's increment)
// and its as-of date, each from the nearest words before the figure, with the message's sender and
// date as defaults.

export interface Placed<T> {
  value: T;
  why: WhyStep;
}

export function scopeAt(env: Env, pos: number): Placed<string> & { named: 'district' | 'city' | 'own' | 'none' } {
  const last = env.scopeMs[firstFrom(env.scopeMs, pos) - 1];
  const dflt = env.senderDistrict ?? 'city';
  if (!last) {
    return {
      value: dflt,
      named: 'none',
      why: step('scope', 'sender', env.senderDistrict ? `报送单位 ${env.senderDistrict}` : '市级单位未写区县 → 全市'),
    };
  }
  const term = last.term;
  if (term.kind === 'district')
    return { value: term.org, named: 'district', why: step('scope', 'district_named', `区县「${term.text}」`) };
  if (term.kind === 'city')
    return { value: 'city', named: 'city', why: step('scope', 'city_named', `「${term.text}」→ 全市`) };
  return {
    value: dflt,
    named: 'own',
    why: step('scope', 'own', `「${term.text}」→ ${dflt === 'city' ? '全市' : dflt}`),
  };
}

export function modeAt(env: Env, pos: number, post: [number, number]): Placed<Mode> {
  const before = lastCue(env, pos);
  if (before) return before;
  // 绿道新增2.3公里（本周）: a bracketed remark right after the figure belongs to it.
  let end = post[1];
  const open = env.t.charAt(end);
  if (open === '（' || open === '(') {
    const close = env.t.slice(end, end + 10).search(/[）)]/);
    if (close > 0) end += close;
  }
  for (let k = firstFrom(env.cues.inc, post[0]); k < env.cues.inc.length && env.cues.inc[k]!.start < end; k++) {
    const c = env.cues.inc[k]!;
    if (c.end <= end) return { value: 'increment', why: step('mode', 'period_after', `「${c.word}」→ 增量`) };
  }
  return { value: 'cumulative', why: step('mode', 'default', '没有期间词 → 累计') };
}

/** Increment words that are not a period of their own. */
const UNDATED = new Set(['又']);

export function lastCue(env: Env, pos: number, from = 0): (Placed<Mode> & { at: number; word: string }) | undefined {
  const c = env.modeCues[firstFrom(env.modeCues, pos) - 1];
  if (!c || c.start < from) return undefined;
  return {
    value: c.mode,
    why: step(
      'mode',
      c.mode === 'increment' ? 'period' : 'running_total',
      `「${c.word}」→ ${c.mode === 'increment' ? '增量' : '累计'}`,
    ),
    at: c.start,
    word: c.word,
  };
}

export function asOfAt(env: Env, start: number, end: number, mode: Mode): Placed<string> & { date?: DateMention } {
  const last: DateMention | undefined = env.dates[firstFrom(env.dates, start) - 1];
  if (last) {
    const cue = lastCue(env, start);
    // 本周 after a date names its own period (dated the message date); 又 (again) names none.
    if (!(mode === 'increment' && cue && cue.value === 'increment' && cue.at > last.start && !UNDATED.has(cue.word))) {
      return {
        value: last.asOf,
        date: last,
        why: step('asOf', 'date_before', `「${env.t.slice(last.start, last.end)}」→ ${last.asOf}`),
      };
    }
  }
  const sentence = env.bounds.sentenceOf(start);
  const next = env.dates[firstFrom(env.dates, end)];
  // A date after the figure dates it only when it says "as of" (…1560户，截至9月底), not when it is
  // a plan's date (…计划12月底前全部完成).
  const after =
    next &&
    next.end <= sentence[1] &&
    next.cumulative &&
    !env.cues.plan.some((c) => c.start >= end && c.start < next.start)
      ? next
      : undefined;
  if (after)
    return {
      value: after.asOf,
      date: after,
      why: step('asOf', 'date_after', `「${env.t.slice(after.start, after.end)}」→ ${after.asOf}`),
    };
  return { value: env.date, why: step('asOf', 'message_date', `消息日期 ${env.date}`) };
}

/**
 * Districts listed right before 各 (渝中区、江北区各…), 各 in the figure's clause, or none. The list
 * is district names joined only by 、 和 及 与 and spaces (、 also separates clauses, so the list may
 * start in an earlier clause of the sentence).
 */
export function eachDistricts(
  env: Env,
  clause: [number, number],
  sentenceStart: number,
  figureStart: number,
): string[] {
  const ge = env.t.lastIndexOf('各', figureStart - 1);
  if (ge < clause[0]) return [];
  const names: string[] = [];
  let pos = ge;
  for (let k = firstFrom(env.scopeMs, ge) - 1; k >= 0; k--) {
    const m = env.scopeMs[k]!;
    if (m.term.kind !== 'district' || m.start < sentenceStart) break;
    if (!/^[、和及与\s]*$/.test(env.t.slice(m.end, pos))) break;
    names.unshift(m.term.org);
    pos = m.start;
  }
  return [...new Set(names)];
}
