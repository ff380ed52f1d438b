import type { CommandRun } from '../bot/commandTable.js';
import type { Person } from '../bot/people.js';
import { sendToUser } from '../bot/reply.js';
import type { CardActionResponse } from '../bot/types.js';
import type { Deps } from '../deps.js';
import { BoardUnavailable, CHAT_LINK_DAYS, mintBoardLink, unavailableText } from './boardLink.js';
import { boardLinkCard } from './boardLinkCard.js';
import { personOf } from '../bot/people.js';
import type { Card } from '../cards/kit.js';

// /看板 in chat and the digest card's 「打开进度看板」 button: a link bound to the asker, valid 7
// days. In a group the link goes to the asker privately (it is theirs, not the group's).

export const NOT_ALLOWED =
  '看板只对已绑定的联系人和管理员开放。发送「/绑定 单位名称」申请绑定，管理员批准后再发送「/看板」。';

async function linkCard(deps: Deps, person: Person, nowMs: number): Promise<Card | string> {
  if (!person.isAdmin && !person.org) return NOT_ALLOWED;
  try {
    const link = await mintBoardLink(deps.config, person.openId, { days: CHAT_LINK_DAYS, nowMs });
    const expires = new Intl.DateTimeFormat('zh-CN', {
      timeZone: deps.config.BOT_TIMEZONE,
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(link.expiresAt);
    return boardLinkCard({ url: link.url, days: CHAT_LINK_DAYS, expires });
  } catch (err) {
    if (err instanceof BoardUnavailable) return unavailableText(err);
    throw err;
  }
}

/** /看板. */
export const board: CommandRun = async (c) => {
  const answer = await linkCard(c.deps, c.person, c.now);
  if (typeof answer === 'string' || c.msg.chatType !== 'group') return answer;
  await sendToUser(c.deps, c.person.openId, answer, `board-${c.msg.messageId}`, 'b');
  return '看板链接已私信发给你（链接只属于你，请勿转发）。';
};

/** The digest card's button: the link goes to the clicker privately; the click gets a toast. */
export async function boardButton(deps: Deps, operatorOpenId: string, eventId: string): Promise<CardActionResponse> {
  const person = await personOf(deps, operatorOpenId);
  const answer = await linkCard(deps, person, deps.clock.now().getTime());
  if (typeof answer === 'string') return { toast: { type: 'warning', content: answer.slice(0, 200) } };
  await sendToUser(deps, operatorOpenId, answer, `boardbtn-${eventId}`, 'b');
  return { toast: { type: 'success', content: '看板链接已私信发给你，7 天内有效。' } };
}
