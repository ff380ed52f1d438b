import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { jobs } from '../../src/jobs/registry.js';
import { fireJob } from '../../src/runtime/nodeScheduler.js';
import { startFakeLark, type FakeLark } from '../helpers/fakeLark.js';
import { removeDb, startTestServer, type TestServer } from '../helpers/testServer.js';
import { ADMIN, conversationScenario, SCENARIO_NOW, Talk, type ScenarioDriver } from './conversationScenario.js';
import { SCENARIO_ENCRYPT_KEY, SCENARIO_TOKEN } from './signedEvents.js';

// The shared conversation on the Node runtime: startNodeServer (as `npm start`) over a libsql file,
// real HTTP, the SDK talking to the fake Lark; MINSHENG_NOW as the clock, as on the Worker.

let fake: FakeLark;
let s: TestServer;
const talk = new Talk({
  get botOpenId() {
    return fake.botOpenId;
  },
  async post(request) {
    const res = await fetch(await request(`${s.url}/lark/events`));
    const body = (await res.json()) as Record<string, unknown>;
    await s.queue.drain();
    return { status: res.status, body };
  },
  async tick() {
    // What node-cron runs when the registry's schedules fire.
    for (const job of jobs) fireJob(s.deps, job);
    await s.queue.drain();
    return jobs.map((j) => j.cron);
  },
  delivered: async () =>
    fake.messages.map((m) => ({
      kind: m.kind,
      target: m.target,
      msgType: m.msgType,
      content: m.content,
      messageId: m.messageId,
    })),
  rows: async <T>(query: string) => s.deps.db.all<T>(sql.raw(query)),
  deps: async () => s.deps,
} satisfies ScenarioDriver);

beforeAll(async () => {
  fake = await startFakeLark();
  s = await startTestServer({
    fake,
    env: {
      ADMIN_OPEN_IDS: ADMIN,
      MINSHENG_NOW: SCENARIO_NOW,
      LARK_ENCRYPT_KEY: SCENARIO_ENCRYPT_KEY,
      LARK_VERIFICATION_TOKEN: SCENARIO_TOKEN,
    },
  });
});
afterAll(async () => {
  await s.close();
  await fake.close();
  removeDb(s.dbUrl);
});

describe('the conversation scenario on Node', () => {
  for (const step of conversationScenario) it(step.name, () => step.run(talk));
});
