/**
 * Lark requests being answered, counted in memory both Node threads share. The request thread
 * counts each request in and out; the processing thread asks before each database statement
 * (`whenClear`) and goes on once no request is in flight and none has begun for `quietMs`; under
 * a flood (more than `floodPerS` requests a second), only at the cap.
 *
 * Why: acks come first. Lark wants its 200 within 3 s and sends the event again when it does not
 * get it; an event in the inbox (or the accept log) loses nothing by waiting. On two cores every
 * microsecond of the processing thread during a flood is taken from the acks (and from whatever
 * else runs on the machine). "None in flight" alone let it run: the count touches zero between two
 * requests all the time. A quiet window tells steady traffic (200 events a second leave gaps of
 * about 5 ms) from a burst; a flood leaves gaps too, when the sender is the slower side, so the
 * request rate decides that. The wait is capped, so under a flood that never ends processing still
 * moves, at a statement per cap.
 */
export class AckGate {
  /** [0]: requests in flight. [1]: requests begun (wraps). [2]: waiters on [0] (leave() notifies only then). */
  readonly shared: Int32Array;
  /** [1] when this side last found the gate clear: a request since then means waiting for a quiet window. */
  private seen = 0;
  /** The request rate, sampled at most every RATE_WINDOW_MS. */
  private sampleAt = performance.now();
  private sampleBegun = 0;
  private rate = 0;
  /** The last wait ended at its cap: the requests come as a flood. */
  pressed = false;

  constructor(
    shared?: SharedArrayBuffer,
    private readonly quietMs = QUIET_MS,
    private readonly floodPerS = FLOOD_PER_S,
  ) {
    this.shared = new Int32Array(shared ?? new SharedArrayBuffer(12));
    this.seen = Atomics.load(this.shared, 1);
    this.sampleBegun = this.seen;
  }

  get buffer(): SharedArrayBuffer {
    return this.shared.buffer as SharedArrayBuffer;
  }

  get inFlight(): number {
    return Atomics.load(this.shared, 0);
  }

  /** Requests a second over the latest sampling window (at least RATE_WINDOW_MS long). */
  private flooding(): boolean {
    const now = performance.now();
    if (now - this.sampleAt >= RATE_WINDOW_MS) {
      const begun = Atomics.load(this.shared, 1);
      this.rate = (((begun - this.sampleBegun) | 0) * 1000) / (now - this.sampleAt);
      this.sampleAt = now;
      this.sampleBegun = begun;
    }
    return this.rate > this.floodPerS;
  }

  enter(): void {
    Atomics.add(this.shared, 0, 1);
    Atomics.add(this.shared, 1, 1);
  }

  leave(): void {
    // A notify costs microseconds on every request: only when the other thread is waiting on it.
    if (Atomics.sub(this.shared, 0, 1) === 1 && Atomics.load(this.shared, 2) > 0) Atomics.notify(this.shared, 0);
  }

  /**
   * Undefined when no request is in flight and none has begun since the gate was last found clear
   * (the common case: no promise, no await); otherwise a promise that resolves once none is in
   * flight and none begins for `quietMs` (under a flood: at the cap), or after `maxWaitMs`.
   */
  whenClear(maxWaitMs: number): Promise<void> | undefined {
    if (Atomics.load(this.shared, 0) === 0 && Atomics.load(this.shared, 1) === this.seen && !this.flooding()) {
      this.pressed = false;
      return undefined;
    }
    return this.wait(maxWaitMs);
  }

  private async wait(maxWaitMs: number): Promise<void> {
    const until = performance.now() + maxWaitMs;
    // Atomics.waitAsync holds no handle on the event loop: a thread with nothing else pending (a
    // statement at start, before any timer or listener) would end in the middle of the wait.
    const keepAlive = setTimeout(() => {}, maxWaitMs + 1);
    try {
      for (;;) {
        const left = until - performance.now();
        if (left <= 0) {
          this.pressed = true;
          return;
        }
        if (this.flooding()) {
          // Until the rate is sampled again.
          await new Promise((r) => setTimeout(r, Math.min(RATE_WINDOW_MS, left)));
          continue;
        }
        const n = Atomics.load(this.shared, 0);
        if (n > 0) {
          // Woken by leave()'s notify when the count reaches zero (or by the timeout).
          Atomics.add(this.shared, 2, 1);
          try {
            const w = Atomics.waitAsync(this.shared, 0, n, left);
            if (w.async) await w.value;
          } finally {
            Atomics.sub(this.shared, 2, 1);
          }
          continue;
        }
        // None in flight: clear if none begins within the quiet window. Nobody notifies [1] (a
        // notify per request costs the request thread), so this wait is a timer.
        const begun = Atomics.load(this.shared, 1);
        const w = Atomics.waitAsync(this.shared, 1, begun, Math.min(this.quietMs, left));
        if (w.async) await w.value;
        if (Atomics.load(this.shared, 1) === begun && Atomics.load(this.shared, 0) === 0) {
          this.seen = begun;
          this.pressed = false;
          return;
        }
      }
    } finally {
      clearTimeout(keepAlive);
    }
  }
}

/** How long without a new request counts as a pause in the traffic. */
export const QUIET_MS = 1;
/** Requests a second that count as a flood: Lark redelivering a backlog, a load test. */
export const FLOOD_PER_S = 2_000;
const RATE_WINDOW_MS = 50;

/** What the processing thread's statements wait for: the database client's two entry points. */
interface Statements {
  execute(...args: never[]): Promise<unknown>;
  batch(...args: never[]): Promise<unknown>;
}

/** Makes every statement and batch of `client` wait for `gate` first (at most `maxWaitMs`). */
export function afterAcks<C extends Statements>(client: C, gate: AckGate, maxWaitMs: number): C {
  const execute = client.execute.bind(client) as (...a: unknown[]) => Promise<unknown>;
  const batch = client.batch.bind(client) as (...a: unknown[]) => Promise<unknown>;
  const gated =
    (op: (...a: unknown[]) => Promise<unknown>) =>
    (...a: unknown[]) => {
      const w = gate.whenClear(maxWaitMs);
      return w ? w.then(() => op(...a)) : op(...a);
    };
  return Object.assign(client, { execute: gated(execute), batch: gated(batch) });
}
