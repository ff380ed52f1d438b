import { getChat, setSubscription } from '../../db/chatsRepo.js';
import { setLeave } from '../../db/contactsRepo.js';
import { changeDeadline, DeadlineError } from '../../duties/deadlines.js';
import { listSettings, SettingError, updateSetting } from '../../settings/settings.js';
import { scanDates } from '../../parser/dates.js';
import type { CommandContext, CommandRun } from '../commandTable.js';
import { howToBindText } from '../hints.js';

function projectNumbers(c: CommandContext): { nos: number[] } | { error: string } {
  const nos: number[] = [];
  for (const a of c.args) {
    const n = Number(a);
    if (!Number.isInteger(n) || !c.deps.catalog.project(n))
      return { error: `没有项目「${a}」。项目号是 1-${c.deps.catalog.projects.length}，发送「/目标」查看。` };
    nos.push(n);
  }
  return { nos };
}

function groupAdminOnly(c: CommandContext): string | undefined {
  if (c.msg.chatType !== 'group') return '请在要接收周报的群里 @我 发送这个命令。';
  if (!c.person.isAdmin) return '只有管理员可以设置本群的订阅。';
  return undefined;
}

const list = (nos: number[]) => (nos.length ? nos.join('、') : '无');

/** /订阅 [项目号…]: adds those projects (all without numbers) to this group's digests. */
export const subscribe: CommandRun = async (c) => {
  const denied = groupAdminOnly(c);
  if (denied) return denied;
  const r = projectNumbers(c);
  if ('error' in r) return r.error;
  const current = (await getChat(c.deps.db, c.msg.chatId))?.projects ?? [];
  const wanted = r.nos.length ? [...current, ...r.nos] : c.deps.catalog.projects.map((p) => p.no);
  const chat = await setSubscription(c.deps.db, c.msg.chatId, wanted, c.now);
  return `本群已订阅项目：${list(chat.projects)}。每周会收到这些项目的进度周报。`;
};

/** /退订 [项目号…]: removes those projects (all without numbers). */
export const unsubscribe: CommandRun = async (c) => {
  const denied = groupAdminOnly(c);
  if (denied) return denied;
  const r = projectNumbers(c);
  if ('error' in r) return r.error;
  const current = (await getChat(c.deps.db, c.msg.chatId))?.projects ?? [];
  const remove = new Set(r.nos);
  const chat = await setSubscription(
    c.deps.db,
    c.msg.chatId,
    r.nos.length ? current.filter((n) => !remove.has(n)) : [],
    c.now,
  );
  return chat.projects.length
    ? `已退订。本群仍订阅项目：${list(chat.projects)}。`
    : '本群已退订全部项目，不再收到周报。';
};

/** /请假 至 日期 (11月5日, 2024-11-05) · /请假 取消. */
export const leave: CommandRun = async (c) => {
  if (!c.person.org) return howToBindText();
  const text = c.args.join(' ');
  if (/^(取消|结束|销假|cancel|end)$/i.test(text)) {
    await setLeave(c.deps.db, c.msg.senderOpenId, null, c.now);
    return '已销假，提醒会照常发给你。';
  }
  const iso = /(\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? scanDates(text, c.date)[0]?.asOf;
  if (!iso) return '用法：/请假 至 11月5日（或 /请假 至 2024-11-05）；提前回来发送「/请假 取消」。';
  // A date with no year that has already passed this year means next year's.
  if (iso < c.date) return `日期 ${iso} 已经过去了，请写回来前的最后一天。`;
  await setLeave(c.deps.db, c.msg.senderOpenId, iso, c.now);
  return `已登记请假至 ${iso}（含）。期间的提醒会发给 ${c.person.org} 的其他联系人。`;
};

/** /设置 [KEY VALUE]: admin only; the scheduler's settings module validates and stores. */
export const settings: CommandRun = async (c) => {
  if (!c.person.isAdmin) return '只有管理员可以修改设置。';
  const [key, ...rest] = c.args;
  // /设置 截止 1-1 2024-11-15: moves a metric's deadline (src/jobs/deadlines.ts).
  if (key === '截止' || key === '截止日期' || key === 'deadline') {
    try {
      const d = await changeDeadline(c.deps, rest[0] ?? '', rest.slice(1).join(''), c.msg.senderOpenId);
      return `已将 ${d.metric.id} ${d.metric.name} 的截止日期由 ${d.from} 改为 ${d.to}。序时进度和截止提醒随之调整。`;
    } catch (err) {
      if (err instanceof DeadlineError) return err.message;
      throw err;
    }
  }
  if (!key || rest.length === 0) {
    const all = await listSettings(c.deps.db);
    return `用法：/设置 名称 值，例如「/设置 周报时间 周一 09:00」；改截止日期：「/设置 截止 1-1 2024-11-15」。\n${all.map((s) => `· ${s.label}（${s.key}）：${s.value}${s.isDefault ? '（默认）' : ''}`).join('\n')}`;
  }
  try {
    const v = await updateSetting(c.deps, key, rest.join(' '), c.msg.senderOpenId);
    return `已设置 ${v.label}：${v.value}。`;
  } catch (err) {
    if (err instanceof SettingError) return err.message;
    throw err;
  }
};
