import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { tsWorker } from '../../src/runtime/tsWorker.js';

// The processing thread lowers its own priority, and only its own: the request thread (and the
// process's other threads) stay at theirs, or acks would lose to processing after all.

describe('lowerThreadPriority', () => {
  it('renices the calling thread only', async () => {
    const before = getPriority();
    const w = tsWorker(new URL('../helpers/reniceThread.ts', import.meta.url));
    const got = await new Promise<{ ok: boolean; tid: number; nice: number }>((res, rej) => {
      w.once('message', res);
      w.once('error', rej);
    });
    await w.terminate();
    expect(got.ok).toBe(true);
    expect(got.tid).not.toBe(process.pid);
    expect(got.nice).toBe(Math.max(before, 10));
    expect(getPriority()).toBe(before);
    expect(getPriority(process.pid)).toBe(before);
  });
});
