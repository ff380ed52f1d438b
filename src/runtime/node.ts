import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import { prepareDatabase } from '../bootstrap.js';
import { pinnedClock, systemClock } from '../clock.js';
import { ConfigError, parseConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { createLogger } from '../logger.js';
import { DeferQueue } from './DeferQueue.js';
import { openNodeDb } from './openNodeDb.js';
import { startNodeScheduler } from './nodeScheduler.js';

// The Node runtime: an embedded libsql file, @hono/node-server, node-cron. The only place (with
// cli.ts) that reads process.env or touches Node's APIs.

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`minsheng: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger({
    level: config.LOG_LEVEL,
    secrets: [config.LARK_APP_SECRET, config.LARK_ENCRYPT_KEY, config.LARK_VERIFICATION_TOKEN, config.DATABASE_AUTH_TOKEN],
  });
  const { db, client } = await openNodeDb(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  const catalog = await prepareDatabase(db, config);
  const clock = config.MINSHENG_NOW ? pinnedClock(config.MINSHENG_NOW) : systemClock;
  const queue = new DeferQueue(log);
  const deps: Deps = { config, db, catalog, clock, log, lark: null, defer: queue.defer };

  if (config.localMode) {
    log.warn('local_mode', { message: 'No LARK_APP_ID/LARK_APP_SECRET: local mode. Nothing is sent to Lark; outgoing messages are logged and kept in the outbox.' });
  }

  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    log.info('listening', { port: info.port, catalog: catalog.year, metrics: catalog.metrics.length, mode: config.localMode ? 'local' : 'lark' });
  });
  const scheduler = startNodeScheduler(deps);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting_down', { signal, deferred: queue.size });
    scheduler.stop();
    await new Promise<void>((r) => server.close(() => r()));
    await queue.drain();
    client.close();
    log.info('stopped', {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`minsheng: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
