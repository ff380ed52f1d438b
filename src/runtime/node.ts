import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp } from '../app.js';
import type { Clock } from '../clock.js';
import { ConfigError, parseConfig, type Config } from '../config.js';
import type { Deps } from '../deps.js';
import type { LarkApi } from '../lark/LarkApi.js';
import { eventSink, type EventPathOptions } from '../eventPath.js';
import { startPeriodicSweep } from './sweep.js';
import type { MakeWsClient, WsMode } from '../lark/wsMode.js';
import type { Logger } from '../logger.js';
import { createDeps } from './createDeps.js';
import { nodeLarkApi } from './nodeLarkApi.js';
import { DeferQueue } from './DeferQueue.js';
import { openNodeDb } from './openNodeDb.js';
import { ProcessorHost } from './ProcessorHost.js';
import { startNodeScheduler } from './nodeScheduler.js';
import { nodeLarkCrypto } from './nodeLarkCrypto.js';
import { nodeLarkListener } from './nodeLarkListener.js';
import { AcceptLog, acceptLogDir } from './AcceptLog.js';
import { ownerKey } from './acceptLogOwner.js';
import { insertEvent } from '../db/inboxRepo.js';
import { catchUp } from '../jobs/runDue.js';
import { kickDelivery } from '../outbox/kickDelivery.js';
import { errorMessage } from '../errors.js';

// The Node runtime: an embedded libsql file, node:http (Lark's routes) and @hono/node-server (the
// rest), node-cron. The only place (with cli.ts) that reads process.env or touches Node's APIs.
// startNodeServer is the whole wiring, so tests start the same thing `npm start` does (on a random
// port, over a temp database).

export interface NodeServerOptions {
  log?: Logger;
  clock?: Clock;
  /** Replaces the SDK-based LarkApi (null: local mode even with credentials). */
  lark?: LarkApi | null;
  receiver?: EventPathOptions;
  /** Inbox/outbox recovery sweep period; 0 turns the periodic sweep off (the start-up pass still runs). */
  sweepIntervalMs?: number;
  /** Run the job scheduler (default true). */
  scheduler?: boolean;
  /** Long-connection mode: builds the WSClient (tests pass a stand-in; Lark is not reachable from here). */
  makeWsClient?: MakeWsClient;
  /**
   * Where events are processed (and jobs and the sweep run): 'inline' on the request thread
   * (default: tests inject a clock and a LarkApi), or 'thread', a worker thread with its own
   * connection, as `npm start` runs, so acks never wait behind processing.
   */
  processing?: 'inline' | 'thread';
}

export interface NodeServer {
  deps: Deps;
  port: number;
  url: string;
  queue: DeferQueue;
  /** The processing thread (`processing: 'thread'`). */
  processor?: ProcessorHost;
  ws?: WsMode;
  /** The start-up recovery pass (pending inbox events, unsent outbox rows) has finished. */
  recovered: Promise<void>;
  /** Runs one sweep pass now (or waits for the running one). */
  sweep(): Promise<void>;
  /** Stops taking requests, finishes deferred work and the sweep, closes the database. */
  close(): Promise<void>;
  /** Dies as a crash would: no draining (tests of recovery). */
  abandon(): Promise<void>;
}

