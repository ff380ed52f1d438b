import type { Metric } from '../catalog/Catalog.js';
import type { Contact } from '../db/contactsRepo.js';
import { fmt, md, MILESTONE_LABEL } from '../digest/format.js';
import { STATUS_LABEL, type MetricProgress } from '../progress/types.js';

// The texts of reminders, escalations, deadline notices and lag alerts. Plain text messages
// (msg_type text): @-mentions in a group are `<at user_id="ou_…">name</at>` there, and a DM reads
// fine without a card.

export function textContent(text: string): string {
  return JSON.stringify({ text });
}

/** "1402/1835个（76.4%，序时 81.7%，滞后）" or "未报送". */
export function stateLine(p: MetricProgress | undefined): string {
  if (!p || p.status === 'no_data') return '尚无数据（未报送）';
  if (p.kind === 'milestone') return `${p.milestone ? MILESTONE_LABEL[p.milestone] : '未报送'}（${STATUS_LABEL[p.status]}）`;
  const share = p.share !== null ? `${fmt(p.share * 100)}%，` : '';
  return `当前 ${fmt(p.value!)}${p.target !== null ? `/${fmt(p.target)}` : ''}${p.unit ?? ''}（${share}序时 ${fmt(p.expectedShare * 100)}%，${STATUS_LABEL[p.status]}）`;
}

/** A one-line example of how to report the metric, in the forms the parser reads. */
export function reportExample(m: Metric, p: MetricProgress | undefined, date: string): string {
  if (m.kind === 'milestone') return `“${m.id}：已完成” 或 “${m.name}推进中，……”`;
  const guess = p?.value ?? (m.target ? Math.round(m.target * (p?.expectedShare ?? 0.5)) : 0);
  const v = fmt(m.kind === 'count' ? Math.max(1, Math.round(guess)) : guess);
  return `“${m.id}：${v}” 或 “截至${md(date)}，${m.name}累计${v}${m.unit ?? ''}”`;
}

export function reminderText(opts: { week: { from: string; to: string }; metrics: Metric[]; progress: Map<string, MetricProgress>; date: string; standingInFor: Contact[] }): string {
  const lines = opts.metrics.map((m) => `· ${m.id} ${m.name}：${stateLine(opts.progress.get(m.id))}`);
  const first = opts.metrics[0]!;
  const stand = opts.standingInFor.length ? `\n（${opts.standingInFor.map((c) => c.name ?? c.openId).join('、')} 请假中，请您代为报送。）` : '';
  return `【报送提醒】本周（${md(opts.week.from)}—${md(opts.week.to)}）以下指标尚未报送：\n${lines.join('\n')}\n`
    + `直接回复本消息即可报送，例如：${reportExample(first, opts.progress.get(first.id), opts.date)}。${stand}`;
}

export function atMention(c: Pick<Contact, 'openId' | 'name'>): string {
  const name = (c.name ?? '').replace(/[<>]/g, '') || c.openId;
  return `<at user_id="${c.openId}">${name}</at>`;
}

export function escalationText(opts: { round: number; cap: number; week: { from: string; to: string }; units: Array<{ org: string; metrics: Metric[]; contacts: Contact[] }> }): string {
  const lines = opts.units.map((u) => `· ${u.org}：${u.metrics.map((m) => `${m.id} ${m.name}`).join('、')} ${u.contacts.map(atMention).join(' ')}`.trimEnd());
  return `【催报】本周（${md(opts.week.from)}—${md(opts.week.to)}）以下指标仍未报送，请尽快报送：\n${lines.join('\n')}\n（第 ${opts.round}/${opts.cap} 次提醒）`;
}

export function deadlineText(opts: { deadline: string; daysLeft: number; items: Array<{ metric: Metric; progress: MetricProgress | undefined }> }): string {
  const weeks = Math.max(opts.daysLeft, 1) / 7;
  const lines = opts.items.map(({ metric: m, progress: p }) => {
    if (m.kind === 'milestone') return `· ${m.id} ${m.name}：${p?.milestone ? MILESTONE_LABEL[p.milestone] : '未报送'}，须在截止前完成`;
    const have = p?.value ?? 0;
    const remaining = Math.max(0, (m.target ?? 0) - have);
    const pace = remaining / weeks;
    return `· ${m.id} ${m.name}：目标 ${fmt(m.target ?? 0)}${m.unit ?? ''}，当前 ${p?.value !== null && p?.value !== undefined ? fmt(have) : '未报送'}，还差 ${fmt(remaining)}${m.unit ?? ''}`
      + (m.kind === 'count' ? `，需每周完成约 ${fmt(pace)}${m.unit ?? ''}` : `，需在 ${opts.daysLeft} 天内提升 ${fmt(remaining)}`);
  });
  return `【截止提醒】距截止日期（${md(opts.deadline)}）还有 ${opts.daysLeft} 天，以下指标尚未完成：\n${lines.join('\n')}`;
}

export function lagAlertText(items: Array<{ metric: Metric; progress: MetricProgress }>, thresholdPct: number): string {
  const lines = items.map(({ metric: m, progress: p }) =>
    `· ${m.id} ${m.name}：${p.value !== null ? fmt(p.value) : '—'}/${fmt(p.target ?? 0)}${p.unit ?? ''}，完成 ${p.share !== null ? fmt(p.share * 100) : '—'}%，序时 ${fmt(p.expectedShare * 100)}%（${m.lead.join('、')}）`);
  return `【严重滞后】以下指标完成进度已低于序时进度的 ${fmt(thresholdPct)}%：\n${lines.join('\n')}\n请责任单位分析原因、加快推进。`;
}
