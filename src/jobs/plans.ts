import type { Metric } from '../catalog/Catalog.js';
import { subscribedChats } from '../db/chatsRepo.js';
import { adminOpenIds, listContacts, onLeave, type Contact } from '../db/contactsRepo.js';
import { progressOn } from '../db/progressRepo.js';
import { runsWithPrefix } from '../db/jobRunsRepo.js';
import type { Deps } from '../deps.js';
import { computeDigest } from '../digest/computeDigest.js';
import { renderDigestCard } from '../digest/renderDigestCard.js';
import type { OutgoingMessage } from '../lark/LarkApi.js';
import type { MetricProgress } from '../progress/types.js';
import { addDays, daysBetween, lastWorkdayOnOrBefore } from '../workdays/calendar.js';
import { zonedInstant } from '../workdays/zoned.js';
import { askedFor, availableContacts, reportedIn } from '../duties/duties.js';
import { owedInWeek, stillOwing } from '../duties/owed.js';
import { jobUuid } from './jobUuid.js';
import { deadlineText, escalationText, lagAlertText, reminderText, textContent, unboundText } from './messages.js';
import type { SchedulerSettings } from '../settings/settings.js';

// What each job would send, computed without sending: the jobs enqueue these, and
// `npm run cli -- remind --dry-run` prints them.

export interface Planned {
  job: string;
  to: { type: 'open_id' | 'chat_id'; id: string; name?: string | null };
  uuid: string;
  message: OutgoingMessage;
  /** What it says, for a person reading a dry run. */
  summary: string;
  /** The metrics it names (reminders, escalations, notices), for checks that a finished one is never chased. */
  metrics?: string[];
}

const dm = (openId: string, text: string): OutgoingMessage => ({
  kind: 'send',
  receiveIdType: 'open_id',
  receiveId: openId,
  msgType: 'text',
  content: textContent(text),
});
const toChat = (chatId: string, msgType: 'text' | 'interactive', content: string): OutgoingMessage => ({
  kind: 'send',
  receiveIdType: 'chat_id',
  receiveId: chatId,
  msgType,
  content,
});

async function progressMap(
  deps: Deps,
  date: string,
  thresholds: SchedulerSettings['thresholds'],
): Promise<Map<string, MetricProgress>> {
  return new Map((await progressOn(deps.db, deps.catalog, date, { thresholds })).map((p) => [p.metricId, p]));
}

/** The weekly digest card for every subscribed group, for its projects. */
export async function planDigests(
  deps: Deps,
  opts: { date: string; periodKey: string; settings: SchedulerSettings; until: Date },
): Promise<Planned[]> {
  const out: Planned[] = [];
  for (const chat of await subscribedChats(deps.db)) {
    const data = await computeDigest(deps, {
      date: opts.date,
      projects: chat.projects,
      settings: opts.settings,
      until: opts.until,
    });
    const card = renderDigestCard(data);
    out.push({
      job: 'weekly-digest',
      to: { type: 'chat_id', id: chat.chatId, name: chat.name },
      uuid: jobUuid('digest', opts.periodKey, chat.chatId),
      message: toChat(chat.chatId, 'interactive', JSON.stringify(card)),
      summary: `周报（项目 ${chat.projects.join(',')}）：${(card.config as { summary: { content: string } }).summary.content}`,
    });
  }
  return out;
}

/** Report-due reminders for the week of `week` (its Monday), as of `now`; and the admins told of units nobody can remind. */
export async function planReminders(
  deps: Deps,
  opts: { date: string; week: string; now: Date; settings: SchedulerSettings },
): Promise<Planned[]> {
  const tz = deps.config.BOT_TIMEZONE;
  const progress = await progressMap(deps, opts.date, opts.settings.thresholds);
  const owed = await owedInWeek(deps, { week: opts.week, date: opts.date, settings: opts.settings, progress });
  if (!owed.remindDay) return [];
  const reported = await reportedIn(deps, zonedInstant(opts.week, 0, tz).getTime(), opts.now.getTime() + 1);
  const out: Planned[] = [];
  for (const d of owed.duties.values()) {
    const missing = d.metrics.filter((m) => !reported.has(m.id));
    if (missing.length === 0) continue;
    const text = reminderText({
      week: { from: opts.week, to: addDays(opts.week, 6) },
      metrics: missing,
      progress,
      date: opts.date,
      standingInFor: d.standingInFor,
    });
    out.push({
      job: 'report-reminder',
      to: { type: 'open_id', id: d.contact.openId, name: d.contact.name },
      uuid: jobUuid('remind', opts.week, d.contact.openId),
      message: dm(d.contact.openId, text),
      summary: `${d.contact.org} ${d.contact.name ?? ''}：${missing.map((m) => m.id).join('、')}`,
      metrics: missing.map((m) => m.id),
    });
  }
  if (owed.unbound.length > 0) {
    // Told once per set of such units (the uuid is the set): a new unit without contact is news, the same list every week is not.
    const set = owed.unbound.map((u) => u.org).join(',');
    for (const admin of await adminOpenIds(deps.db, deps.config.ADMIN_OPEN_IDS)) {
      out.push({
        job: 'report-reminder',
        to: { type: 'open_id', id: admin },
        uuid: jobUuid('unbound', deps.catalog.year, set, admin),
        message: dm(admin, unboundText(owed.unbound)),
        summary: `管理员 ${admin}：无联系人的单位 ${set}`,
        metrics: owed.unbound.flatMap((u) => u.metrics),
      });
    }
  }
  return out;
}

