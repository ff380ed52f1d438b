import type { Deps } from '../deps.js';
import type { IncomingMessage } from './types.js';

/** Entry for every chat message (placeholder until the conversation handlers land). */
export async function handleMessage(deps: Deps, msg: IncomingMessage): Promise<void> {
  deps.log.info('message_received', { eventId: msg.eventId, messageId: msg.messageId, chatType: msg.chatType });
}