export async function startNodeServer(config: Config, opts: NodeServerOptions = {}): Promise<NodeServer> {
  const { db, client } = await openNodeDb(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  const lark = opts.lark !== undefined ? opts.lark : await nodeLarkApi(config);
  let queue!: DeferQueue;
  const deps: Deps = await createDeps({
    config,
    db,
    lark,
    resumeClock: true,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    // Event processing one at a time, after pending requests (see DeferQueue): acks stay fast under load.
    defer: (log) => {
      queue = new DeferQueue(log, { limited: /^event:/, concurrency: 1 });
      return queue.defer;
    },
  });
  const { log, catalog } = deps;

  if (config.localMode) {
    log.warn('local_mode', {
      message:
        'No LARK_APP_ID/LARK_APP_SECRET: local mode. Nothing is sent to Lark; outgoing messages are logged and kept in the outbox.',
    });
  }

  // With a processing thread over a file, an accepted event is appended to the accept log and the
  // thread moves it into the inbox (see AcceptLog); otherwise it goes into the inbox at once.
  const logDir = opts.processing === 'thread' ? acceptLogDir(config.DATABASE_URL) : null;
  const acceptLog = logDir ? new AcceptLog(logDir) : null;
  let keepInLog = acceptLog !== null;
  const thread =
    opts.processing === 'thread'
      ? new ProcessorHost(
          {
            config,
            clockOffsetMs: deps.clock.now().getTime() - Date.now(),
            scheduler: opts.scheduler !== false,
            sweepIntervalMs: opts.sweepIntervalMs ?? 15_000,
            dispatch: { ...opts.receiver, onAccepted: undefined },
            acceptLogDir: logDir,
            acceptLogOwner: acceptLog ? ownerKey(acceptLog.owner) : null,
          },
          log,
        )
      : null;
  const receiver: EventPathOptions = {
    crypto: nodeLarkCrypto,
    ...opts.receiver,
    ...(thread ? { onAccepted: thread.submit } : {}),
    ...(acceptLog
      ? { keep: (e) => (keepInLog ? acceptLog.append(e) : insertEvent(db, e, e.receivedAt).then(() => {})) }
      : {}),
  };
  // If the processing thread dies, nobody here moves the log any more. Closed, it is moved by the
  // next start or within 15 s by another server on the file, and new events go straight into the
  // inbox, where another server's sweep finds them (as before there was a log).
  if (thread && acceptLog)
    thread.onExit = () => {
      keepInLog = false;
      acceptLog.close();
      log.warn('accept_log_closed', { message: 'the processing thread ended: events go into the inbox directly' });
    };

  const app = createApp(deps, [], { lark: receiver });
  // Lark's routes on node:http directly (see nodeLarkListener), everything else through Hono.
  // One sink for both receivers (the webhook here, the long connection below).
  const sink = eventSink(deps, receiver);
  const larkRoutes = nodeLarkListener(deps, sink, receiver, thread?.acks);
  const rest = getRequestListener(app.fetch);
  const server: Server = createServer((req, res) => {
    if (!larkRoutes(req, res)) void rest(req, res);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, ...(config.PORT === 0 ? ['127.0.0.1'] : []), () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : config.PORT);
    });
  });
  log.info('listening', {
    port,
    catalog: catalog.year,
    metrics: catalog.metrics.length,
    mode: config.localMode ? 'local' : 'lark',
    eventMode: config.LARK_EVENT_MODE,
  });

  // With a processing thread, the jobs and the sweep run there.
  const scheduler = opts.scheduler === false || thread ? { stop: () => {} } : startNodeScheduler(deps);
  // A digest or reminder missed while the server was down goes out now if its period is still open.
  if (opts.scheduler !== false && !thread)
    deps.defer('job:catch-up', async () => {
      await catchUp(deps);
      await kickDelivery(deps);
    });
  // Recovery at start (events acknowledged but never processed, outbox rows never sent), then
  // periodically for retries and for whatever another instance left behind.
  const interval = opts.sweepIntervalMs ?? 15_000;
  const sweeper = thread
    ? { firstPass: thread.recovered, runNow: () => thread.sweep(), stop: async () => {} }
    : startPeriodicSweep(deps, interval > 0 ? interval : 2 ** 31 - 1);

  let ws: WsMode | undefined;
  if (config.LARK_EVENT_MODE === 'ws') {
    if (config.localMode) {
      log.warn('lark_ws_unavailable', {
        message: 'LARK_EVENT_MODE=ws needs LARK_APP_ID/LARK_APP_SECRET; not connecting',
      });
    } else {
      const { startWsMode } = await import('../lark/wsMode.js');
      ws = startWsMode(deps, sink, opts.makeWsClient ? { makeClient: opts.makeWsClient } : {});
      log.info('lark_ws_started', {});
    }
  }

  const closeServer = () => new Promise<void>((r) => server.close(() => r()));
  return {
    deps,
    port,
    url: `http://127.0.0.1:${port}`,
    queue,
    ...(thread ? { processor: thread } : {}),
    ...(ws ? { ws } : {}),
    recovered: sweeper.firstPass,
    sweep: sweeper.runNow,
    async close() {
      scheduler.stop();
      ws?.close();
      await closeServer();
      // Nothing more is accepted: the thread moves the rest of the log into the inbox and deletes it.
      acceptLog?.close();
      await sweeper.stop();
      const left = (await queue.close()) + (thread ? await thread.close() : 0);
      if (left > 0) log.info('events_left_in_inbox', { count: left, message: 'processed at the next start' });
      client.close();
    },
    async abandon() {
      scheduler.stop();
      ws?.close();
      server.closeAllConnections();
      await closeServer();
      // The log stays for the next start. Its marker goes, as a crashed process's pid would.
      acceptLog?.close();
      void sweeper.stop();
      await thread?.abandon();
      client.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`minsheng: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // The handlers come before the start, so a SIGTERM while starting (a deploy, a test, a quick
  // Ctrl-C) stops cleanly with 0 instead of Node's default 143: the start finishes, then closes.
  let stopping = false;
  let starting: Promise<NodeServer> | undefined;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const node = await starting?.catch(() => undefined);
    if (node) {
      node.deps.log.info('shutting_down', { signal, deferred: node.queue.size });
      await node.close();
      node.deps.log.info('stopped', {});
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  starting = startNodeServer(config, { processing: 'thread' });
  await starting;
}

// Run only as the entry point (`tsx src/runtime/node.ts`), not when imported by tests.
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`minsheng: failed to start: ${errorMessage(err)}\n`);
    process.exit(1);
  });
}
