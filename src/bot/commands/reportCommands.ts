import type { Metric } from '../../catalog/Catalog.js';
import { confirmCard } from '../../cards/confirmCard.js';
import {
  MILESTONE_LABEL,
  amount,
  metricLabel,
  modeLabel,
  modeWord,
  progressLine,
  scopeLabel,
} from '../../cards/format.js';
import { recordedCard } from '../../cards/recordedCard.js';
import type { Card } from '../../cards/kit.js';
import type { Deps } from '../../deps.js';
import { progressOn, scopeStates } from '../../db/progressRepo.js';
import {
  getReport,
  itemById,
  itemReplacedBy,
  itemsOfReport,
  lastRecordedReport,
  latestLiveItem,
  recordCorrection,
  setReportStatus,
  undoCorrection,
  undoReport,
  type NewItem,
  type ReportItemRow,
} from '../../db/reportsRepo.js';
import type { MetricProgress } from '../../progress/types.js';
import { readFixValue } from '../fixValue.js';
import { SUSPICIOUS_OVER_TARGET } from '../suspicion.js';
import { authorise } from '../authorise.js';
import type { CommandRun } from '../commandTable.js';
import { howToBindText } from '../hints.js';
import { nameOf } from '../people.js';
import { shownItems, type PendingFix, type StoredParse } from '../reportFlow.js';
import { getThresholds } from '../../settings/settings.js';

