import type { ContactView as Contact } from './types.js';
import { card, colored, esc, md, type Card, type Element } from './kit.js';

/** /联系人: active contacts, grouped by organisation. */
export function contactsCard(opts: { org?: string; contacts: Contact[]; today: string }): Card {
  const groups = new Map<string, Contact[]>();
  for (const c of opts.contacts) {
    const k = c.org ?? '（未绑定单位）';
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const els: Element[] = [...groups.entries()].slice(0, 60).map(([org, list]) =>
    md(
      `**${esc(org)}**\n${list
        .slice(0, 30)
        .map(
          (c) =>
            `- ${esc(c.name ?? '（无名）')} ${colored(esc(c.openId), 'grey')}${c.role === 'admin' ? ' · 管理员' : ''}${c.leaveUntil && c.leaveUntil >= opts.today ? ` · 请假至 ${c.leaveUntil}` : ''}`,
        )
        .join('\n')}`,
    ),
  );
  if (!els.length) els.push(md(opts.org ? `${esc(opts.org)} 还没有联系人。` : '还没有联系人。'));
  return card({
    title: opts.org ? `联系人 · ${opts.org}` : '联系人',
    template: 'turquoise',
    summary: '联系人',
    elements: els,
  });
}
