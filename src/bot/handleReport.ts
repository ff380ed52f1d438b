import { chooseMetricCard } from '../cards/chooseMetricCard.js';
import { questionFor, refusalFor } from '../cards/unresolvedText.js';
import type { Deps } from '../deps.js';
import { learnPhrase } from '../db/learnedRepo.js';
import {
  pendingChoiceOf,
  recordItems,
  setReportStatus,
  type NewItem,
  type Report,
  type ReportStatus,
} from '../db/reportsRepo.js';
import { parseUnit } from '../catalog/units.js';
import { parseReport } from '../parser/parseReport.js';
import { MAX_REPORT_CHARS, type UnresolvedFigure } from '../parser/types.js';
import { readFixValue } from './fixValue.js';
import { howToBindText, notUnderstoodText } from './hints.js';
import { parseContextFor, phraseOf } from './learnedContext.js';
import type { Person } from './people.js';
import { replyTo, type Answer } from './reply.js';
import { settleItems, shownItems, toNewItems, type Outcome, type StoredParse } from './reportFlow.js';
import { recordedCard } from '../cards/recordedCard.js';
import { suspicions } from './suspicion.js';
import { authorise } from './authorise.js';
import type { IncomingMessage } from './types.js';

export function tooLongText(length: number): string {
  return `这条消息有 ${length} 个字，超过 ${MAX_REPORT_CHARS} 字，没有读取，也没有记录。请分条发送（每条写一项或几项进展）。`;
}

/** A whole message that is one id shortcut: 「10-1 9900」「1-1：1530个」. */
const SHORTCUT = /^\s*(\d{1,2}-\d{1,2})\s*[:：=＝\s]\s*([+-]?[\d,，.]+[^\s，。；;]*)\s*[。.]?\s*$/;

/** 「1-1」 or 「1-1：15」 answering an open question. */
const CHOICE_ANSWER = /^\s*(\d{1,2}-\d{1,2})\s*(?:[:：=＝]\s*(\S+?))?\s*[。.]?\s*$/;

/** A message that is not a command: a progress report (or an attempt at one, or an answer to a question). */
export async function handleReport(
  deps: Deps,
  msg: IncomingMessage,
  report: Report,
  person: Person,
  date: string,
): Promise<void> {
  const now = deps.clock.now().getTime();
  if (!person.org) {
    if (await setReportStatus(deps.db, report.id, ['received'], 'unbound', now))
      await replyTo(deps, msg.messageId, howToBindText());
    return;
  }
  const org = person.org;
  // Bounded work: a message past the parser's limit is not read at all, only kept and answered.
  if (msg.text.length > MAX_REPORT_CHARS) {
    if (await setReportStatus(deps.db, report.id, ['received'], 'too_long', now, { detail: `${msg.text.length} 字` }))
      await replyTo(deps, msg.messageId, tooLongText(msg.text.length));
    return;
  }
  const answer = CHOICE_ANSWER.exec(msg.text);
  if (answer && deps.catalog.metric(answer[1]!)) {
    const open = await pendingChoiceOf(deps.db, msg.senderOpenId, now - 3 * 86_400_000);
    if (open) {
      // The answer is settled on the question's report; this message only points to it.
      const outcome = await settleChoice(deps, open, answer[1]!, { value: answer[2], by: msg.senderOpenId });
      await setReportStatus(deps.db, report.id, ['received'], 'command', now, {
        detail: `回答 #${open.id}：${answer[1]}`,
      });
      await replyTo(deps, msg.messageId, outcome?.answer ?? '这个问题已经处理过了。');
      return;
    }
  }
  // 「10-1 9900」 alone: the id shortcut, read in the counting word with /修改's checks (a bare 9900
  // for a metric kept in 万个 is 9,900 个, never 9,900 万个).
  const shortcut = SHORTCUT.exec(msg.text);
  const sm = shortcut ? deps.catalog.metric(shortcut[1]!) : undefined;
  if (shortcut && sm && sm.kind !== 'milestone') {
    const read = readFixValue(sm, shortcut[2]!);
    const stored: StoredParse = { date, org };
    await setReportStatus(deps.db, report.id, ['received'], 'received', now, { parse: stored });
    const item: NewItem = {
      metricId: sm.id,
      value: read.ok ? read.value : null,
      mode: 'cumulative',
      scope: deps.catalog.isDistrict(org) ? org : 'city',
      asOf: date,
    };
    const outcome = read.ok
      ? await settleItems(deps, { ...report, parse: stored }, org, [item], date, ['received'])
      : await settleItems(deps, { ...report, parse: stored }, org, [], date, ['received'], {
          refused: [`${sm.id}：${read.reason}`],
        });
    if (outcome) await replyTo(deps, msg.messageId, outcome.answer);
    return;
  }
  const result = parseReport(msg.text, await parseContextFor(deps, org, date));
  const stored: StoredParse = { date, org, result };
  if (result.tooLong) {
    if (
      await setReportStatus(deps.db, report.id, ['received'], 'too_long', now, {
        parse: stored,
        detail: `${result.tooLong.length} 字`,
      })
    )
      await replyTo(deps, msg.messageId, tooLongText(result.tooLong.length));
    return;
  }
  const unresolved = result.unresolved ?? [];
  const refused = unresolved.filter((u) => u.action === 'refuse').map((u) => refusalFor(u, deps.catalog, org));
  const ask = unresolved.find((u) => u.action === 'ask');
  const items = toNewItems(deps.catalog, result, org, date);
  if (ask) {
    await askAbout(deps, msg, report, stored, ask, items, refused, date);
    return;
  }
  if (items.length === 0 && refused.length === 0) {
    if (await setReportStatus(deps.db, report.id, ['received'], 'not_understood', now, { parse: stored })) {
      await replyTo(deps, msg.messageId, notUnderstoodText(deps.catalog, org, date));
    }
    return;
  }
  // Keep the parse on the row before settling (audit, and the confirm step reads it).
  await setReportStatus(deps.db, report.id, ['received'], 'received', now, { parse: stored });
  const outcome = await settleItems(deps, { ...report, parse: stored }, org, items, date, ['received'], { refused });
  if (outcome) await replyTo(deps, msg.messageId, outcome.answer);
}

