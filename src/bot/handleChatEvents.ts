import type { Deps } from '../deps.js';

/** The bot was added to a group (placeholder until the conversation handlers land). */
export async function handleBotAdded(deps: Deps, chat: { eventId: string; chatId: string; name?: string }): Promise<void> {
  deps.log.info('bot_added', { eventId: chat.eventId, chatId: chat.chatId });
}

/** A user opened the p2p chat with the bot (placeholder until the conversation handlers land). */
export async function handleP2pEntered(deps: Deps, user: { eventId: string; openId: string; chatId?: string }): Promise<void> {
  deps.log.info('p2p_entered', { eventId: user.eventId });
}
