import { chooseMetricCard } from '../cards/chooseMetricCard.js';
import type { Deps } from '../deps.js';
import { setReportStatus, type Report, type ReportStatus } from '../db/reportsRepo.js';
import { normalize } from '../parser/normalize.js';
import { parseReport } from '../parser/parseReport.js';
import type { ParseResult } from '../parser/types.js';
import type { IncomingMessage } from './types.js';
import { howToBindText, notUnderstoodText } from './hints.js';
import type { Person } from './people.js';
import { replyTo } from './reply.js';
import { settleItems, toNewItems, type Outcome, type StoredParse } from './reportFlow.js';

/** A message that is not a command: a progress report (or an attempt at one). */
export async function handleReport(deps: Deps, msg: IncomingMessage, report: Report, person: Person, date: string): Promise<void> {
  const now = deps.clock.now().getTime();
  if (!person.org) {
    if (await setReportStatus(deps.db, report.id, ['received'], 'unbound', now)) await replyTo(deps, msg.messageId, howToBindText());
    return;
  }
  const org = person.org;
  const result = parseReport(msg.text, { catalog: deps.catalog, senderOrg: org, date });
  const stored: StoredParse = { date, org, result };
  if (result.needsClarification) {
    // Candidates the sender may report first; if none, all (the choice is then refused with who is responsible).
    const mine = new Set(deps.catalog.metricsOf(org).map((m) => m.id));
    const cands = result.candidates ?? [];
    const usable = cands.filter((c) => mine.has(c));
    const shown = (usable.length ? usable : cands).flatMap((id) => deps.catalog.metric(id) ?? []);
    if (await setReportStatus(deps.db, report.id, ['received'], 'needs_choice', now, { parse: stored })) {
      await replyTo(deps, msg.messageId, chooseMetricCard({ reportId: report.id, question: result.question ?? '这个数是哪项指标的？', candidates: shown }));
    }
    return;
  }
  if (result.items.length === 0) {
    if (await setReportStatus(deps.db, report.id, ['received'], 'not_understood', now, { parse: stored })) {
      await replyTo(deps, msg.messageId, notUnderstoodText(deps.catalog, org, date));
    }
    return;
  }
  // Keep the parse on the row before settling (audit, and the confirm step reads it).
  await setReportStatus(deps.db, report.id, ['received'], 'received', now, { parse: stored });
  const fresh = { ...report, parse: stored };
  const outcome = await settleItems(deps, fresh, org, toNewItems(deps.catalog, result, org, date), date, ['received']);
  if (outcome) await replyTo(deps, msg.messageId, outcome.answer);
}

/**
 * The sender picked the metric an ambiguous figure belongs to: read the message again with the
 * metric's name written before each figure the parser could not place, so mode, scope and date are
 * read as for any figure; fall back to `id value` when that does not place it.
 */
export function reparseWithChoice(deps: Deps, text: string, metricId: string, stored: StoredParse): ParseResult {
  const metric = deps.catalog.metric(metricId)!;
  const t = normalize(text);
  const raws = (stored.result?.notes ?? []).flatMap((n) => /^「(.+?)」：无法确定指标/.exec(n)?.[1] ?? []);
  let out = t;
  let from = 0;
  for (const raw of raws) {
    const k = out.indexOf(raw, from);
    if (k < 0) continue;
    out = `${out.slice(0, k)}${metric.name}${out.slice(k)}`;
    from = k + metric.name.length + raw.length;
  }
  const ctx = { catalog: deps.catalog, senderOrg: stored.org, date: stored.date };
  const again = parseReport(out, ctx);
  if (again.items.some((i) => i.metric === metricId)) return { ...again, needsClarification: false };
  const number = /例如「[^：」]+：([^」]+)」/.exec(stored.result?.question ?? '')?.[1];
  return number ? parseReport(`${metricId} ${number}`, ctx) : again;
}

export async function settleChoice(deps: Deps, report: Report, metricId: string): Promise<Outcome | null> {
  const stored = report.parse as StoredParse;
  const result = reparseWithChoice(deps, report.text, metricId, stored);
  const items = toNewItems(deps.catalog, result, stored.org, stored.date);
  const from: ReportStatus[] = ['needs_choice'];
  return settleItems(deps, { ...report, parse: { ...stored, result } }, stored.org, items, stored.date, from);
}
