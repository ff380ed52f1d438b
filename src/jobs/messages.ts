import type { Metric } from '../catalog/Catalog.js';
import type { Contact } from '../db/contactsRepo.js';
import { fmt, md, MILESTONE_LABEL } from '../digest/format.js';
import { quantity, quantityUp } from '../digest/quantity.js';
import { STATUS_LABEL, type MetricProgress } from '../progress/types.js';
import { addDays, mondayOf } from '../workdays/calendar.js';

// The texts of reminders, escalations, deadline notices and lag alerts. Plain text messages
// (msg_type text): @-mentions in a group are `<at user_id="ou_…">name</at>` there, and a DM reads
// fine without a card.

export function textContent(text: string): string {
  return JSON.stringify({ text });
}

/**
 * "本周（10月21日—10月27日）" on a day of that week, "上周（…）" the week after, else the dates alone:
 * an escalation round that runs into Monday chases last week, not "this week".
 */
export function weekPhrase(week: string, date: string): string {
  const span = `${md(week)}—${md(addDays(week, 6))}`;
  const current = mondayOf(date);
  if (current === week) return `本周（${span}）`;
  if (current === addDays(week, 7)) return `上周（${span}）`;
  return `${span}这一周`;
}

/** "当前 1402/1835个（76.4%，序时 81.7%，滞后）", a rate against its target, or "未报送". */
export function stateLine(p: MetricProgress | undefined): string {
  if (!p || p.status === 'no_data') return '尚无数据（未报送）';
  if (p.kind === 'milestone')
    return `${p.milestone ? MILESTONE_LABEL[p.milestone] : '未报送'}（${STATUS_LABEL[p.status]}）`;
  const asOf = p.asOf ? `，截至${md(p.asOf)}` : '';
  if (p.rule === 'target') {
    const of = p.share !== null ? `达目标值的 ${fmt(p.share * 100)}%，` : '';
    return `当前 ${quantity(p.value!, p.unit)}，目标 ${p.target !== null ? quantity(p.target, p.unit) : '—'}（${of}${STATUS_LABEL[p.status]}${asOf}）`;
  }
  const share = p.share !== null ? `${fmt(p.share * 100)}%，` : '';
  return `当前 ${fmt(p.value!)}${p.target !== null ? `/${fmt(p.target)}` : ''}${p.unit ?? ''}（${share}序时 ${fmt(p.expectedShare * 100)}%，${STATUS_LABEL[p.status]}${asOf}）`;
}

/** A one-line example of how to report the metric, in the forms the parser reads. */
export function reportExample(m: Metric, p: MetricProgress | undefined, date: string): string {
  if (m.kind === 'milestone') return `“${m.id}：已完成” 或 “${m.name}推进中，……”`;
  const guess = p?.value ?? (m.target ? Math.round(m.target * (p?.expectedShare ?? 0.5)) : 0);
  const v = fmt(m.kind === 'count' ? Math.max(1, Math.round(guess)) : guess);
  return `“${m.id}：${v}” 或 “截至${md(date)}，${m.name}累计${v}${m.unit ?? ''}”`;
}

export function reminderText(opts: {
  week: { from: string; to: string };
  metrics: Metric[];
  progress: Map<string, MetricProgress>;
  date: string;
  standingInFor: Contact[];
}): string {
  const lines = opts.metrics.map((m) => `· ${m.id} ${m.name}：${stateLine(opts.progress.get(m.id))}`);
  const first = opts.metrics[0]!;
  const stand = opts.standingInFor.length
    ? `\n（${opts.standingInFor.map((c) => c.name ?? c.openId).join('、')} 请假中，请您代为报送。）`
    : '';
  return (
    `【报送提醒】${weekPhrase(opts.week.from, opts.date)}以下指标尚未报送：\n${lines.join('\n')}\n` +
    `直接回复本消息即可报送，例如：${reportExample(first, opts.progress.get(first.id), opts.date)}。${stand}`
  );
}

