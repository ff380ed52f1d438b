import type { Logger } from '../logger.js';
import { runDeferred } from './runDeferred.js';

export interface DeferQueueOptions {
  /** Work whose label matches runs at most `concurrency` at a time, in arrival order. */
  limited?: RegExp;
  concurrency?: number;
}

/**
 * Node's stand-in for ctx.waitUntil: work that runs after the HTTP answer, tracked so shutdown can
 * wait for it. Nothing is lost if the process dies anyway: the inbox and outbox rows it works on
 * are picked up again at start.
 *
 * Event processing is CPU-bound on one thread (the embedded database answers synchronously, so an
 * await on it never lets the event loop take a new request). Run without a limit, a burst of events
 * would hold the loop for the whole burst and Lark's acks would wait behind it. So matching work
 * runs one at a time (by default), and each piece first yields to the event loop (setImmediate),
 * letting every request that arrived meanwhile be answered first. The backlog is durable in the
 * inbox; this queue only orders it, and on shutdown (close) it finishes what is running and
 * leaves the rest to the inbox.
 */
export class DeferQueue {
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: Array<(go: boolean) => void> = [];
  private active = 0;
  private closed = false;
  private readonly limited: RegExp | undefined;
  private readonly concurrency: number;

  constructor(
    private readonly log: Logger,
    opts: DeferQueueOptions = {},
  ) {
    this.limited = opts.limited;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  defer = (label: string, work: () => Promise<void>): void => {
    const limited = this.limited?.test(label) ?? false;
    const p = (async () => {
      if (limited && !(await this.acquire())) return;
      try {
        await runDeferred(this.log, label, work);
      } finally {
        if (limited) this.release();
      }
    })();
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  };

  /** Resolves true with a slot, or false when the queue was closed while waiting. */
  private async acquire(): Promise<boolean> {
    if (this.closed) return false;
    if (this.active >= this.concurrency) {
      if (!(await new Promise<boolean>((r) => this.waiting.push(r)))) return false;
    } else this.active++;
    await new Promise<void>((r) => setImmediate(r));
    return true;
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next)
      next(true); // the slot passes straight to the next in line
    else this.active--;
  }

  /**
   * Shutdown: limited work still waiting its turn is not started (it is durable — the inbox holds
   * it, and the next start's sweep takes it), so a long backlog cannot hold a stop for minutes;
   * then waits for what is running. Returns how many waiting pieces were left.
   */
  async close(): Promise<number> {
    this.closed = true;
    const left = this.waiting.splice(0);
    for (const w of left) w(false);
    await this.drain();
    return left.length;
  }

  /** Work deferred and not finished (running or waiting its turn). */
  get size(): number {
    return this.running.size;
  }

  /** Waits until nothing is running (work may defer more work; that is waited for too). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
