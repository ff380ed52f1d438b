/**
 * Lark requests being answered right now, counted in memory both Node threads share. The request
 * thread counts each request in and out; the processing thread waits for the count to reach zero
 * before each database statement (`whenClear`). One SQLite file takes one writer at a time, and a
 * statement of the processing thread that held the lock made an ack's INSERT sleep in SQLite's busy
 * wait (1, 2, 5 … ms, the event loop blocked). Processing waits instead: an event in the inbox loses
 * nothing by waiting, an ack is due within Lark's 3 s. The wait is capped, so under a flood that
 * never pauses processing still moves at a statement per cap.
 */
export class AckGate {
  /** [0]: requests in flight. */
  readonly shared: Int32Array;

  constructor(shared?: SharedArrayBuffer) {
    this.shared = new Int32Array(shared ?? new SharedArrayBuffer(4));
  }

  get buffer(): SharedArrayBuffer {
    return this.shared.buffer as SharedArrayBuffer;
  }

  get inFlight(): number {
    return Atomics.load(this.shared, 0);
  }

  enter(): void {
    Atomics.add(this.shared, 0, 1);
  }

  leave(): void {
    if (Atomics.sub(this.shared, 0, 1) === 1) Atomics.notify(this.shared, 0);
  }

  /**
   * Undefined when no request is in flight (the common case: no promise, no await); otherwise a
   * promise that resolves when none is, or after `maxWaitMs`.
   */
  whenClear(maxWaitMs: number): Promise<void> | undefined {
    if (Atomics.load(this.shared, 0) === 0) return undefined;
    return this.wait(maxWaitMs);
  }

  private async wait(maxWaitMs: number): Promise<void> {
    const until = performance.now() + maxWaitMs;
    // Atomics.waitAsync holds no handle on the event loop: a thread with nothing else pending (a
    // statement at start, before any timer or listener) would end in the middle of the wait.
    const keepAlive = setTimeout(() => {}, maxWaitMs + 1);
    try {
      for (;;) {
        const n = Atomics.load(this.shared, 0);
        const left = until - performance.now();
        if (n <= 0 || left <= 0) return;
        // Woken by leave()'s notify when the count reaches zero (or by the timeout).
        const w = Atomics.waitAsync(this.shared, 0, n, left);
        if (w.async) await w.value;
      }
    } finally {
      clearTimeout(keepAlive);
    }
  }
}

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
