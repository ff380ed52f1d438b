import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../../src/lark/RateLimiter.js';

// The limiter on fake timers (Date.now and setTimeout both): waits are asserted by advancing time,
// never by measuring it.

afterEach(() => {
  vi.useRealTimers();
});

const settled = (p: Promise<unknown>) => {
  const s = { done: false };
  void p.then(() => {
    s.done = true;
  });
  return s;
};

describe('RateLimiter', () => {
  it('keeps the app under its per-minute limit (Lark: 1000/min besides 50/s)', async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({
      appPerSecond: 1000,
      appBurst: 1000,
      appPerMinute: 5,
      targetPerSecond: 1000,
      targetBurst: 1000,
    });
    for (let i = 0; i < 5; i++) (await limiter.take(`ou_${i}`))();
    const sixth = settled(limiter.take('ou_6'));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(sixth.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(sixth.done).toBe(true);
  });

  it('a call to one chat counts from its grant until a second after it finished: slow calls never bunch up', async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({
      appPerSecond: 1000,
      appBurst: 1000,
      appPerMinute: 100_000,
      targetPerSecond: 4,
      targetBurst: 1,
    });
    const releases: Array<() => void> = [];
    // Five granted over a second or so (the bucket paces them), none finished yet.
    for (let i = 0; i < 5; i++) {
      const p = limiter.take('chat_id:oc_busy');
      await vi.advanceTimersByTimeAsync(300);
      releases.push(await p);
    }
    const sixth = settled(limiter.take('chat_id:oc_busy'));
    // However long they take, a sixth is not granted while five are in flight…
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sixth.done).toBe(false);
    // …nor within a second of the first one finishing.
    releases[0]!();
    await vi.advanceTimersByTimeAsync(900);
    expect(sixth.done).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(sixth.done).toBe(true);
    // Another chat was never held by this one.
    const other = settled(limiter.take('chat_id:oc_quiet'));
    await vi.advanceTimersByTimeAsync(0);
    expect(other.done).toBe(true);
  });
});
