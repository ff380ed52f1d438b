import { sleep } from '../sleep.js';

// Keeps the bot under Lark's send limits (../shared/lark-platform-notes.md): 50/s and 1000/min per
// app, 5/s to one user, 5/s in one group. Per process (per Worker isolate): a cluster of several
// instances would need a shared counter, which this bot at its scale does not.
//
// Two mechanisms: token buckets pace calls smoothly (rate r, burst b); windows bound what Lark can
// see. A call counts in a window from when it is granted until `span` after it finished, so a call
// held up on the way (the first token fetch, a loaded machine, a slow network) cannot land at Lark
// in the same second as the ones granted after it on time: at most `cap` calls ever share a span.

export interface RateLimits {
  /** Per app: rate per second and burst. */
  appPerSecond: number;
  appBurst: number;
  /**
   * Per app and minute: Lark's own 1000, with no margin. The window counts a call until a minute
   * after it finished, later than Lark saw it arrive, so any minute Lark looks at holds at most
   * this many; a margin of 10 made 2,000 reminders wait a whole extra minute for the last 20.
   */
  appPerMinute: number;
  /** Per target (a user, or a chat: a reply counts against its chat). */
  targetPerSecond: number;
  targetBurst: number;
}

export const defaultRateLimits: RateLimits = {
  appPerSecond: 47,
  appBurst: 1,
  appPerMinute: 1000,
  targetPerSecond: 4,
  targetBurst: 1,
};

class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }
  /** Reserves a token; returns how long to wait before using it (the reservation may go negative). */
  reserve(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }
  idleSince(now: number): boolean {
    return this.tokens + ((now - this.last) / 1000) * this.rate >= this.burst;
  }
}

/** Calls granted and not finished, and when recent ones finished (within `span`). */
class Window {
  inFlight = 0;
  readonly finished: number[] = [];
  constructor(
    readonly cap: number,
    readonly span: number,
  ) {}
  /** 0 when a call may be granted now, else how long to wait before looking again. */
  waitMs(now: number): number {
    while (this.finished.length > 0 && now - this.finished[0]! >= this.span) this.finished.shift();
    if (this.inFlight + this.finished.length < this.cap) return 0;
    return this.finished.length > 0 ? Math.max(1, this.finished[0]! + this.span - now) : 5;
  }
  idle(now: number): boolean {
    return this.waitMs(now) === 0 && this.inFlight === 0 && this.finished.length === 0;
  }
}

export class RateLimiter {
  private readonly app: Bucket;
  private readonly appSecond: Window;
  private readonly appMinute: Window;
  private readonly targets = new Map<string, { bucket: Bucket; window: Window }>();
  constructor(
    private readonly limits: RateLimits = defaultRateLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.app = new Bucket(limits.appPerSecond, limits.appBurst, now());
    this.appSecond = new Window(limits.appPerSecond + limits.appBurst, 1000);
    this.appMinute = new Window(limits.appPerMinute, 60_000);
  }

  /** Waits until a call to `target` is allowed; call the returned function when the call has finished. */
  async take(target: string): Promise<() => void> {
    const t = this.now();
    let tg = this.targets.get(target);
    if (!tg) {
      if (this.targets.size > 10_000)
        for (const [k, v] of this.targets) if (v.bucket.idleSince(t) && v.window.idle(t)) this.targets.delete(k);
      tg = {
        bucket: new Bucket(this.limits.targetPerSecond, this.limits.targetBurst, t),
        window: new Window(this.limits.targetPerSecond + this.limits.targetBurst, 1000),
      };
      this.targets.set(target, tg);
    }
    const wait = Math.max(tg.bucket.reserve(t), this.app.reserve(t));
    if (wait > 0) await sleep(wait);
    const windows = [this.appSecond, this.appMinute, tg.window];
    for (;;) {
      const now = this.now();
      const w = Math.max(...windows.map((x) => x.waitMs(now)));
      if (w === 0) break;
      await sleep(w);
    }
    for (const x of windows) x.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const end = this.now();
      for (const x of windows) {
        x.inFlight--;
        x.finished.push(end);
      }
    };
  }

  /** Runs one call to `target` within the limits. */
  async run<T>(target: string, call: () => Promise<T>): Promise<T> {
    const release = await this.take(target);
    try {
      return await call();
    } finally {
      release();
    }
  }
}
