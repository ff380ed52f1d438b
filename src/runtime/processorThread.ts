import { parentPort, workerData } from 'node:worker_threads';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Deps } from '../deps.js';
import { inboxOptions, type EventPathOptions } from '../eventPath.js';
import { processAccepted } from '../inbox/inbox.js';
import { pendingEventCount, pendingEventIds } from '../db/inboxRepo.js';
import { startPeriodicSweep } from './sweep.js';
import { catchUp } from '../jobs/runDue.js';
import { kickDelivery } from '../outbox/kickDelivery.js';
import { createDeps } from './createDeps.js';
import { nodeLarkApi } from './nodeLarkApi.js';
import { DeferQueue } from './DeferQueue.js';
import { openNodeDb } from './openNodeDb.js';
import { startNodeScheduler } from './nodeScheduler.js';
import { errorMessage } from '../errors.js';
import { runDeferred } from './runDeferred.js';
import { lowerThreadPriority } from './lowerThreadPriority.js';
import { AckGate, afterAcks } from './AckGate.js';
import { AcceptLogMover } from './AcceptLogMover.js';

// The processing thread of `npm start`: parsing, recording, replies, the recovery sweep and the
// scheduled jobs run here, on their own connection to the database, so the request thread only
// verifies, stores and acknowledges. Lark's acks never wait behind a report being parsed or a
// digest being built. The request thread only signals that there is work; the events are in its
// accept log (moved into the inbox here) or, without one, already in the inbox.

/** Pending events read from the inbox at a time. */
const PAGE = 100;

export interface ProcessorData {
  config: Config;
  /** The request thread's clock minus the system clock (MINSHENG_NOW), so both threads tell one time. */
  clockOffsetMs: number;
  scheduler: boolean;
  sweepIntervalMs: number;
  dispatch: EventPathOptions;
  /** The request thread's count of Lark requests in flight (AckGate). */
  ackGate: SharedArrayBuffer;
  /** The accept-log folder the thread moves into the inbox (null: events go into the inbox at the ack). */
  acceptLogDir: string | null;
  /** The request thread's own log in that folder (its owner key). */
  acceptLogOwner: string | null;
}

/** The longest one statement of processing waits for the acks in flight (see AckGate). */
const ACK_WAIT_MAX_MS = 100;

/** Messages to the thread. */
/** `work`: events were stored (they are in the inbox; the message carries none). */
export type ToProcessor = { type: 'work' } | { type: 'sweep'; id: number } | { type: 'close' };
/** Messages from the thread. */
export type FromProcessor =
  | { type: 'recovered' }
  | { type: 'swept'; id: number }
  | { type: 'closed'; left: number }
  | { type: 'failed'; error: string };

