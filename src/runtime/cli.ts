// The operator CLI: `npm run cli -- <command> …`. Runs TypeScript directly through tsx, so no build
// step is needed after `npm install`. Each command lives in its own module, loaded on demand, so a
// command's dependencies (a database, Lark) are only touched when it runs.

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  parse: async () => (await import('../parser/parseCommand.js')).parseCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`usage: npm run cli -- <command>\ncommands: ${Object.keys(commands).join(', ')}\n`);
    return name ? 2 : 0;
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
