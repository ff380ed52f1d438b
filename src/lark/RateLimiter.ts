// Token buckets that keep the bot under Lark's send limits (50/s per app, 5/s to one user, 5/s in
// one group). Per process (per Worker isolate): a cluster of several instances would need a shared
// counter, which this bot at its scale does not. A bucket of capacity c refilled at r/s lets at most
// c + r calls through in any one second, so the defaults stay at or under Lark's figures.

export interface RateLimits {
  /** Per app: rate per second and burst. */
  appPerSecond: number;
  appBurst: number;
  /** Per target (a user, a chat, or the message replied to). */
  targetPerSecond: number;
  targetBurst: number;
}

export const defaultRateLimits: RateLimits = { appPerSecond: 47, appBurst: 1, targetPerSecond: 4, targetBurst: 1 };

class Bucket {
  private tokens: number;
  private last: number;
  constructor(private readonly rate: number, private readonly burst: number, now: number) {
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

export class RateLimiter {
  private readonly app: Bucket;
  private readonly targets = new Map<string, Bucket>();
  /** Calls granted and not finished, and when recent ones finished. */
  private inFlight = 0;
  private readonly finished: number[] = [];
  constructor(private readonly limits: RateLimits = defaultRateLimits, private readonly now: () => number = Date.now) {
    this.app = new Bucket(limits.appPerSecond, limits.appBurst, now());
  }

  /**
   * Waits until a call to `target` is allowed; call the returned function when the call has
   * finished. Besides the token buckets, at most appPerSecond + appBurst calls are ever counted in
   * one second, a call counting from when it is granted until a second after it finished: a call
   * held up on the way (the first token fetch, a pause) cannot then land at Lark in the same second
   * as the ones granted after it on time.
   */
  async take(target: string): Promise<() => void> {
    const t = this.now();
    let b = this.targets.get(target);
    if (!b) {
      if (this.targets.size > 10_000) for (const [k, v] of this.targets) if (v.idleSince(t)) this.targets.delete(k);
      b = new Bucket(this.limits.targetPerSecond, this.limits.targetBurst, t);
      this.targets.set(target, b);
    }
    const wait = Math.max(b.reserve(t), this.app.reserve(t));
    if (wait > 0) await sleep(wait);
    const cap = this.limits.appPerSecond + this.limits.appBurst;
    for (;;) {
      const now = this.now();
      while (this.finished.length > 0 && now - this.finished[0]! >= 1000) this.finished.shift();
      if (this.inFlight + this.finished.length < cap) break;
      await sleep(this.finished.length > 0 ? Math.max(1, this.finished[0]! + 1000 - now) : 5);
    }
    this.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
      this.finished.push(this.now());
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

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
