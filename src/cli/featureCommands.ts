import { registerConversationCommands } from './conversationCommands.js';
import { registerSchedulerCommands } from './schedulerCommands.js';

type Command = (args: string[]) => Promise<number>;
type Register = (name: string, help: string, load: () => Promise<Command>) => void;

/** Commands of the features; each feature keeps its own list. */
export function registerFeatureCommands(register: Register): void {
  registerConversationCommands(register);
  registerSchedulerCommands(register);
}
