import type { Register } from './Command.js';
/** CLI commands of the conversation feature (register(name, help, lazy loader)). */
export function registerConversationCommands(register: Register): void {
  register(
    'contacts',
    'contacts bind <open_id> <org> | unbind <open_id> | list [org] | import FILE.csv',
    async () => (await import('./contactsCommand.js')).contactsCommand,
  );
  register(
    'chats',
    'chats subscribe <chat_id> [project numbers] | unsubscribe <chat_id> | list',
    async () => (await import('./chatsCommand.js')).chatsCommand,
  );
  register(
    'chat',
    'chat --as 单位 [--admin]: talk to the bot from the terminal (stdin, line by line)',
    async () => (await import('./chatCommand.js')).chatCommand,
  );
}
