import { button, buttonRow, card, colored, esc, md, type Card } from './kit.js';

/** Sent to every admin: a user asks to be bound to an organisation. */
export function bindRequestCard(opts: {
  openId: string;
  name?: string | null;
  org: string;
  reportId: number;
  decided?: { approved: boolean; by: string };
}): Card {
  const who = opts.name ? `${esc(opts.name)}（${esc(opts.openId)}）` : esc(opts.openId);
  const els = [md(`${who} 申请绑定为 **${esc(opts.org)}** 的联系人。`)];
  if (opts.decided)
    els.push(
      md(
        colored(
          `${opts.decided.approved ? '已批准' : '已拒绝'}（${esc(opts.decided.by)}）`,
          opts.decided.approved ? 'green' : 'grey',
        ),
      ),
    );
  else
    els.push(
      buttonRow([
        button('批准', { a: 'approve', u: opts.openId, o: opts.org, r: opts.reportId }, 'primary'),
        button('拒绝', { a: 'reject', u: opts.openId, o: opts.org, r: opts.reportId }, 'danger'),
      ]),
    );
  return card({
    title: '绑定申请',
    template: opts.decided ? 'grey' : 'orange',
    summary: `绑定申请：${opts.org}`,
    elements: els,
  });
}
