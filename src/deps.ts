import type { Catalog } from './catalog/Catalog.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/Db.js';
import type { LarkApi } from './lark/LarkApi.js';
import type { Logger } from './logger.js';

/**
 * Everything the core needs from a runtime. runtime/node.ts and runtime/worker.ts each build one;
 * bot/ and jobs/ see only this, never Hono's context, process.env or a driver.
 */
export interface Deps {
  config: Config;
  db: Db;
  /** The active year's catalog (CATALOG_YEAR, else the newest in the database). */
  catalog: Catalog;
  clock: Clock;
  log: Logger;
  /** Talks to Lark's Open API; null in local mode (no credentials), where the outbox keeps messages unsent. */
  lark: LarkApi | null;
  /**
   * Runs work after the HTTP answer has gone out: ctx.waitUntil on Workers, a tracked promise on
   * Node (drained on shutdown). Errors are logged, never thrown at the caller.
   */
  defer(label: string, work: () => Promise<void>): void;
}
