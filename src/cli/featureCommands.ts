import { registerConversationCommands } from './conversationCommands.js';
import { registerSchedulerCommands } from './schedulerCommands.js';
import type { Register } from './Command.js';

/** Commands of the features; each feature keeps its own list. */
export function registerFeatureCommands(register: Register): void {
  registerConversationCommands(register);
  registerSchedulerCommands(register);
}