/** Escalation round `round` for the week of `week`: each subscribed group of a project with missing reports. */
export async function planEscalations(
  deps: Deps,
  opts: { date: string; week: string; round: number; now: Date; settings: SchedulerSettings },
): Promise<Planned[]> {
  const tz = deps.config.BOT_TIMEZONE;
  const progress = await progressMap(deps, opts.date, opts.settings.thresholds);
  const owed = await owedInWeek(deps, { week: opts.week, date: opts.date, settings: opts.settings, progress });
  const reported = await reportedIn(deps, zonedInstant(opts.week, 0, tz).getTime(), opts.now.getTime() + 1);
  const missing = stillOwing(owed.units, reported);
  if (missing.length === 0) return [];
  const out: Planned[] = [];
  for (const chat of await subscribedChats(deps.db)) {
    const units = stillOwing(missing, new Set(), (m) => chat.projects.includes(m.project));
    if (units.length === 0) continue;
    const text = escalationText({
      round: opts.round,
      cap: opts.settings.escalationCap,
      week: { from: opts.week, to: addDays(opts.week, 6) },
      date: opts.date,
      units,
    });
    out.push({
      job: 'escalation',
      to: { type: 'chat_id', id: chat.chatId, name: chat.name },
      uuid: jobUuid('escalate', `${opts.week}#${opts.round}`, chat.chatId),
      message: toChat(chat.chatId, 'text', textContent(text)),
      summary: `第 ${opts.round} 次催报（${opts.week} 周）：${units.map((u) => `${u.org}（${u.metrics.map((m) => m.id).join('、')}）@${u.contacts.map((c) => c.name ?? c.openId).join('@') || '—'}`).join('；')}`,
      metrics: [...new Set(units.flatMap((u) => u.metrics.map((m) => m.id)))],
    });
  }
  return out;
}

/**
 * The notice tier a metric is in on `date`: the nearest configured "N days before" whose notice day
 * has come (a notice day that is not a working day moves back to the working day before it, so
 * the notice never comes later than promised). Null before the first notice or after the deadline.
 */
export function deadlineTier(
  deadline: string,
  days: number[],
  date: string,
): { days: number; noticeDay: string } | null {
  if (date > deadline) return null;
  let best: { days: number; noticeDay: string } | null = null;
  for (const n of days) {
    const noticeDay = lastWorkdayOnOrBefore(addDays(deadline, -n));
    if (noticeDay <= date && (!best || noticeDay > best.noticeDay)) best = { days: n, noticeDay };
  }
  return best;
}

/**
 * Deadline notices due on `date`: each unfinished metric's current tier, once (the uuid is the
 * deadline, the tier and the contact, so the outbox keeps it once). Run on every working day, a
 * tier is sent on its notice day; a notice day missed while the scheduler was down is made up at
 * the next run; a deadline moved by an administrator gets the notices of its new date.
 */
