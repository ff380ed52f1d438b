type Command = (args: string[]) => Promise<number>;
type Register = (name: string, help: string, load: () => Promise<Command>) => void;

/**
 * Commands of the features (conversations, scheduler). Each feature adds its lines here; the
 * command modules themselves live next to their feature.
 */
export function registerFeatureCommands(register: Register): void {
  void register;
}
