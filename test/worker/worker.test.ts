import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/runtime/worker.js';

describe('the Worker in workerd', () => {
  it('serves /healthz from D1 with the catalog seeded', async () => {
    const res = await (exports as unknown as { default: Fetcher }).default.fetch('http://worker/healthz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      ok: boolean;
      database: string;
      catalog: { year: number; metrics: number; projects: number };
      mode: string;
    };
    expect(body).toMatchObject({ ok: true, database: 'reachable', mode: 'local' });
    expect(body.catalog).toEqual({ year: 2024, metrics: 41, projects: 15 });
  });

  it('a cron wrangler.toml does not list runs no job; the listed one runs the tick', async () => {
    const DB = (env as unknown as { DB: D1Database }).DB;
    const fire = async (cron: string) => {
      const ctx = createExecutionContext();
      await worker.scheduled(
        createScheduledController({ scheduledTime: Date.parse('2024-10-28T01:00:00Z'), cron }),
        env as never,
        ctx,
      );
      await waitOnExecutionContext(ctx);
    };
    const runs = async () =>
      (await DB.prepare("select job, period_key, status from job_runs where job = 'weekly-digest'").all()).results;
    await fire('0 1 * * 1');
    expect(await runs()).toEqual([]);
    await fire('*/5 * * * *');
    expect(await runs()).toEqual([{ job: 'weekly-digest', period_key: '2024-10-28', status: 'done' }]);
  });
});
