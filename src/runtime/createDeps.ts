import { prepareDatabase } from '../bootstrap.js';
import { pinnedClock, systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import { clockAnchor } from '../db/clockAnchorRepo.js';
import type { Db } from '../db/Db.js';
import type { Deps } from '../deps.js';
import type { LarkApi } from '../lark/LarkApi.js';
import { createLogger, type Logger } from '../logger.js';
import { lastRecordedTime } from './lastRecordedTime.js';

// The one place Deps are assembled, for the Node server, the Worker and the CLI: the logger's
// secret list, the clock choice and the catalog come from here, so the runtimes cannot drift.
// Each runtime brings only what is its own: the database handle, the Lark client and `defer`.

/** Every configured value a log line must never show. */
export function secretsOf(config: Config): Array<string | undefined> {
  return [
    config.LARK_APP_SECRET,
    config.LARK_ENCRYPT_KEY,
    config.LARK_VERIFICATION_TOKEN,
    config.DATABASE_AUTH_TOKEN,
    config.BOARD_SECRET,
  ];
}

/**
 * The clock the config asks for. MINSHENG_NOW pins a start that runs on from the anchor stored in
 * the database, so every Worker isolate, request and cron tick, and a restarted Node process, read
 * the same time: demos of a past year behave alike on both runtimes.
 */
export async function configuredClock(
  db: Db,
  config: Pick<Config, 'MINSHENG_NOW'>,
  real: Clock = systemClock,
  resume = false,
): Promise<Clock> {
  if (!config.MINSHENG_NOW) return real;
  const start = await clockAnchor(db, config.MINSHENG_NOW, real.now().getTime());
  const anchored = pinnedClock(config.MINSHENG_NOW, real, start);
  if (!resume) return anchored;
  // At a server start, never before what the database already recorded (an anchor lost, or a
  // database copied from a longer run): what a previous run received must not look "in the
  // future" to recovery.
  const last = await lastRecordedTime(db);
  const behind = last + 1 - anchored.now().getTime();
  return behind > 0 ? { now: () => new Date(anchored.now().getTime() + behind) } : anchored;
}

export interface CreateDepsInput {
  config: Config;
  db: Db;
  lark: LarkApi | null;
  /** The runtime's deferred work, given the logger (a queue on Node, waitUntil on Workers). */
  defer: (log: Logger) => Deps['defer'];
  /** Replaces the configured logger (tests). */
  log?: Logger;
  /** Where log lines go (the CLI keeps stdout for its own output); default console.log. */
  write?: (line: string) => void;
  /** Overrides LOG_LEVEL (the CLI is quiet unless asked). */
  logLevel?: Config['LOG_LEVEL'];
  /** Replaces the configured clock (tests move it by hand). */
  clock?: Clock;
  /** A server start: a pinned clock resumes after the latest time the database recorded. */
  resumeClock?: boolean;
}

/** Seeds the catalog if needed and builds Deps. The database must be migrated already. */
export async function createDeps(i: CreateDepsInput): Promise<Deps> {
  const { config, db } = i;
  const log =
    i.log ??
    createLogger({
      level: i.logLevel ?? config.LOG_LEVEL,
      secrets: secretsOf(config),
      ...(i.write ? { write: i.write } : {}),
    });
  const catalog = await prepareDatabase(db, config);
  const clock = i.clock ?? (await configuredClock(db, config, systemClock, i.resumeClock ?? false));
  return { config, db, catalog, clock, log, lark: i.lark, defer: i.defer(log) };
}