/**
 * One figure needs the sender's choice. The clearly read figures are recorded at once (unless one of
 * them looks wrong: then everything waits for the choice, and the confirmation after it); the
 * report stays open for the question, which only ever concerns the unclear figure.
 */
async function askAbout(
  deps: Deps,
  msg: IncomingMessage,
  report: Report,
  stored: StoredParse,
  ask: UnresolvedFigure,
  items: NewItem[],
  refused: string[],
  date: string,
): Promise<void> {
  const now = deps.clock.now().getTime();
  const org = stored.org;
  const allowed: NewItem[] = [];
  for (const it of items) {
    const v = authorise(deps.catalog, org, it);
    if (v.ok) allowed.push(v.item);
    else refused.push(v.reason);
  }
  const clear = allowed.length > 0 && (await suspicions(deps, allowed, date)).every((r) => r.length === 0);
  const card = questionCard(deps, report.id, ask, org);
  if (clear) {
    const next: StoredParse = { ...stored, recorded: allowed, refused };
    const ok = await recordItems(deps.db, {
      reportId: report.id,
      from: ['received'],
      to: 'needs_choice',
      items: allowed,
      year: deps.catalog.year,
      reporter: report.senderOpenId,
      org,
      now,
      parse: next,
      detail: refused.length ? `部分未记录：${refused.join('；')}`.slice(0, 500) : null,
    });
    if (!ok) return;
    await replyTo(
      deps,
      msg.messageId,
      recordedCard({
        reportId: report.id,
        items: await shownItems(deps, allowed, date),
        refused,
        pendingQuestion: true,
      }),
    );
    await replyTo(deps, msg.messageId, card, 'q');
    return;
  }
  const next: StoredParse = { ...stored, refused };
  if (await setReportStatus(deps.db, report.id, ['received'], 'needs_choice', now, { parse: next }))
    await replyTo(deps, msg.messageId, card);
}

