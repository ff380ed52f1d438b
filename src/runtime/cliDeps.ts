import { parseConfig, type Config } from '../config.js';
import type { Db } from '../db/Db.js';
import type { Deps } from '../deps.js';
import { createDeps } from './createDeps.js';
import { DeferQueue } from './DeferQueue.js';
import { openNodeDb } from './openNodeDb.js';

/**
 * The configured database for a command that needs no Deps (migrate, seed, catalog import): the
 * driver stays inside runtime/, the one place that knows it.
 */
export async function openCliDb(): Promise<{ config: Config; db: Db; close(): void }> {
  const config = parseConfig(process.env);
  const { db, client } = await openNodeDb(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  return { config, db, close: () => client.close() };
}

/**
 * Deps for an operator command, against the configured database. The CLI never talks to Lark:
 * what a command would send stays in the outbox as 'local' (the running bot does the sending), so
 * commands are safe to try. Logs go to stderr so stdout stays the command's own output.
 */
export async function openCliDeps(
  opts: { logLevel?: 'debug' | 'info' | 'warn' | 'error' } = {},
): Promise<{ deps: Deps; close(): Promise<void> }> {
  const config = parseConfig(process.env);
  const { db, client } = await openNodeDb(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  let queue!: DeferQueue;
  const deps = await createDeps({
    config,
    db,
    lark: null,
    logLevel: opts.logLevel ?? 'warn',
    write: (line) => process.stderr.write(`${line}\n`),
    defer: (log) => {
      queue = new DeferQueue(log);
      return queue.defer;
    },
  });
  return {
    deps,
    close: async () => {
      await queue.drain();
      client.close();
    },
  };
}

/** `--name value` and `--flag` from an argument list; the rest are positional. */
export function parseArgs(args: string[]): { positional: string[]; flags: Record<string, string | true> } {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (v !== undefined) flags[k] = v;
      else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) flags[k] = args[++i]!;
      else flags[k] = true;
    } else positional.push(a);
  }
  return { positional, flags };
}
