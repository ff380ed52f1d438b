import type { Catalog } from '../catalog/Catalog.js';

/** What the parser needs besides the text. */
export interface ParseContext {
  catalog: Catalog;
  /** The sender's organisation, full name (市住房城乡建委, 渝中区…); undefined when unknown. */
  senderOrg?: string | undefined;
  /** The message date, ISO YYYY-MM-DD: the default as-of date and the year of dates in the text. */
  date: string;
}

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

export interface ParseResult {
  items: ReportItem[];
  needsClarification: boolean;
  /** A question in Chinese for the sender when a figure's metric could not be decided. */
  question?: string;
  /** Metric ids that could be meant, most likely first (the sender's own projects first). */
  candidates?: string[];
  /** Short explanations of figures that were seen and set aside. */
  notes?: string[];
}

/** An item with the reasons that decided it (for the CLI's explanation; not part of the contract). */
export type ExplainedItem = ReportItem & { why: string[] };

export interface ExplainedResult extends Omit<ParseResult, 'items'> {
  items: ExplainedItem[];
}

export function isFigure(item: ReportItem): item is FigureItem {
  return 'value' in item;
}
