import { chooseMetricCard } from '../cards/chooseMetricCard.js';
import { confirmCard } from '../cards/confirmCard.js';
import { recordedCard } from '../cards/recordedCard.js';
import type { Deps } from '../deps.js';
import { outboxHasUuid } from '../db/outboxRepo.js';
import { itemsOfReport, type NewItem, type Report } from '../db/reportsRepo.js';
import { howToBindText, notUnderstoodText } from './hints.js';
import { replyTo, uuidFor, type Answer } from './reply.js';
import { refusalText, shownItems, toNewItems, type StoredParse } from './reportFlow.js';
import { askedOf, questionCard, tooLongText } from './handleReport.js';
import { authorise } from './authorise.js';
import { refusalFor } from '../cards/unresolvedText.js';
import { suspicions } from './suspicion.js';
import type { IncomingMessage } from './types.js';

/**
 * A message already handled arrives again (Lark's retry, or the inbox sweep after a crash). If its
 * reply never reached the outbox — the process died between settling the report and enqueueing
 * the answer — the answer is rebuilt from what the report row holds and sent; otherwise nothing.
 * The reply's uuid is the message's, so this can never answer twice.
 */
export async function answerAgainIfUnanswered(deps: Deps, msg: IncomingMessage, report: Report): Promise<boolean> {
  if (await outboxHasUuid(deps.db, await uuidFor('r-', msg.messageId))) return false;
  const answer = await rebuild(deps, report);
  if (answer === null) return false;
  deps.log.warn('reply_recovered', { messageId: msg.messageId, status: report.status });
  return replyTo(deps, msg.messageId, answer);
}

async function rebuild(deps: Deps, report: Report): Promise<Answer | null> {
  const stored = report.parse as StoredParse | null;
  const date = stored?.date ?? new Date(report.receivedAt).toISOString().slice(0, 10);
  switch (report.status) {
    case 'recorded':
    case 'corrected': {
      const rows = await itemsOfReport(deps.db, report.id);
      const items: NewItem[] = rows.map((r) => ({
        metricId: r.metricId,
        value: r.value,
        milestone: r.milestone,
        mode: r.mode,
        scope: r.scope,
        asOf: r.asOf,
        approximate: r.approximate,
      }));
      return recordedCard({
        reportId: report.id,
        items: await shownItems(deps, items, date),
        refused: stored?.refused ?? [],
      });
    }
    case 'needs_choice': {
      const u = askedOf(stored);
      return u && stored
        ? questionCard(deps, report.id, u, stored.org)
        : chooseMetricCard({ reportId: report.id, question: '这个数是哪项指标的？', candidates: [] });
    }
    case 'needs_confirmation': {
      const pending = stored?.pending ?? [];
      const reasons = await suspicions(deps, pending, date);
      const shown = await shownItems(deps, pending, null);
      return confirmCard({
        reportId: report.id,
        items: shown.map((s, k) => ({ ...s, reasons: reasons[k] ?? [] })),
        refused: stored?.refused ?? [],
      });
    }
    case 'refused': {
      // Rebuilt from the stored parse, never by splitting the status text.
      const again = await settleReasons(deps, report, stored);
      return refusalText(again.reasons, again.notAllowed);
    }
    case 'too_long':
      return tooLongText(report.text.length);
    case 'unbound':
      return howToBindText();
    case 'not_understood':
      return notUnderstoodText(deps.catalog, stored?.org ?? report.org ?? undefined, date);
    case 'not_text':
      return '请用文字发送进展（图片、文件、语音等暂时看不懂）。例如「本周新增改造老旧小区15个」，发送「/帮助」查看用法。';
    case 'command':
      return `这条命令已经处理过了（${report.statusDetail ?? '命令'}）。需要结果请再发一次。`;
    default:
      return null; // received (being handled), undone, cancelled, failed: nothing owed or already said
  }
}

/** Why a refused report was refused, from its parse: the parser's refusals and the authorisation's. */
async function settleReasons(
  deps: Deps,
  report: Report,
  stored: StoredParse | null,
): Promise<{ reasons: string[]; notAllowed: boolean }> {
  if (!stored?.result) return { reasons: [report.statusDetail ?? '没有可以记录的数据'], notAllowed: false };
  const reasons = (stored.result.unresolved ?? [])
    .filter((u) => u.action === 'refuse')
    .map((u) => refusalFor(u, deps.catalog, stored.org));
  let notAllowed = false;
  for (const it of toNewItems(deps.catalog, stored.result, stored.org, stored.date)) {
    const v = authorise(deps.catalog, stored.org, it);
    if (!v.ok) {
      reasons.push(v.reason);
      notAllowed ||= !v.scope;
    }
  }
  return { reasons: [...reasons, ...(stored.refused ?? []).filter((r) => !reasons.includes(r))], notAllowed };
}
