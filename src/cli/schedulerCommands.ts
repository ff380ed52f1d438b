type Command = (args: string[]) => Promise<number>;
type Register = (name: string, help: string, load: () => Promise<Command>) => void;

/** CLI commands of the scheduler feature (register(name, help, lazy loader)). */
export function registerSchedulerCommands(register: Register): void {
  void register;
}