/** The question card for an unclear figure: the sender's own candidates first (else all, refused later with who is responsible). */
export function questionCard(deps: Deps, reportId: number, ask: UnresolvedFigure, org: string): Answer {
  const mine = new Set(deps.catalog.metricsOf(org).map((m) => m.id));
  const usable = ask.candidates.filter((c) => mine.has(c));
  const shown = (usable.length ? usable : ask.candidates).flatMap((id) => deps.catalog.metric(id) ?? []);
  return chooseMetricCard({ reportId, question: questionFor(ask, deps.catalog), candidates: shown });
}

/** The figure that waits for a choice on a report (the first that asks). */
export function askedOf(stored: StoredParse | null): UnresolvedFigure | undefined {
  return stored?.result?.unresolved?.find((u) => u.action === 'ask');
}

/**
 * The unclear figure as an item of the chosen metric, keeping what the parser read around it (an
 * increment stays an increment, its scope and date stay). A typed value (「1-1：15」) replaces the
 * number, read in the counting word like /修改.
 */
export function chosenItem(
  deps: Deps,
  u: UnresolvedFigure,
  metricId: string,
  stored: StoredParse,
  typed?: string,
): NewItem | string {
  const metric = deps.catalog.metric(metricId);
  if (!metric) return `没有指标 ${metricId}`;
  const ownScope = deps.catalog.isDistrict(stored.org) ? stored.org : 'city';
  let value: number;
  if (typed !== undefined || u.base === undefined || u.amount === undefined) {
    const raw = typed ?? (u.number !== undefined ? `${u.number}${u.unit}` : undefined);
    if (raw === undefined) return `「${u.raw}」的数字看不清，请写「${metricId}：数值」`;
    const read = readFixValue(metric, raw);
    if (!read.ok) return read.reason;
    value = read.value;
  } else {
    const mu = parseUnit(metric.unit ?? '');
    if (!mu || mu.base !== u.base)
      return `「${u.raw}」的单位与 ${metric.id} ${metric.name} 的单位「${metric.unit ?? ''}」不符`;
    value = Number((u.amount / mu.factor).toPrecision(12));
  }
  return {
    metricId,
    value,
    mode: metric.kind === 'count' ? (u.mode ?? 'cumulative') : 'cumulative',
    scope: u.scope ?? ownScope,
    asOf: u.asOf ?? stored.date,
    ...(u.approximate ? { approximate: true } : {}),
  };
}

/**
 * The sender chose the metric of the unclear figure (a button, or a text answer). The figures read
 * clearly are already recorded, or go along now; the phrase is remembered for the organisation.
 */
export async function settleChoice(
  deps: Deps,
  report: Report,
  metricId: string,
  opts: { value?: string | undefined; by?: string } = {},
): Promise<Outcome | null> {
  const stored = report.parse as StoredParse;
  const from: ReportStatus[] = ['needs_choice'];
  const u = askedOf(stored);
  if (!u) return null;
  const item = chosenItem(deps, u, metricId, stored, opts.value);
  const earlier = stored.recorded ? [] : toNewItems(deps.catalog, stored.result!, stored.org, stored.date);
  // One question a message: further unclear figures are said, not silently lost.
  const others = (stored.result?.unresolved ?? [])
    .filter((x) => x.action === 'ask' && x !== u && x.span[0] !== u.span[0])
    .map((x) => `「${x.raw}」：不能确定属于哪项指标，没有记录；请用「指标编号 数值」另行报送`);
  const refusedBefore = [...(stored.refused ?? []), ...others];
  if (typeof item === 'string') {
    return settleItems(deps, report, stored.org, earlier, stored.date, from, {
      refused: [...refusedBefore, item],
      keep: stored.recorded ?? [],
    });
  }
  const phrase = phraseOf(u);
  if (phrase && deps.catalog.metricsOf(stored.org).some((m) => m.id === metricId)) {
    await learnPhrase(deps.db, {
      year: deps.catalog.year,
      org: stored.org,
      phrase,
      metricId,
      by: opts.by ?? report.senderOpenId,
      reportId: report.id,
      now: deps.clock.now().getTime(),
    });
  }
  return settleItems(deps, report, stored.org, [...earlier, item], stored.date, from, {
    refused: refusedBefore,
    keep: stored.recorded ?? [],
  });
}
