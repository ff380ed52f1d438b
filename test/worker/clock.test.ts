import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import type { Db } from '../../src/db/Db.js';
import * as schema from '../../src/db/schema.js';
import { configuredClock } from '../../src/runtime/createDeps.js';
import worker from '../../src/runtime/worker.js';

// MINSHENG_NOW on the Worker: one anchor in D1, so the pinned clock runs on across requests and
// isolates instead of restarting at each (it read 02:00:00.0x on every request before).

const DB = (env as unknown as { DB: D1Database }).DB;

describe('the pinned clock on the Worker', () => {
  it('two isolates started 3 s apart read the same time, which moves on from the first start', async () => {
    const db = drizzle(DB, { schema }) as unknown as Db;
    const real = manualClock('2026-12-01T08:00:00Z');
    const first = await configuredClock(db, { MINSHENG_NOW: '2024-10-28T10:00:00+08:00' }, real);
    real.advance(3_000);
    const second = await configuredClock(db, { MINSHENG_NOW: '2024-10-28T10:00:00+08:00' }, real);
    expect(first.now().toISOString()).toBe('2024-10-28T02:00:03.000Z');
    expect(second.now().toISOString()).toBe('2024-10-28T02:00:03.000Z');
    real.advance(60_000);
    expect(second.now().toISOString()).toBe('2024-10-28T02:01:03.000Z');
    // Another pinned value is a new demo: it starts at its own first sight.
    const other = await configuredClock(db, { MINSHENG_NOW: '2024-01-02T09:00:00+08:00' }, real);
    expect(other.now().toISOString()).toBe('2024-01-02T01:00:00.000Z');
  });

  it('Worker requests run on the stored anchor: /healthz reads the pinned start plus the real time since it', async () => {
    const pinned = { ...(env as unknown as Record<string, unknown>), MINSHENG_NOW: '2024-10-28T10:00:00+08:00' };
    // The first test stored this value's anchor (08:00 real): 12 h of real time later, the demo is 12 h on.
    const anchor = (await DB.prepare(
      "select real_start from clock_anchors where pinned = '2024-10-28T10:00:00+08:00'",
    ).first<{ real_start: number }>())!.real_start;
    expect(anchor).toBe(Date.parse('2026-12-01T08:00:00Z'));
    const read = async () => {
      const ctx = createExecutionContext();
      const before = Date.now();
      const res = await worker.fetch(new Request('http://worker/healthz'), pinned as never, ctx);
      await waitOnExecutionContext(ctx);
      const after = Date.now();
      return { at: Date.parse(((await res.json()) as { now: string }).now), before, after };
    };
    for (const r of [await read(), await read()]) {
      expect(r.at).toBeGreaterThanOrEqual(Date.parse('2024-10-28T02:00:00Z') + (r.before - anchor));
      expect(r.at).toBeLessThanOrEqual(Date.parse('2024-10-28T02:00:00Z') + (r.after - anchor));
    }
  });
});
