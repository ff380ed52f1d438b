import type { Catalog } from '../catalog/Catalog.js';
import { confirmCard } from '../cards/confirmCard.js';
import { recordedCard } from '../cards/recordedCard.js';
import type { ShownItem } from '../cards/types.js';
import type { Deps } from '../deps.js';
import { progressOn } from '../db/progressRepo.js';
import { recordItems, setReportStatus, type NewItem, type Report, type ReportStatus } from '../db/reportsRepo.js';
import { isFigure, type ParseResult } from '../parser/types.js';
import { authorise } from './authorise.js';
import type { Answer } from './reply.js';
import { suspicions } from './suspicion.js';
import { getThresholds } from '../settings/settings.js';

/** What a report row's `parse` column keeps: the parser's result and what waits for a click. */
export interface StoredParse {
  date: string;
  org: string;
  result?: ParseResult;
  /** Figures waiting for 确认. */
  pending?: NewItem[];
  refused?: string[];
  /** Figures recorded at once while the unclear one waits for a choice. */
  recorded?: NewItem[];
  /** A /修改 waiting for 确认. */
  fix?: PendingFix;
}

/** A /修改 (bot/commands/reportCommands.ts) held until 确认: the corrected figure and what it replaces. */
export interface PendingFix {
  item: NewItem;
  previousId: number | null;
  reading: string | null;
}

/** The parser's items as figures to store, in the sender's terms (a milestone is for the sender's scope). */
export function toNewItems(catalog: Catalog, result: ParseResult, org: string, date: string): NewItem[] {
  const ownScope = catalog.isDistrict(org) ? org : 'city';
  return result.items.map((it) =>
    isFigure(it)
      ? {
          metricId: it.metric,
          value: it.value,
          mode: it.mode,
          scope: it.scope,
          asOf: it.asOf,
          ...(it.approximate ? { approximate: true } : {}),
        }
      : {
          metricId: it.metric,
          value: null,
          milestone: it.status,
          mode: 'cumulative' as const,
          scope: ownScope,
          asOf: date,
        },
  );
}

export async function shownItems(deps: Deps, items: NewItem[], date: string | null): Promise<ShownItem[]> {
  const progress = date
    ? await progressOn(deps.db, deps.catalog, date, {
        metricIds: [...new Set(items.map((i) => i.metricId))],
        thresholds: await getThresholds(deps.db),
      })
    : [];
  const byId = new Map(progress.map((p) => [p.metricId, p]));
  return items.flatMap((it) => {
    const metric = deps.catalog.metric(it.metricId);
    if (!metric) return [];
    const p = byId.get(it.metricId);
    return [
      {
        metric,
        value: it.value,
        milestone: it.milestone ?? null,
        mode: it.mode,
        scope: it.scope,
        asOf: it.asOf,
        approximate: it.approximate,
        ...(p ? { progress: p } : {}),
      },
    ];
  });
}

export function refusalText(refused: string[], notAllowed = true): string {
  return `没有记录，因为：\n${refused.map((r) => `· ${r}`).join('\n')}${notAllowed ? '\n请由负责单位的联系人报送；如单位绑定有误，发送「/绑定 单位名称」重新申请。' : ''}`;
}

export interface Outcome {
  status: ReportStatus;
  answer: Answer;
}

/**
 * Takes a report's figures the rest of the way: refuses what the sender may not report, asks about
 * suspicious figures (unless confirmed), records the rest. Every transition is conditional on the
 * report still being in `from`; null when another run got there first.
 */
export async function settleItems(
  deps: Deps,
  report: Report,
  org: string,
  items: NewItem[],
  date: string,
  from: ReportStatus[],
  opts: { confirmed?: boolean; refused?: string[]; keep?: NewItem[] } = {},
): Promise<Outcome | null> {
  const now = deps.clock.now().getTime();
  const allowed: NewItem[] = [];
  const refused: string[] = [...(opts.refused ?? [])];
  let notAllowed = false;
  for (const it of items) {
    const v = authorise(deps.catalog, org, it);
    if (v.ok) allowed.push(v.item);
    else {
      refused.push(v.reason);
      notAllowed ||= !v.scope;
    }
  }
  const keep = opts.keep ?? [];
  if (allowed.length === 0 && keep.length > 0) {
    // Figures recorded earlier stand; the rest is said and not recorded.
    const ok = await setReportStatus(deps.db, report.id, from, 'recorded', now, {
      detail: refused.length ? `部分未记录：${refused.join('；')}`.slice(0, 500) : null,
    });
    return ok
      ? {
          status: 'recorded',
          answer: recordedCard({ reportId: report.id, items: await shownItems(deps, keep, date), refused }),
        }
      : null;
  }
  if (allowed.length === 0) {
    const ok = await setReportStatus(deps.db, report.id, from, 'refused', now, {
      detail: refused.join('；').slice(0, 500),
    });
    return ok ? { status: 'refused', answer: refusalText(refused, notAllowed) } : null;
  }
  if (!opts.confirmed) {
    const reasons = await suspicions(deps, allowed, date);
    if (reasons.some((r) => r.length > 0)) {
      const stored: StoredParse = {
        ...((report.parse as StoredParse | null) ?? { date, org }),
        date,
        org,
        pending: allowed,
        refused,
      };
      const ok = await setReportStatus(deps.db, report.id, from, 'needs_confirmation', now, {
        parse: stored,
        detail: reasons.flat().join('；').slice(0, 500),
      });
      if (!ok) return null;
      const shown = await shownItems(deps, allowed, null);
      return {
        status: 'needs_confirmation',
        answer: confirmCard({
          reportId: report.id,
          items: shown.map((s, k) => ({ ...s, reasons: reasons[k] ?? [] })),
          refused,
        }),
      };
    }
  }
  const ok = await recordItems(deps.db, {
    reportId: report.id,
    from,
    to: 'recorded',
    items: allowed,
    year: deps.catalog.year,
    reporter: report.senderOpenId,
    org,
    now,
    detail: refused.length ? `部分未记录：${refused.join('；')}`.slice(0, 500) : null,
  });
  if (!ok) return null;
  return {
    status: 'recorded',
    answer: recordedCard({ reportId: report.id, items: await shownItems(deps, [...keep, ...allowed], date), refused }),
  };
}
