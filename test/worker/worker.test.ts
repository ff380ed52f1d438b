import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/runtime/worker.js';

describe('the Worker in workerd', () => {
  it('serves /healthz from D1 with the catalog seeded', async () => {
    const res = await (exports as unknown as { default: Fetcher }).default.fetch('http://worker/healthz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; database: string; catalog: { year: number; metrics: number; projects: number }; mode: string };
    expect(body).toMatchObject({ ok: true, database: 'reachable', mode: 'local' });
    expect(body.catalog).toEqual({ year: 2024, metrics: 41, projects: 15 });
  });

  it('runs a scheduled event', async () => {
    const ctrl = createScheduledController({ scheduledTime: Date.parse('2024-10-28T01:00:00Z'), cron: '0 1 * * 1' });
    const ctx = createExecutionContext();
    await worker.scheduled(ctrl, env as never, ctx);
    await waitOnExecutionContext(ctx);
    const row = await (env as unknown as { DB: D1Database }).DB.prepare('select count(*) as n from metrics').first<{ n: number }>();
    expect(row?.n).toBe(41);
  });
});
