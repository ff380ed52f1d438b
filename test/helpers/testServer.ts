import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import { FetchLarkApi } from '../../src/lark/FetchLarkApi.js';
import type { LarkApi } from '../../src/lark/LarkApi.js';
import type { EventPathOptions } from '../../src/eventPath.js';
import { SdkLarkApi } from '../../src/lark/SdkLarkApi.js';
import { memoryLogger } from '../../src/logger.js';
import { startNodeServer, type NodeServer, type NodeServerOptions } from '../../src/runtime/node.js';
import type { FakeLark } from './fakeLark.js';
import { TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from './larkEvents.js';

// The whole Node runtime (startNodeServer, as `npm start` runs it) on a random port over a real
// libsql file in the temp folder, optionally talking to a fake Lark. Reusable by every feature's
// end-to-end tests:
//   const fake = await startFakeLark(); const s = await startTestServer({ fake });
//   await postLark(s.url, messageEvent({ text: '…' }), { encryptKey: TEST_ENCRYPT_KEY });
//   await s.queue.drain(); expect(fake.messages)…; await s.close(); await fake.close();

/** A fresh libsql file URL (a temp file: `:memory:` is one database per connection). */
export function tempDbUrl(): string {
  return `file:${join(tmpdir(), `minsheng-test-${process.pid}-${randomBytes(6).toString('hex')}.db`)}`;
}

export function removeDb(url: string): void {
  const path = url.replace(/^file:/, '');
  for (const suffix of ['', '-wal', '-shm', '-journal', '-acklog'])
    rmSync(path + suffix, { force: true, recursive: true });
}

export interface TestServerOptions {
  /** Reuse a database (a restart after a crash); default a new temp file. */
  dbUrl?: string;
  /** Talk to this fake Lark (credentials and base URL from it); omit for local mode. */
  fake?: FakeLark;
  /** Which LarkApi: the SDK one (as on Node, default) or the fetch one (as on Workers). */
  api?: 'sdk' | 'fetch';
  /** Extra environment (strings, as in process.env); defaults add the test encrypt key and token. */
  env?: Record<string, string>;
  clock?: Clock;
  receiver?: EventPathOptions;
  /** Default 0: no periodic sweep beyond the start-up pass (tests call sweep themselves). */
  sweepIntervalMs?: number;
  makeWsClient?: NodeServerOptions['makeWsClient'];
  lark?: LarkApi | null;
}

export type TestServer = NodeServer & {
  dbUrl: string;
  log: ReturnType<typeof memoryLogger>;
  logs(code?: string): Array<Record<string, unknown>>;
};

export async function startTestServer(o: TestServerOptions = {}): Promise<TestServer> {
  const dbUrl = o.dbUrl ?? tempDbUrl();
  const config = parseConfig({
    PORT: '0',
    DATABASE_URL: dbUrl,
    LARK_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
    LARK_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    LOG_LEVEL: 'debug',
    ...(o.fake
      ? {
          LARK_APP_ID: o.fake.appId,
          LARK_APP_SECRET: o.fake.appSecret,
          LARK_BASE_URL: o.fake.url,
          ADMIN_OPEN_IDS: 'ou_admin_1',
        }
      : {}),
    ...o.env,
  });
  const log = memoryLogger();
  let lark: LarkApi | null | undefined = o.lark;
  if (lark === undefined && o.fake && config.LARK_APP_ID && config.LARK_APP_SECRET) {
    const creds = {
      appId: config.LARK_APP_ID,
      appSecret: config.LARK_APP_SECRET,
      baseUrl: config.LARK_BASE_URL,
      timeoutMs: 5_000,
    };
    lark = o.api === 'fetch' ? new FetchLarkApi(creds) : new SdkLarkApi(creds);
  }
  const server = await startNodeServer(config, {
    log,
    scheduler: false,
    sweepIntervalMs: o.sweepIntervalMs ?? 0,
    ...(lark !== undefined ? { lark } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.receiver ? { receiver: o.receiver } : {}),
    ...(o.makeWsClient ? { makeWsClient: o.makeWsClient } : {}),
  });
  await server.recovered;
  return Object.assign(server, {
    dbUrl,
    log,
    logs: (code?: string) =>
      log.lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => code === undefined || l.code === code),
  });
}
