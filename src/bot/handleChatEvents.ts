import type { Deps } from '../deps.js';
import { rememberChat } from '../db/chatsRepo.js';
import { howToBindText } from './hints.js';
import { dayIn, personOf } from './people.js';
import { sendToChat, sendToUser } from './reply.js';

/** The bot was added to a group: say hello and how the group gets digests. */
export async function handleBotAdded(
  deps: Deps,
  chat: { eventId: string; chatId: string; name?: string },
): Promise<void> {
  deps.log.info('bot_added', { eventId: chat.eventId, chatId: chat.chatId });
  await rememberChat(deps.db, chat.chatId, chat.name ?? null, deps.clock.now().getTime());
  await sendToChat(
    deps,
    chat.chatId,
    [
      '大家好，我是民生实事进度助手。',
      '· 联系人 @我 发送进展即可报送，例如「@进度助手 本周新增改造老旧小区15个」；',
      '· 管理员 @我 发送「/订阅」让本群每周收到全部项目的进度周报，或「/订阅 1 3 13」只订阅这些项目；「/退订」取消；',
      '· @我 发送「/帮助」查看全部命令。',
    ].join('\n'),
    `hello-${chat.eventId}`,
  );
}

/** A user opened the p2p chat with the bot: welcome, and how to bind. */
export async function handleP2pEntered(
  deps: Deps,
  user: { eventId: string; openId: string; chatId?: string },
): Promise<void> {
  deps.log.info('p2p_entered', { eventId: user.eventId });
  // Lark sends this each time the chat is opened: greet only people not yet bound, once a day.
  const person = await personOf(deps, user.openId);
  if (person.org) return;
  const day = dayIn(deps.clock.now().getTime(), deps.config.BOT_TIMEZONE);
  await sendToUser(
    deps,
    user.openId,
    `你好，我是民生实事进度助手，帮助各责任单位报送和查看 ${deps.catalog.year} 年重点民生实事的进展。\n${howToBindText().replace('你还没有绑定单位，暂时不能报送。', '第一次使用请先绑定单位：')}\n发送「/帮助」查看全部用法。`,
    `welcome-${day}`,
  );
}
