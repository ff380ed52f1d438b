import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, inject, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { utcCrons } from '../../src/jobs/registry.js';
import worker, { depsFor } from '../../src/runtime/worker.js';
import {
  ADMIN,
  conversationScenario,
  SCENARIO_NOW,
  Talk,
  type Delivered,
  type ScenarioDriver,
} from '../scenario/conversationScenario.js';
import { SCENARIO_ENCRYPT_KEY, SCENARIO_TOKEN } from '../scenario/signedEvents.js';

// The shared conversation on the Worker: the module's own fetch() and scheduled() in workerd, over
// this file's local D1, with FetchLarkApi talking over the network to the fake Lark that
// fakeLarkSetup.ts runs in the vitest process. The handlers are called with the Worker's env plus
// the Lark app's settings (as `wrangler secret put` would add them), and every call waits on its
// ExecutionContext, so the work deferred with waitUntil is finished before the step checks.

const fake = inject('fakeLark');
const workerEnv = {
  ...(env as unknown as Record<string, unknown>),
  LARK_APP_ID: fake.appId,
  LARK_APP_SECRET: fake.appSecret,
  LARK_BASE_URL: fake.url,
  LARK_ENCRYPT_KEY: SCENARIO_ENCRYPT_KEY,
  LARK_VERIFICATION_TOKEN: SCENARIO_TOKEN,
  ADMIN_OPEN_IDS: ADMIN,
  MINSHENG_NOW: SCENARIO_NOW,
};
const DB = (env as unknown as { DB: D1Database }).DB;

const talk = new Talk({
  botOpenId: 'ou_bot_0000000000000000000000000', // the fake's default bot (fakeLark.ts)
  async post(request) {
    const ctx = createExecutionContext();
    const res = await worker.fetch(await request('http://worker/lark/events'), workerEnv as never, ctx);
    const body = (await res.json()) as Record<string, unknown>;
    await waitOnExecutionContext(ctx);
    return { status: res.status, body };
  },
  async tick() {
    // Cloudflare fires each Cron Trigger of wrangler.toml; they are the registry's crons in UTC.
    const crons = utcCrons(parseConfig(workerEnv).BOT_TIMEZONE);
    for (const cron of crons) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), workerEnv as never, ctx);
      await waitOnExecutionContext(ctx);
    }
    return crons;
  },
  async delivered() {
    const res = await fetch(`${fake.url}/__fake/messages`);
    return ((await res.json()) as { messages: Delivered[] }).messages;
  },
  rows: async <T>(query: string) => (await DB.prepare(query).all<T>()).results,
  deps: async () => depsFor(workerEnv as never, createExecutionContext()),
} satisfies ScenarioDriver);

describe('the conversation scenario on the Worker (workerd, D1)', () => {
  for (const step of conversationScenario) it(step.name, () => step.run(talk));
});
