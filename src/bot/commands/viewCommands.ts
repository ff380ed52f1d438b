import { helpCard } from '../../cards/helpCard.js';
import { historyCard } from '../../cards/historyCard.js';
import { mineCard } from '../../cards/mineCard.js';
import { progressCard } from '../../cards/progressCard.js';
import { targetsCard } from '../../cards/targetsCard.js';
import { progressOn, metricHistory } from '../../db/progressRepo.js';
import type { CommandRun } from '../commandTable.js';
import { examplesFor, howToBindText } from '../hints.js';
import { nameOf, weekStartMs } from '../people.js';
import { loadSchedulerSettings } from '../../settings/settings.js';
import { syncDeadlines } from '../../duties/deadlines.js';
import { reportedIn } from '../../duties/duties.js';
import { owedInWeek } from '../../duties/owed.js';
import { mondayOf } from '../../workdays/calendar.js';
import { learnedElements } from '../../cards/learnedCard.js';
import { learnedOf } from '../../db/learnedRepo.js';

export const help: CommandRun = async (c) => helpCard({ examples: examplesFor(c.deps.catalog, c.person.org, c.date) });

/** /进度 [项目号 | 指标编号]. */
export const progress: CommandRun = async (c) => {
  const { deps } = c;
  const arg = c.args[0];
  let projectNo: number | undefined;
  let metricId: string | undefined;
  if (arg) {
    if (/^\d+-\d+$/.test(arg)) {
      if (!deps.catalog.metric(arg)) return `没有指标 ${arg}。发送「/目标」查看全部指标编号。`;
      metricId = arg;
    } else if (/^\d+$/.test(arg) && deps.catalog.project(Number(arg))) projectNo = Number(arg);
    else
      return `没有项目或指标「${arg}」。用法：/进度、/进度 项目号（1-${deps.catalog.projects.length}）、/进度 指标编号（如 1-1）。`;
  }
  const ids = metricId
    ? [metricId]
    : projectNo !== undefined
      ? deps.catalog.metricsOfProject(projectNo).map((m) => m.id)
      : undefined;
  await syncDeadlines(deps);
  const settings = await loadSchedulerSettings(deps.db);
  const list = await progressOn(deps.db, deps.catalog, c.date, {
    ...(ids ? { metricIds: ids } : {}),
    thresholds: settings.thresholds,
  });
  const names = new Map<string, string>();
  for (const p of list)
    if (p.last?.reporterOpenId && !names.has(p.last.reporterOpenId))
      names.set(p.last.reporterOpenId, await nameOf(deps, p.last.reporterOpenId));
  const district = c.person.org && deps.catalog.isDistrict(c.person.org) ? c.person.org : undefined;
  return progressCard({
    catalog: deps.catalog,
    progress: list,
    date: c.date,
    names,
    staleWeeks: settings.staleWeeks,
    ...(projectNo !== undefined ? { projectNo } : {}),
    ...(metricId ? { metricId } : {}),
    ...(district ? { district } : {}),
  });
};

/** /我的: what my unit owes this week (the reminders' rule, src/jobs/owed.ts) and where each stands. */
export const mine: CommandRun = async (c) => {
  const { deps } = c;
  if (!c.person.org) return howToBindText();
  const org = c.person.org;
  const isDistrict = deps.catalog.isDistrict(org);
  await syncDeadlines(deps);
  const settings = await loadSchedulerSettings(deps.db);
  const since = weekStartMs(c.now, deps.config.BOT_TIMEZONE);
  const all = await progressOn(deps.db, deps.catalog, c.date, { thresholds: settings.thresholds });
  const progress = new Map(all.map((p) => [p.metricId, p]));
  const owed = await owedInWeek(deps, { week: mondayOf(c.date), date: c.date, settings, progress });
  const mineOwed = owed.units.find((u) => u.org === org)?.metrics ?? [];
  // What I lead, and what I stand in for this week; a 区县 owes nothing (it may report its own figures).
  const metrics = isDistrict
    ? []
    : [
        ...new Map(
          [...deps.catalog.metrics.filter((m) => m.lead.includes(org)), ...mineOwed].map((m) => [m.id, m]),
        ).values(),
      ];
  const reported = await reportedIn(deps, since, c.now + 1);
  const card = mineCard({
    org,
    isDistrict,
    metrics,
    progress,
    reportedThisWeek: reported,
    leaveUntil: c.person.contact?.leaveUntil ?? null,
    owed: new Set(mineOwed.map((m) => m.id)),
    reminderWeek: owed.remindDay !== null,
  });
  card.body.elements.push(...learnedElements(deps.catalog, await learnedOf(deps.db, deps.catalog.year, org)));
  return card;
};

export const targets: CommandRun = async (c) => {
  const n = c.args[0] && /^\d+$/.test(c.args[0]) ? Number(c.args[0]) : undefined;
  return targetsCard({
    catalog: c.deps.catalog,
    ...(n !== undefined && c.deps.catalog.project(n) ? { projectNo: n } : {}),
  });
};

/** /历史 指标编号. */
export const history: CommandRun = async (c) => {
  const { deps } = c;
  const id = c.args[0];
  const metric = id ? deps.catalog.metric(id) : undefined;
  if (!metric)
    return id
      ? `没有指标 ${id}。用法：/历史 指标编号，例如「/历史 1-1」。`
      : '用法：/历史 指标编号，例如「/历史 1-1」。';
  const rows = await metricHistory(deps.db, deps.catalog.year, metric.id, 20);
  const names = new Map<string, string>();
  for (const r of rows)
    for (const o of [r.reporterOpenId, r.supersededByOpenId])
      if (o && !names.has(o)) names.set(o, await nameOf(deps, o));
  const fmt = new Intl.DateTimeFormat('zh-CN', {
    timeZone: deps.config.BOT_TIMEZONE,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return historyCard({ metric, rows, names, time: (ms) => fmt.format(new Date(ms)) });
};
