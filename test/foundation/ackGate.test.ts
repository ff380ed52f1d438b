import { describe, expect, it } from 'vitest';
import { AckGate, afterAcks } from '../../src/runtime/AckGate.js';
import { tsWorker } from '../../src/runtime/tsWorker.js';

// The processing thread's statements wait while Lark requests are in flight on the request thread.

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  // Two macrotask turns: a resolved promise has run its callbacks by then.
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('AckGate', () => {
  it('no wait when nothing is in flight; otherwise until the count is back to zero', async () => {
    const gate = new AckGate(undefined, 0);
    expect(gate.whenClear(60_000)).toBeUndefined();
    gate.enter();
    gate.enter();
    const w = gate.whenClear(60_000)!;
    expect(w).toBeInstanceOf(Promise);
    gate.leave();
    expect(await settled(w)).toBe(false);
    gate.enter();
    gate.leave();
    expect(await settled(w)).toBe(false);
    gate.leave();
    expect(await settled(w)).toBe(true);
    expect(gate.inFlight).toBe(0);
  });

  it('after requests, waits for a quiet window: none in flight and none begun for quietMs', async () => {
    // A window far longer than any stall of a loaded machine, so "not yet" cannot be a race.
    const gate = new AckGate(undefined, 1_000);
    expect(gate.whenClear(60_000)).toBeUndefined();
    gate.enter();
    gate.leave();
    // None in flight, but one began since the gate was last clear: a flood touches zero between requests.
    const w = gate.whenClear(60_000)!;
    expect(w).toBeInstanceOf(Promise);
    expect(await settled(w)).toBe(false);
    const t0 = performance.now();
    await w;
    expect(performance.now() - t0).toBeGreaterThan(900);
    // Clear now, and nothing began since: no wait at all.
    expect(gate.whenClear(60_000)).toBeUndefined();
    gate.enter();
    gate.leave();
    expect(gate.whenClear(60_000)).toBeInstanceOf(Promise);
  });

  it('under a flood (more requests a second than floodPerS) a statement waits the whole cap; after it, not', async () => {
    const gate = new AckGate(undefined, 0, 10);
    // Bursts of a thousand requests, none in flight in between (the gaps a flood leaves). The
    // interval is due before the gate's next sample, whatever the machine's stalls, so every
    // sampling window holds a burst: far more than 10 a second.
    const burst = () => {
      for (let i = 0; i < 1_000; i++) {
        gate.enter();
        gate.leave();
      }
    };
    burst();
    const flood = setInterval(burst, 5);
    await new Promise((r) => setTimeout(r, 60));
    const t0 = performance.now();
    await gate.whenClear(200);
    const waited = performance.now() - t0;
    clearInterval(flood);
    expect(waited).toBeGreaterThanOrEqual(199);
    expect(gate.pressed).toBe(true);
    // The flood over: the gate is clear again within a sampling window or two.
    await gate.whenClear(60_000);
    expect(gate.pressed).toBe(false);
  });

  it('the wait is capped', async () => {
    const gate = new AckGate();
    gate.enter();
    await gate.whenClear(0);
    expect(gate.inFlight).toBe(1);
  });

  it('two views of one buffer (the two threads) see one count', async () => {
    const a = new AckGate();
    const b = new AckGate(a.buffer, 0);
    a.enter();
    expect(b.inFlight).toBe(1);
    const w = b.whenClear(60_000)!;
    a.leave();
    expect(await settled(w)).toBe(true);
  });

  it('a gated client runs each statement only once the acks are answered', async () => {
    const gate = new AckGate(undefined, 0);
    const ran: string[] = [];
    const client = afterAcks(
      {
        execute: async (sql: string) => void ran.push(sql),
        batch: async (sqls: string[]) => void ran.push(...sqls),
      },
      gate,
      60_000,
    );
    await client.execute('a' as never);
    expect(ran).toEqual(['a']);
    gate.enter();
    const p = client.batch(['b', 'c'] as never);
    expect(await settled(p)).toBe(false);
    expect(ran).toEqual(['a']);
    gate.leave();
    await p;
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('a thread with nothing else to do stays alive through the wait (waitAsync holds no handle)', async () => {
    const gate = new AckGate();
    gate.enter();
    const thread = tsWorker(new URL('../helpers/gateWaitThread.ts', import.meta.url), {
      workerData: { buffer: gate.buffer, maxWaitMs: 300 },
    });
    // Before the fix the thread ended in the middle of the wait, with exit code 0 and no message.
    const first = await new Promise<string>((resolve) => {
      thread.once('message', (m) => resolve(String(m)));
      thread.once('exit', (code) => resolve(`exit ${code}`));
    });
    await thread.terminate();
    expect(first).toBe('waited');
  });
});
