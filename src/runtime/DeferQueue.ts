import type { Logger } from '../logger.js';

/**
 * Node's stand-in for ctx.waitUntil: work that runs after the HTTP answer, tracked so shutdown can
 * wait for it. Nothing is lost if the process dies anyway: the inbox and outbox rows it works on
 * are picked up again at start.
 */
export class DeferQueue {
  private readonly running = new Set<Promise<void>>();
  constructor(private readonly log: Logger) {}

  defer = (label: string, work: () => Promise<void>): void => {
    const p = (async () => {
      try {
        await work();
      } catch (err) {
        this.log.error('deferred_failed', { label, error: err instanceof Error ? err.message : String(err) });
      }
    })();
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  };

  get size(): number {
    return this.running.size;
  }

  /** Waits until nothing is running (work may defer more work; that is waited for too). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