export async function planDeadlineNotices(
  deps: Deps,
  opts: { date: string; settings: SchedulerSettings },
): Promise<Planned[]> {
  const progress = await progressMap(deps, opts.date, opts.settings.thresholds);
  const groups = new Map<
    string,
    {
      contact: Contact;
      deadline: string;
      tier: number;
      noticeDay: string;
      items: Array<{ metric: Metric; progress: MetricProgress | undefined }>;
    }
  >();
  const { byOrg } = await availableContacts(deps);
  for (const m of deps.catalog.metrics) {
    const p = progress.get(m.id);
    if (p?.status === 'done') continue;
    const tier = deadlineTier(m.deadline, opts.settings.deadlineDays, opts.date);
    if (!tier) continue;
    for (const c of askedFor(deps, m, byOrg, opts.date)) {
      const key = `${c.openId}|${m.deadline}|${tier.days}`;
      const g = groups.get(key) ?? {
        contact: c,
        deadline: m.deadline,
        tier: tier.days,
        noticeDay: tier.noticeDay,
        items: [],
      };
      g.items.push({ metric: m, progress: p });
      groups.set(key, g);
    }
  }
  return [...groups.values()].map((g) => {
    const daysLeft = daysBetween(opts.date, g.deadline);
    const late = g.noticeDay < opts.date ? `，补发：原定 ${g.noticeDay}` : '';
    return {
      job: 'deadline-notice',
      to: { type: 'open_id' as const, id: g.contact.openId, name: g.contact.name },
      uuid: jobUuid('deadline', g.deadline, g.tier, g.contact.openId),
      message: dm(g.contact.openId, deadlineText({ deadline: g.deadline, daysLeft, items: g.items })),
      summary: `${g.contact.org} ${g.contact.name ?? ''}：截止前 ${g.tier} 天档（实剩 ${daysLeft} 天${late}）${g.items.map((i) => i.metric.id).join('、')}`,
      metrics: g.items.map((i) => i.metric.id),
    };
  });
}

export interface LagPlan {
  planned: Planned[];
  open: Array<{ metricId: string; episode: number }>;
  close: string[];
}

/**
 * Lag alerts: metrics that became 严重滞后 since the last check, told once to their lead units'
 * contacts and the admins. An episode row in job_runs ('lag-episode', 'YEAR:METRIC:N') stays open
 * while the metric is severe and is closed when it recovers; a new drop opens N+1 and alerts again.
 */
export async function planLagAlerts(deps: Deps, opts: { date: string; settings: SchedulerSettings }): Promise<LagPlan> {
  const progress = await progressOn(deps.db, deps.catalog, opts.date, { thresholds: opts.settings.thresholds });
  const open: LagPlan['open'] = [];
  const close: string[] = [];
  const newly: Array<{ metric: Metric; progress: MetricProgress; episode: number }> = [];
  for (const p of progress) {
    const runs = await runsWithPrefix(deps.db, 'lag-episode', `${deps.catalog.year}:${p.metricId}:`);
    const latest = runs
      .map((r) => ({ n: Number(r.periodKey.split(':')[2]), status: r.status, key: r.periodKey }))
      .sort((a, b) => b.n - a.n)[0];
    if (p.status === 'severe') {
      if (!latest || latest.status === 'closed') {
        const episode = (latest?.n ?? 0) + 1;
        newly.push({ metric: deps.catalog.metric(p.metricId)!, progress: p, episode });
        open.push({ metricId: p.metricId, episode });
      }
    } else if (latest && latest.status !== 'closed') {
      close.push(latest.key);
    }
  }
  if (newly.length === 0) return { planned: [], open, close };
  const { byOrg } = await availableContacts(deps);
  const admins = await adminOpenIds(deps.db, deps.config.ADMIN_OPEN_IDS);
  const contacts = new Map((await listContacts(deps.db)).map((c) => [c.openId, c]));
  const perRecipient = new Map<string, typeof newly>();
  for (const n of newly) {
    const to = new Set([...askedFor(deps, n.metric, byOrg, opts.date).map((c) => c.openId), ...admins]);
    for (const id of to) perRecipient.set(id, [...(perRecipient.get(id) ?? []), n]);
  }
  const planned: Planned[] = [];
  for (const [openId, items] of perRecipient) {
    const c = contacts.get(openId);
    if (c && onLeave(c, opts.date) && !admins.includes(openId)) continue;
    const cause = items
      .map((i) => `${i.metric.id}#${i.episode}`)
      .sort()
      .join(',');
    planned.push({
      job: 'lag-alert',
      to: { type: 'open_id', id: openId, name: c?.name },
      uuid: jobUuid('lag', deps.catalog.year, cause, openId),
      message: dm(openId, lagAlertText(items, opts.settings.thresholds.lagging * 100)),
      summary: `${c?.org ?? '管理员'} ${c?.name ?? openId}：${items.map((i) => i.metric.id).join('、')} 转为严重滞后`,
      metrics: items.map((i) => i.metric.id),
    });
  }
  return { planned, open, close };
}
