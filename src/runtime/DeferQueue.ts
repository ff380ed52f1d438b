import type { Logger } from '../logger.js';

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
 * inbox; this queue only orders it.
 */
export class DeferQueue {
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private readonly limited: RegExp | undefined;
  private readonly concurrency: number;

  constructor(private readonly log: Logger, opts: DeferQueueOptions = {}) {
    this.limited = opts.limited;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  defer = (label: string, work: () => Promise<void>): void => {
    const limited = this.limited?.test(label) ?? false;
    const p = (async () => {
      if (limited) await this.acquire();
      try {
        await work();
      } catch (err) {
        this.log.error('deferred_failed', { label, error: err instanceof Error ? err.message : String(err) });
      } finally {
        if (limited) this.release();
      }
    })();
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  };

  private async acquire(): Promise<void> {
    if (this.active >= this.concurrency) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    await new Promise<void>((r) => setImmediate(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight to the next in line
    else this.active--;
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
