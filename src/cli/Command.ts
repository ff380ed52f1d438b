/** An operator command: its arguments in, an exit code out (0 done, 1 failed, 2 bad usage). */
export type Command = (args: string[]) => Promise<number>;

/** How a feature adds its commands to the CLI: a name, one line of help, and a lazy loader. */
export type Register = (name: string, help: string, load: () => Promise<Command>) => void;
