import { firstFrom, within, type Env } from './env.js';
import type { RawFigure } from './scanFigures.js';
import type { UnresolvedWhy } from './types.js';

// Figures that are not progress of any metric, decided from the words around them before any metric
// is looked for: plans and targets, unfinished work, parts of a total just given.

/** Cues after a figure that make it not-yet-done work (另有12公里在建). */
const POST_PLAN = ['在建', '待建', '未完成', '未开工', '剩余'];

export interface NotProgress { why: UnresolvedWhy; note: string }

export function notProgress(env: Env, f: RawFigure, preClause: [number, number], post: [number, number]): NotProgress | undefined {
  const { cues } = env;
  const planBefore = within(cues.plan, preClause);
  const planAfter = cues.plan.find((c) => c.start >= post[0] && c.end <= post[1] && POST_PLAN.includes(c.word));
  if (planBefore || planAfter) {
    const word = (planBefore ?? planAfter)!.word;
    const unfinished = POST_PLAN.includes(word) || word === '还剩' || word === '尚有';
    return { why: unfinished ? 'unfinished' : 'plan', note: `「${f.raw}」：计划、目标或未完成的数（「${word}」），不是进度` };
  }
  // 其中…: a part of the total just given (其中第二批3000个), unless it names a district.
  const part = within(cues.part, preClause);
  if (part) {
    const next = env.scopeMs[firstFrom(env.scopeMs, part.end)];
    const named = next !== undefined && next.end <= f.start;
    if (!named) return { why: 'part', note: `「${f.raw}」：「其中」后的分项，不是总数` };
  }
  return undefined;
}