async function run(data: ProcessorData, port: NonNullable<typeof parentPort>): Promise<void> {
  const { config } = data;
  // Acks first when the cores are busy (see lowerThreadPriority): 10, not 19, so that on a machine
  // busy with other work the replies slow down rather than stop.
  lowerThreadPriority(10);
  // The request thread has migrated and seeded the database before starting this thread.
  const { db, client } = await openNodeDb(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  const gate = new AckGate(data.ackGate);
  afterAcks(client, gate, ACK_WAIT_MAX_MS);
  // One time on both threads: the request thread's clock (MINSHENG_NOW included) as an offset.
  const clock: Clock = { now: () => new Date(Date.now() + data.clockOffsetMs) };
  const lark = await nodeLarkApi(config);
  let queue!: DeferQueue;
  const deps: Deps = await createDeps({
    config,
    db,
    lark,
    clock,
    defer: (log) => {
      queue = new DeferQueue(log);
      return queue.defer;
    },
  });
  const { log } = deps;

  // The inbox is the backlog: the request thread's ids only say "there is work", and the thread
  // takes pending events from the database, oldest first, a page at a time. A backlog of 100k
  // events costs no memory here (holding their ids, and the messages carrying them, did), and an
  // event stored by another process or left by a crash is taken the same way.
  let wanted = false;
  let pumping: Promise<void> | null = null;
  let closing = false;
  // Accepted events reach the inbox from the accept log on their own loop, beside processing: a
  // chat's backlog can take minutes to drain, and the log is moved meanwhile. Statements of the two
  // interleave on the one connection (each is its own transaction; nothing here holds one open).
  const mover = data.acceptLogDir
    ? new AcceptLogMover(data.acceptLogDir, deps.db, log, data.acceptLogOwner, () => gate.pressed)
    : null;
  // The mover runs one pass at a time and a call during a pass gets one more pass (AcceptLogMover.move).
  const moveLog = async (): Promise<void> => {
    if (!mover) return;
    let stored = 0;
    try {
      stored = await mover.move();
    } catch (err) {
      log.error('accept_log_move_failed', { error: errorMessage(err) });
    }
    // New events in the inbox: processing is told, as the request thread told it before.
    if (stored > 0 && !closing) {
      wanted = true;
      pumping ??= pump();
    }
  };
  // A close stops processing after the event in hand, even in the middle of a chat's backlog.
  const inbox = { ...inboxOptions(data.dispatch), stop: () => closing };
  const pump = async () => {
    try {
      await drain();
    } finally {
      pumping = null;
    }
  };
  const drain = async () => {
    while (wanted && !closing) {
      wanted = false;
      for (;;) {
        const page = await pendingEventIds(deps.db, deps.clock.now().getTime(), PAGE);
        if (page.length === 0 || closing) break;
        for (const id of page) {
          if (closing) return;
          await runDeferred(log, `event:${id}`, () => processAccepted(deps, id, inbox));
          // The driver answers synchronously, so without this the loop would never leave the
          // microtask queue: no new messages, no close, no timers, and no finalizers of the
          // driver's statements (their native memory grew by megabytes a second).
          await new Promise((r) => setImmediate(r));
        }
      }
    }
  };

  // What a crash left in an accept log (this server's earlier life, or another's) is in the inbox
  // before the start-up sweep looks for pending events.
  await moveLog();
  // Another server on the same file that crashed: its log is taken at this period.
  const adopt = setInterval(() => void moveLog(), data.sweepIntervalMs > 0 ? data.sweepIntervalMs : 15_000);
  adopt.unref();

  const scheduler = data.scheduler ? startNodeScheduler(deps) : { stop: () => {} };
  if (data.scheduler)
    deps.defer('job:catch-up', async () => {
      await catchUp(deps);
      await kickDelivery(deps);
    });
  const sweeper = startPeriodicSweep(deps, data.sweepIntervalMs > 0 ? data.sweepIntervalMs : 2 ** 31 - 1);
  void sweeper.firstPass.then(() => port.postMessage({ type: 'recovered' } satisfies FromProcessor));

  port.on('message', (m: ToProcessor) => {
    if (m.type === 'work') {
      if (closing) return; // stored: the next start's sweep takes them
      if (mover) void moveLog();
      else {
        wanted = true;
        pumping ??= pump();
      }
    } else if (m.type === 'sweep') {
      void sweeper.runNow().then(() => port.postMessage({ type: 'swept', id: m.id } satisfies FromProcessor));
    } else if (m.type === 'close') {
      closing = true;
      void (async () => {
        scheduler.stop();
        clearInterval(adopt);
        await Promise.all([pumping, sweeper.stop()]);
        // The request thread closed its log before asking: all of it goes into the inbox now (after
        // a pass already running), and the log is deleted. The events are processed at the next start.
        await moveLog();
        const left = (await pendingEventCount(deps.db)) + (await queue.close());
        client.close();
        port.postMessage({ type: 'closed', left } satisfies FromProcessor);
        port.close();
      })();
    }
  });
}

if (parentPort) {
  const port = parentPort;
  run(workerData as ProcessorData, port).catch((err: unknown) => {
    port.postMessage({ type: 'failed', error: errorMessage(err) } satisfies FromProcessor);
  });
}
