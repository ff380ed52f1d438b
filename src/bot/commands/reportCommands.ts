import { MILESTONE_LABEL, metricLabel, modeLabel, num, pct, scopeLabel } from '../../cards/format.js';
import { recordedCard } from '../../cards/recordedCard.js';
import type { Card } from '../../cards/kit.js';
import type { Deps } from '../../deps.js';
import { progressOn } from '../../db/progressRepo.js';
import { getReport, itemsOfReport, lastRecordedReport, latestLiveItem, recordCorrection, undoReport, type NewItem } from '../../db/reportsRepo.js';
import { STATUS_LABEL } from '../../progress/types.js';
import { authorise } from '../authorise.js';
import type { CommandRun } from '../commandTable.js';
import { howToBindText } from '../hints.js';
import { nameOf } from '../people.js';
import { shownItems } from '../reportFlow.js';
import { getThresholds } from '../../jobs/settings.js';

/** Undoes a report (supersedes its items) and returns the card that shows it undone; null if it was not recorded. */
export async function undoAndShow(deps: Deps, reportId: number, byOpenId: string): Promise<Card | null> {
  const now = deps.clock.now().getTime();
  const done = await undoReport(deps.db, reportId, byOpenId, now);
  if (!done) return null;
  const items = await itemsOfReport(deps.db, reportId);
  const shown = await shownItems(deps, items.map((i) => ({ metricId: i.metricId, value: i.value, milestone: i.milestone, mode: i.mode, scope: i.scope, asOf: i.asOf, approximate: i.approximate })), null);
  const at = new Intl.DateTimeFormat('zh-CN', { timeZone: deps.config.BOT_TIMEZONE, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(now));
  return recordedCard({ reportId, items: shown, undone: { by: await nameOf(deps, byOpenId), at } });
}

/** /撤销: the sender's last recorded report. */
export const undo: CommandRun = async (c) => {
  const last = await lastRecordedReport(c.deps.db, c.msg.senderOpenId);
  if (!last) return '没有可以撤销的报送（只能撤销你自己最近一次已记录的报送；更正请用「/修改」）。';
  const card = await undoAndShow(c.deps, last.id, c.msg.senderOpenId);
  return card ?? '这次报送已经撤销过了。';
};

function parseValue(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = s.replace(/[,，]/g, '').replace(/[^\d.]+$/, '');
  const n = Number(t);
  return t !== '' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

const MILESTONE_WORDS: Record<string, 'done' | 'in_progress' | 'not_started'> = { 已完成: 'done', 完成: 'done', 推进中: 'in_progress', 进行中: 'in_progress', 未开始: 'not_started' };

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
    if (!d || d.kind !== 'district') return `没有找到区县『${c.args[2]}』。${usage}`;
    scope = d.name;
  }
  const milestone = metric.kind === 'milestone' ? MILESTONE_WORDS[c.args[1] ?? ''] : undefined;
  const value = metric.kind === 'milestone' ? null : parseValue(c.args[1]);
  if (metric.kind === 'milestone' ? !milestone : value === undefined) return metric.kind === 'milestone' ? `${metric.id} 是定性任务，请写 已完成 / 推进中 / 未开始。` : `请写新的数值。${usage}`;
  const previous = await latestLiveItem(deps.db, deps.catalog.year, metric.id, scope, org);
  // A correction restates the previous figure: same mode and as-of date. Without one it is a new
  // running total as of today.
  const item: NewItem = { metricId: metric.id, value: value ?? null, milestone: milestone ?? null, mode: previous?.mode ?? 'cumulative', scope, asOf: previous?.asOf ?? c.date };
  const v = authorise(deps.catalog, org, item);
  if (!v.ok) return `没有更正：${v.reason}。`;
  const ok = await recordCorrection(deps.db, {
    reportId: c.report.id, item: v.item, previousId: previous?.id ?? null, year: deps.catalog.year, reporter: c.msg.senderOpenId, org, now: c.now,
    detail: `修改 ${metric.id}${previous ? ` #${previous.id}` : ''}`,
  });
  if (!ok) return null;
  const [p] = await progressOn(deps.db, deps.catalog, c.date, { metricIds: [metric.id], thresholds: await getThresholds(deps.db) });
  const unit = metric.unit ?? '';
  const show = (val: number | null, ms: string | null) => (metric.kind === 'milestone' ? MILESTONE_LABEL[(ms ?? 'in_progress') as keyof typeof MILESTONE_LABEL] : `${num(val)} ${unit}`);
  const was = previous ? `${show(previous.value, previous.milestone)} → ` : '';
  const now = p ? `\n当前进度（全市）：${p.value !== null ? `${num(p.value)}${metric.target !== undefined ? ` / ${num(metric.target)}` : ''} ${unit}（${pct(p.share)}）` : p.milestone ? MILESTONE_LABEL[p.milestone] : '—'} · ${STATUS_LABEL[p.status]}` : '';
  return `已更正 ${metricLabel(metric)}：${was}${show(v.item.value, v.item.milestone ?? null)}（${modeLabel(v.item.mode)}，${scopeLabel(v.item.scope)}，截至 ${v.item.asOf}）。${previous ? '原数据已标记为被更正，' : '之前没有本单位的数据，按新报送记录，'}「/历史 ${metric.id}」可查。${now}`;
};

/** Used by the 修改 button: how to correct, with the report's own figures as the example. */
export async function fixHint(deps: Deps, reportId: number): Promise<string> {
  const r = await getReport(deps.db, reportId);
  const items = r ? await itemsOfReport(deps.db, reportId) : [];
  const first = items[0];
  return first ? `发送「/修改 ${first.metricId} 新数值」即可更正${first.scope !== 'city' ? `（区县：/修改 ${first.metricId} 新数值 ${first.scope}）` : ''}，原数据会保留在历史里。` : '发送「/修改 指标编号 新数值」即可更正。';
}

