import { drizzle as drizzleD1 } from 'drizzle-orm/d1';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql/web';
import { createClient } from '@libsql/client/web';
import { createApp } from '../app.js';
import { parseConfig, type Config } from '../config.js';
import type { Db } from '../db/Db.js';
import * as schema from '../db/schema.js';
import type { Deps } from '../deps.js';
import { FetchLarkApi } from '../lark/FetchLarkApi.js';
import { sweep } from './sweep.js';
import { createDeps } from './createDeps.js';
import { errorMessage } from '../errors.js';
import { runDeferred } from './runDeferred.js';

// The Workers runtime: a D1 binding (or Turso over HTTP when DATABASE_URL is a libsql:// or https://
// URL), Cron Triggers, ctx.waitUntil for deferred work. D1's schema is migrated by wrangler from the
// same committed migrations (`wrangler d1 migrations apply`); the catalog is seeded on first use.

export interface Env {
  DB?: D1Database;
  [key: string]: unknown;
}

// Per-isolate cache of what is the same for every request: config, the database handle, the
// catalog, the clock and the Lark client (per isolate, so the tenant token and the rate-limit
// buckets are reused; Lark's Open API over fetch, not the Node SDK: measured smaller and quicker to
// start in workerd, see the README). Not a store of state: dedup, idempotency, per-chat order and
// the pinned clock's anchor live in the database.
let isolate: Promise<Deps> | undefined;

function openDb(env: Env, config: Config): Db {
  if (/^(libsql|https?|wss?):/.test(config.DATABASE_URL) && env.DATABASE_URL) {
    const client = createClient({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
    return drizzleLibsql(client, { schema }) as unknown as Db;
  }
  if (!env.DB)
    throw new Error('DB: no D1 binding and no libsql DATABASE_URL; add [[d1_databases]] binding "DB" to wrangler.toml');
  return drizzleD1(env.DB, { schema }) as unknown as Db;
}

function stringEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}

async function setUp(env: Env): Promise<Deps> {
  const config = parseConfig(stringEnv(env));
  const lark =
    config.LARK_APP_ID && config.LARK_APP_SECRET
      ? new FetchLarkApi({
          appId: config.LARK_APP_ID,
          appSecret: config.LARK_APP_SECRET,
          baseUrl: config.LARK_BASE_URL,
        })
      : null;
  // Deferred work belongs to a request (its ctx.waitUntil): depsFor replaces this per request.
  const noDefer = () => () => {
    throw new Error('defer outside a request');
  };
  return createDeps({ config, db: openDb(env, config), lark, defer: noDefer });
}

export async function depsFor(env: Env, ctx: ExecutionContext): Promise<Deps> {
  isolate ??= setUp(env).catch((err: unknown) => {
    isolate = undefined; // a failed start is retried on the next request
    throw err;
  });
  const base = await isolate;
  const log = base.log;
  return {
    ...base,
    defer: (label, work) => {
      ctx.waitUntil(runDeferred(log, label, work));
    },
  };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let deps: Deps;
    try {
      deps = await depsFor(env, ctx);
    } catch (err) {
      console.log(JSON.stringify({ level: 'error', code: 'worker_start_failed', error: errorMessage(err) }));
      return Response.json({ ok: false, error: 'start_failed' }, { status: 503 });
    }
    return createApp(deps).fetch(request, env, ctx);
  },

  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const deps = await depsFor(env, ctx);
    // The tick runs on the same clock as requests: a pinned MINSHENG_NOW moves the tick with it.
    const at = deps.config.MINSHENG_NOW ? deps.clock.now() : new Date(controller.scheduledTime);
    deps.log.info('scheduled', {
      cron: controller.cron,
      at: at.toISOString(),
      scheduledTime: new Date(controller.scheduledTime).toISOString(),
    });
    // ── scheduler (owned by the scheduler): the job tick ──
    const { runScheduled } = await import('../jobs/registry.js');
    await runScheduled(deps, controller.cron, at);
    // ── Lark recovery: inbox events acknowledged but never processed, and outbox rows due (including
    // what the jobs above just enqueued). Leases make it safe alongside requests' own deferred work.
    ctx.waitUntil(
      runDeferred(deps.log, 'sweep', () => sweep(deps, { delivery: { waitUpToMs: 20_000 } }), 'lark_sweep_failed'),
    );
  },
} satisfies ExportedHandler<Env>;
