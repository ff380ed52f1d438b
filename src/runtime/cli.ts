// The operator CLI: `npm run cli -- <command> …`. Runs TypeScript directly through tsx, so no build
// step is needed after `npm install`. Each command lives in its own module, loaded on demand, so a
// command's dependencies are only touched when it runs. Exit codes: 0 done, 1 failed, 2 bad usage.

import type { Command } from '../cli/Command.js';
import { errorMessage } from '../errors.js';

const commands: Record<string, { help: string; load: () => Promise<Command> }> = {
  migrate: {
    help: 'apply database migrations',
    load: async () => (await import('../cli/migrateCommand.js')).migrateCommand,
  },
  seed: {
    help: 'seed the shipped catalogs (idempotent)',
    load: async () => (await import('../cli/seedCommand.js')).seedCommand,
  },
  catalog: {
    help: 'catalog show [metric-id] | catalog import FILE',
    load: async () => (await import('../cli/catalogCommand.js')).catalogCommand,
  },
  outbox: {
    help: 'outbox list [--failed] | outbox retry ID|--all-failed',
    load: async () => (await import('../cli/outboxCommand.js')).outboxCommand,
  },
  parse: {
    help: 'parse "文本" --org ORG --date YYYY-MM-DD | parse --jsonl',
    load: async () => (await import('../cli/parseCommand.js')).parseCommand,
  },
  corpus: {
    help: 'corpus export [--since YYYY-MM-DD] [--out FILE]: real messages with what was finally recorded, as dev-corpus JSON lines',
    load: async () => (await import('../cli/corpusCommand.js')).corpusCommand,
  },
  board: {
    help: 'board link [--days N] [--name LABEL]: a long-lived board link for a wall screen',
    load: async () => (await import('../board/boardLinkCommand.js')).boardLinkCommand,
  },
  export: {
    help: 'export [--date D] [--format xlsx|csv] --out FILE: the 通报 workbook',
    load: async () => (await import('../export/exportCommand.js')).exportCommand,
  },
};

/** Other modules add their commands here (kept in one table so `help` lists everything). */
export function registerCommand(name: string, help: string, load: () => Promise<Command>): void {
  commands[name] = { help, load };
}

async function main(argv: string[]): Promise<number> {
  const { registerFeatureCommands } = await import('../cli/featureCommands.js');
  registerFeatureCommands(registerCommand);
  const [name, ...rest] = argv;
  const entry = name ? commands[name] : undefined;
  if (!entry) {
    const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.help}`);
    (name && name !== 'help' ? process.stderr : process.stdout).write(
      `usage: npm run cli -- <command>\n${lines.join('\n')}\n`,
    );
    if (name && name !== 'help') process.stderr.write(`unknown command: ${name}\n`);
    return name && name !== 'help' ? 2 : 0;
  }
  return (await entry.load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${errorMessage(err)}\n`);
    process.exitCode = 1;
  },
);
