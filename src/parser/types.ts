import type { Catalog } from '../catalog/Catalog.js';

/** What the parser needs besides the text. */
export interface ParseContext {
  catalog: Catalog;
  /** The sender's organisation, full name (市住房城乡建委, 渝中区…); undefined when unknown. */
  senderOrg?: string | undefined;
  /** The message date, ISO YYYY-MM-DD: the default as-of date and the year of dates in the text. */
  date: string;
}

/**
 * The longest message the parser reads. Longer ones are refused before any scanning (the bot answers
 * "please split"): a report is a few lines, and a bound keeps one message from holding the server.
 */
export const MAX_REPORT_CHARS = 5000;

export type Mode = 'cumulative' | 'increment';
export type MilestoneStatus = 'done' | 'in_progress' | 'not_started';

/** A figure for a count or level metric, in the metric's own unit. */
export interface FigureItem {
  metric: string;
  value: number;
  mode: Mode;
  /** 'city' or the full name of a 区县. */
  scope: string;
  /** ISO date the figure is as of. */
  asOf: string;
  approximate?: boolean;
  /** [start, end) offsets into the original text. */
  span: [number, number];
}

export interface MilestoneItem {
  metric: string;
  status: MilestoneStatus;
  span: [number, number];
}

export type ReportItem = FigureItem | MilestoneItem;

/**
 * Why a figure seen in the text was not recorded. The code is the contract (the bot words its reply
 * from it); `note` on the figure is a human explanation for logs and the CLI.
 *
 * Needs the sender's answer (action 'ask'):
 * - ambiguous_metric: the words fit several metrics; `candidates` lists them.
 * - no_metric: no metric named and the unit fits several of the sender's metrics (or none of them).
 * - unreadable_number: the number is garbled (a letter O among digits: 1,7O0); never guessed.
 * - conflicting_totals: two different running totals for one metric and scope in one message.
 * Refused, and the reply says why (action 'refuse'):
 * - outside_year: dated outside the catalog's year (2023年末…).
 * - scope_not_allowed: a 区县 contact stating a 全市 (or another district's) figure.
 * - unit_mismatch: a metric is named but the unit cannot be its (公里 for a count of 个).
 * - unknown_unit: the unit belongs to no metric of the catalog.
 * - negative_number: a number with a leading minus (-5个): progress is never negative.
 * Not progress, set aside silently (action 'ignore'):
 * - plan: a plan, target or forecast (计划, 目标, 预计…).
 * - unfinished: work still under way when the metric counts finished or started items (另有…在建, 剩余).
 * - prior_year: last year's figure (去年, 2023年全年).
 * - change: a change, not a state (同比, 环比, 较…增长, 比上周多, 提高…个百分点).
 * - part: a part of the total just given (其中第二批…).
 * - beneficiaries: people served or reached, money, jobs created (惠及, 带动就业, 投资…).
 * - stock: a stock total beside this year's metric (历年累计, 在业残疾人总数).
 * - other_rate: a rate that is not the metric's own (完成率 for a count metric).
 * - superseded_increment: a period figure beside the running total of the same metric and scope.
 * - secondary_total: a second running total of the same metric and scope, where the other one is
 *   the one marked as the total (累计, 截至, 共…).
 */
export type UnresolvedWhy =
  | 'ambiguous_metric'
  | 'no_metric'
  | 'unreadable_number'
  | 'conflicting_totals'
  | 'outside_year'
  | 'scope_not_allowed'
  | 'unit_mismatch'
  | 'unknown_unit'
  | 'negative_number'
  | 'plan'
  | 'unfinished'
  | 'prior_year'
  | 'change'
  | 'part'
  | 'beneficiaries'
  | 'stock'
  | 'other_rate'
  | 'superseded_increment'
  | 'secondary_total';

/** What the bot does with an unresolved figure: ask the sender, tell the sender why not, or nothing. */
export type UnresolvedAction = 'ask' | 'refuse' | 'ignore';

export const ACTION_OF: Readonly<Record<UnresolvedWhy, UnresolvedAction>> = {
  ambiguous_metric: 'ask',
  no_metric: 'ask',
  unreadable_number: 'ask',
  conflicting_totals: 'ask',
  outside_year: 'refuse',
  scope_not_allowed: 'refuse',
  unit_mismatch: 'refuse',
  unknown_unit: 'refuse',
  negative_number: 'refuse',
  plan: 'ignore',
  unfinished: 'ignore',
  prior_year: 'ignore',
  change: 'ignore',
  part: 'ignore',
  beneficiaries: 'ignore',
  stock: 'ignore',
  other_rate: 'ignore',
  superseded_increment: 'ignore',
  secondary_total: 'ignore',
};

/** A figure the text states that did not become an item, as data. */
export interface UnresolvedFigure {
  /** [start, end) offsets into the original text. */
  span: [number, number];
  /** The figure as written in the original text (1,7O0个, 3.48万). */
  raw: string;
  /** The number as written before the unit (4186 in 4186万平方米); absent when unreadable. */
  number?: number;
  /**
   * The unit as written (万平方米, 个, %); '' when none was written. For the totals rule's entries
   * (superseded_increment, secondary_total, conflicting_totals) number and unit are the value in the
   * metric's unit instead.
   */
  unit: string;
  /**
   * The unit's base noun (个, 平方米, %…) and the number in it (4186万平方米 → 41,860,000 平方米);
   * base '' when no unit was written (the number is then in the chosen metric's own noun).
   * valueForChoice(catalog, id, figure) turns them into a value of a chosen metric.
   */
  base?: string;
  amount?: number;
  /** Metric ids it could be a figure of, most likely first (the sender's own first); may be empty. */
  candidates: string[];
  why: UnresolvedWhy;
  action: UnresolvedAction;
  /** The placement the figure would get once its metric is known (a choice keeps an increment one). */
  mode?: Mode;
  scope?: string;
  asOf?: string;
  approximate?: boolean;
  /** The clause around the figure, for a question that quotes it. */
  context: string;
  /** A short human explanation in Chinese (for logs and the CLI; the bot words replies from `why`). */
  note: string;
}

export interface ParseResult {
  items: ReportItem[];
  /** True when an unresolved figure asks the sender (some `unresolved` entry has action 'ask'). */
  needsClarification: boolean;
  /** A question in Chinese for the sender about the first figure that asks. */
  question?: string;
  /** Metric ids that could be meant by that figure, most likely first (the sender's own projects first). */
  candidates?: string[];
  /** Short explanations of figures that were seen and set aside (the same as unresolved[].note). */
  notes?: string[];
  /** Every figure seen and not recorded, with why, in text order. Always present (possibly empty). */
  unresolved: UnresolvedFigure[];
  /** Set when the text is longer than MAX_REPORT_CHARS: nothing was read (the bot asks to split it). */
  tooLong?: { length: number; max: number };
}

/**
 * One reason behind a decision, by concept: which metric, which unit conversion, which mode, scope and
 * as-of date, milestone status, and the totals rule. `code` is stable; `text` is for people.
 */
export interface WhyStep {
  concept: 'metric' | 'unit' | 'mode' | 'scope' | 'asOf' | 'milestone' | 'totals';
  code: string;
  text: string;
}

/** An item with the reasons that decided it (for the CLI's explanation; not part of the contract). */
export type ExplainedItem = ReportItem & { why: WhyStep[] };

export interface ExplainedResult extends Omit<ParseResult, 'items'> {
  items: ExplainedItem[];
}

export function isFigure(item: ReportItem): item is FigureItem {
  return 'value' in item;
}
