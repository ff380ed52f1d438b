import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/logger.js';
import { DeferQueue } from '../../src/runtime/DeferQueue.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DeferQueue (Node deferred work)', () => {
  it('runs event work one at a time in arrival order, other work at once', async () => {
    const q = new DeferQueue(memoryLogger(), { limited: /^event:/, concurrency: 1 });
    let running = 0,
      most = 0;
    const order: string[] = [];
    const job = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      order.push(name);
      await sleep(5);
      running--;
    };
    for (let i = 0; i < 5; i++) q.defer(`event:${i}`, job(`e${i}`));
    let other = 0;
    q.defer('outbox', async () => {
      other = running;
      await sleep(1);
    });
    await q.drain();
    expect(most).toBe(1);
    expect(order).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(other).toBe(0); // it started before any event work: not queued behind them
  });

  it('starts event work only on a later turn of the event loop, after callbacks already waiting', async () => {
    const q = new DeferQueue(memoryLogger(), { limited: /^event:/ });
    const seen: string[] = [];
    setImmediate(() => seen.push('io'));
    q.defer('event:a', async () => {
      seen.push('event');
    });
    await Promise.resolve();
    expect(seen).toEqual([]); // not run in the caller's turn, nor in its microtasks
    await q.drain();
    expect(seen).toEqual(['io', 'event']);
  });

  it('close() finishes what runs, leaves what waits (it is durable in the inbox), refuses new work', async () => {
    const q = new DeferQueue(memoryLogger(), { limited: /^event:/ });
    const ran: number[] = [];
    for (let i = 0; i < 5; i++)
      q.defer(`event:${i}`, async () => {
        ran.push(i);
        await sleep(20);
      });
    await sleep(5);
    expect(await q.close()).toBe(4);
    q.defer('event:late', async () => {
      ran.push(99);
    });
    await q.drain();
    expect(ran).toEqual([0]);
  });

  it('logs a failure and goes on', async () => {
    const log = memoryLogger();
    const q = new DeferQueue(log, { limited: /^event:/ });
    q.defer('event:bad', async () => {
      throw new Error('boom');
    });
    let after = false;
    q.defer('event:good', async () => {
      after = true;
    });
    await q.drain();
    expect(after).toBe(true);
    expect(log.lines.some((l) => l.includes('"deferred_failed"') && l.includes('boom'))).toBe(true);
  });
});