/** Undoes a report (supersedes its items) and returns the card that shows it undone; null if it was not recorded. */
export async function undoAndShow(deps: Deps, reportId: number, byOpenId: string): Promise<Card | null> {
  const now = deps.clock.now().getTime();
  const done = await undoReport(deps.db, reportId, byOpenId, now);
  if (!done) return null;
  const items = await itemsOfReport(deps.db, reportId);
  const shown = await shownItems(
    deps,
    items.map((i) => ({
      metricId: i.metricId,
      value: i.value,
      milestone: i.milestone,
      mode: i.mode,
      scope: i.scope,
      asOf: i.asOf,
      approximate: i.approximate,
    })),
    null,
  );
  const at = new Intl.DateTimeFormat('zh-CN', {
    timeZone: deps.config.BOT_TIMEZONE,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(now));
  return recordedCard({ reportId, items: shown, undone: { by: await nameOf(deps, byOpenId), at } });
}

/** /撤销: the sender's latest action that still stands: a recorded report, or a /修改. */
export const undo: CommandRun = async (c) => {
  const last = await lastRecordedReport(c.deps.db, c.msg.senderOpenId);
  if (!last) return '没有可以撤销的报送（只能撤销你自己最近一次已记录的报送或更正）。';
  if (last.status === 'corrected') return undoFix(c.deps, last.id, c.msg.senderOpenId);
  const card = await undoAndShow(c.deps, last.id, c.msg.senderOpenId);
  return card ?? '这次报送已经撤销过了。';
};

/** Undoes a /修改 and says what it undid and which figure stands again. */
async function undoFix(deps: Deps, reportId: number, byOpenId: string): Promise<string> {
  const [fixed] = await itemsOfReport(deps.db, reportId);
  const restored = fixed ? await itemReplacedBy(deps.db, fixed.id) : undefined;
  const done = await undoCorrection(deps.db, reportId, byOpenId, deps.clock.now().getTime());
  if (!done) return '这次更正已经撤销过了。';
  const metric = fixed ? deps.catalog.metric(fixed.metricId) : undefined;
  if (!fixed || !metric) return '已撤销你最近一次更正。';
  const was = `已撤销更正：${metricLabel(metric)}（${scopeLabel(fixed.scope)}）${modeWord(metric, fixed.mode)}${itemText(metric, fixed)}`;
  return restored
    ? `${was}，恢复为更正前的 ${modeWord(metric, restored.mode)}${itemText(metric, restored)}（截至 ${restored.asOf}）。「/历史 ${metric.id}」可查。`
    : `${was}。更正前本单位没有这项数据，现在也没有。「/历史 ${metric.id}」可查。`;
}

function itemText(metric: Metric, it: { value: number | null; milestone?: string | null }): string {
  return metric.kind === 'milestone'
    ? MILESTONE_LABEL[(it.milestone ?? 'in_progress') as keyof typeof MILESTONE_LABEL]
    : amount(metric, it.value);
}

const MILESTONE_WORDS: Record<string, 'done' | 'in_progress' | 'not_started'> = {
  已完成: 'done',
  完成: 'done',
  推进中: 'in_progress',
  进行中: 'in_progress',
  未开始: 'not_started',
};

/** /修改 指标编号 数值 [区县]: a corrected figure superseding the organisation's previous one. */
export const fix: CommandRun = async (c) => {
  const { deps } = c;
  if (!c.person.org) return howToBindText();
  const org = c.person.org;
  const usage = '用法：/修改 指标编号 新数值 [区县]，例如「/修改 1-1 1530」。';
  const metric = c.args[0] ? deps.catalog.metric(c.args[0]) : undefined;
  if (!metric) return c.args[0] ? `没有指标 ${c.args[0]}。${usage}` : usage;
  let scope = 'city';
  if (deps.catalog.isDistrict(org)) scope = org;
  else if (c.args[2]) {
    const d = deps.catalog.org(c.args[2]);
    if (d?.kind !== 'district') return `没有找到区县『${c.args[2]}』。${usage}`;
    scope = d.name;
  }
  const milestone = metric.kind === 'milestone' ? MILESTONE_WORDS[c.args[1] ?? ''] : undefined;
  if (metric.kind === 'milestone' && !milestone) return `${metric.id} 是定性任务，请写 已完成 / 推进中 / 未开始。`;
  let value: number | null = null;
  let reading: string | undefined;
  if (metric.kind !== 'milestone') {
    if (!c.args[1]) return `请写新的数值。${usage}`;
    const read = readFixValue(metric, c.args[1]);
    if (!read.ok) return `没有更正：${read.reason}。`;
    value = read.value;
    reading = read.reading;
  }
  const previous = await latestLiveItem(deps.db, deps.catalog.year, metric.id, scope, org);
  // A correction restates the previous figure: same mode and as-of date. Without one it is a new
  // running total as of today.
  const item: NewItem = {
    metricId: metric.id,
    value,
    milestone: milestone ?? null,
    mode: previous?.mode ?? 'cumulative',
    scope,
    asOf: previous?.asOf ?? c.date,
  };
  const v = authorise(deps.catalog, org, item);
  if (!v.ok) return `没有更正：${v.reason}。`;
  const pending: PendingFix = { item: v.item, previousId: previous?.id ?? null, reading: reading ?? null };
  const reasons = await fixSuspicions(deps, pending, previous ?? null, c.date);
  if (reasons.length) {
    // Same plausibility checks as a report: a figure far above the target is asked about first.
    const stored: StoredParse = { date: c.date, org, fix: pending };
    if (
      !(await setReportStatus(deps.db, c.report.id, ['received'], 'needs_confirmation', c.now, {
        parse: stored,
        detail: reasons.join('；').slice(0, 500),
      }))
    )
      return null;
    const [shown] = await shownItems(deps, [v.item], null);
    return confirmCard({ reportId: c.report.id, items: [{ ...shown!, reasons }] });
  }
  return applyFix(deps, c.report.id, org, c.msg.senderOpenId, pending, 'received', c.date);
};

/** A /修改 waiting for 确认 (kept on the report's parse). */
async function fixSuspicions(
  deps: Deps,
  f: PendingFix,
  previous: ReportItemRow | null,
  date: string,
): Promise<string[]> {
  const m = deps.catalog.metric(f.item.metricId);
  if (!m || m.kind === 'milestone' || f.item.value === null || m.target === undefined) return [];
  const states = await scopeStates(deps.db, deps.catalog, [m.id], date);
  const current = states.get(m.id)?.get(f.item.scope)?.value ?? 0;
  // The state once the correction replaces the previous figure.
  const after =
    m.kind === 'count' && f.item.mode === 'increment' ? current - (previous?.value ?? 0) + f.item.value : f.item.value;
  return after > m.target * SUSPICIOUS_OVER_TARGET
    ? [`更正后 ${amount(m, after)} 超过目标 ${amount(m, m.target)} 的 ${SUSPICIOUS_OVER_TARGET * 100}%`]
    : [];
}

/** Records a /修改 (at once, or after 确认) and answers with what changed. Null when already handled. */
export async function applyFix(
  deps: Deps,
  reportId: number,
  org: string,
  reporter: string,
  f: PendingFix,
  from: 'received' | 'needs_confirmation',
  date: string,
): Promise<string | null> {
  const metric = deps.catalog.metric(f.item.metricId)!;
  const previous = f.previousId !== null ? await itemById(deps.db, f.previousId) : undefined;
  const ok = await recordCorrection(deps.db, {
    reportId,
    item: f.item,
    previousId: f.previousId,
    year: deps.catalog.year,
    reporter,
    org,
    now: deps.clock.now().getTime(),
    from,
    detail: `修改 ${metric.id}${f.previousId !== null ? ` #${f.previousId}` : ''}`,
  });
  if (!ok) return null;
  const [p] = await progressOn(deps.db, deps.catalog, date, {
    metricIds: [metric.id],
    thresholds: await getThresholds(deps.db),
  });
  const it = f.item;
  const was = previous ? `${itemText(metric, previous)} → ` : '';
  const state = p ? `\n当前进度（全市）：${progressLine(metric, p).replace(/<[^>]+>/g, '')}` : '';
  const own = it.scope !== 'city' && p ? districtLine(metric, p, it.scope) : '';
  return `已更正 ${metricLabel(metric)}：${was}${itemText(metric, it)}（${metric.kind === 'count' ? `${modeLabel(it.mode)}，` : ''}${scopeLabel(it.scope)}，截至 ${it.asOf}）。${f.reading ? `${f.reading}。` : ''}${previous ? '原数据已标记为被更正，' : '之前没有本单位的数据，按新报送记录，'}「/历史 ${metric.id}」可查；发送「/撤销」可撤销这次更正。${own}${state}`;
}

function districtLine(metric: Metric, p: MetricProgress, scope: string): string {
  const d = p.districts.find((x) => x.scope === scope);
  return d
    ? `\n${scope}：${metric.kind === 'milestone' ? (d.milestone ? MILESTONE_LABEL[d.milestone] : '—') : amount(metric, d.value)}`
    : '';
}

/** Used by the 修改 button: how to correct, with the report's own figures as the example. */
export async function fixHint(deps: Deps, reportId: number): Promise<string> {
  const r = await getReport(deps.db, reportId);
  const items = r ? await itemsOfReport(deps.db, reportId) : [];
  const first = items[0];
  return first
    ? `发送「/修改 ${first.metricId} 新数值」即可更正${first.scope !== 'city' ? `（区县：/修改 ${first.metricId} 新数值 ${first.scope}）` : ''}，原数据会保留在历史里。`
    : '发送「/修改 指标编号 新数值」即可更正。';
}