export function atMention(c: Pick<Contact, 'openId' | 'name'>): string {
  const name = (c.name ?? '').replace(/[<>]/g, '') || c.openId;
  return `<at user_id="${c.openId}">${name}</at>`;
}

export function escalationText(opts: {
  round: number;
  cap: number;
  week: { from: string; to: string };
  date: string;
  units: Array<{ org: string; metrics: Metric[]; contacts: Contact[] }>;
}): string {
  const lines = opts.units.map((u) =>
    `· ${u.org}：${u.metrics.map((m) => `${m.id} ${m.name}`).join('、')} ${u.contacts.map(atMention).join(' ')}`.trimEnd(),
  );
  return `【催报】${weekPhrase(opts.week.from, opts.date)}以下指标仍未报送，请尽快报送：\n${lines.join('\n')}\n（第 ${opts.round}/${opts.cap} 次提醒）`;
}

/** What is still to do before a deadline, in the metric's unit, a rate's gap in 个百分点. */
export function deadlineLine(m: Metric, p: MetricProgress | undefined, daysLeft: number): string {
  if (m.kind === 'milestone')
    return `· ${m.id} ${m.name}：${p?.milestone ? MILESTONE_LABEL[p.milestone] : '未报送'}，须在截止前完成`;
  const unit = m.unit ?? '';
  const have = p?.value ?? null;
  const target = m.target ?? 0;
  const remaining = Math.max(0, target - (have ?? 0));
  const isRate = unit === '%';
  const gap = isRate ? `${fmt(remaining)} 个百分点` : quantity(remaining, unit);
  const now = have === null ? '尚未报送' : `当前 ${quantity(have, unit)}${p?.asOf ? `（截至${md(p.asOf)}）` : ''}`;
  const head = `· ${m.id} ${m.name}：目标 ${quantity(target, unit)}，${now}，还差 ${gap}`;
  if (m.kind === 'level') return `${head}，须在 ${daysLeft} 天内达到目标`;
  // A weekly pace only makes sense with at least a week left.
  if (daysLeft < 7) return `${head}，需在 ${daysLeft} 天内完成`;
  const pace = remaining / (daysLeft / 7);
  return `${head}，需每周完成约 ${quantityUp(pace, unit)}`;
}

export function deadlineText(opts: {
  deadline: string;
  daysLeft: number;
  items: Array<{ metric: Metric; progress: MetricProgress | undefined }>;
}): string {
  const lines = opts.items.map(({ metric, progress }) => deadlineLine(metric, progress, opts.daysLeft));
  return `【截止提醒】距截止日期（${md(opts.deadline)}）还有 ${opts.daysLeft} 天，以下指标尚未完成：\n${lines.join('\n')}`;
}

export function lagAlertText(items: Array<{ metric: Metric; progress: MetricProgress }>, thresholdPct: number): string {
  const lines = items.map(({ metric: m, progress: p }) => {
    const done = p.share !== null ? fmt(p.share * 100) : '—';
    const against =
      p.rule === 'target'
        ? `达目标值的 ${done}%（比率类按目标值判断）`
        : `完成 ${done}%，序时 ${fmt(p.expectedShare * 100)}%`;
    return `· ${m.id} ${m.name}：${p.value !== null ? quantity(p.value, p.unit) : '—'}/${quantity(p.target ?? 0, p.unit)}，${against}（${m.lead.join('、')}）`;
  });
  return `【严重滞后】以下指标已低于应达进度的 ${fmt(thresholdPct)}%：\n${lines.join('\n')}\n请责任单位分析原因、加快推进。`;
}

/** To the admins: units that owe reports but have nobody the bot can remind. */
export function unboundText(units: Array<{ org: string; metrics: string[] }>): string {
  return (
    `【无法提醒】以下单位负责的指标尚未完成，但没有绑定联系人，机器人无法提醒它们报送：\n${units.map((u) => `· ${u.org}（${u.metrics.join('、')}）`).join('\n')}\n` +
    '请让该单位的联系人发送「/绑定 单位名称」并由管理员确认，或用 `npm run cli -- contacts import` 导入。周报不把这些单位列为“未报送”，只在此提示。'
  );
}
