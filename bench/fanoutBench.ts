import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDatabase } from '../src/bootstrap.js';
import { systemClock } from '../src/clock.js';
import { parseConfig } from '../src/config.js';
import type { Deps } from '../src/deps.js';
import { SdkLarkApi } from '../src/lark/SdkLarkApi.js';
import { createLogger } from '../src/logger.js';
import { deliverOutbox } from '../src/outbox/deliverOutbox.js';
import { enqueue } from '../src/outbox/enqueue.js';
import { openNodeDb } from '../src/runtime/openNodeDb.js';
import { startFakeLark } from '../test/helpers/fakeLark.js';
import type { Figure } from './figure.js';

/**
 * Fan-out: N reminders to N users through the outbox and the real SDK client against the fake Lark
 * Open API, which enforces Lark's limits (50/s per app, 5/s per user and chat). Reports the rate
 * achieved as a share of the fastest rate Lark's app limits allow for N messages (50/s and 1000 a
 * minute: 2,000 messages cannot take less than 80 s), the calls Lark refused for rate, and
 * duplicates delivered.
 */

/** The shortest time Lark's app limits (50/s, 1000 in any minute) allow for n messages, in seconds. */
export function fastestSeconds(n: number): number {
  const fullMinutes = Math.floor((n - 1) / 1000);
  return fullMinutes * 60 + (n - fullMinutes * 1000) / 50;
}
export async function fanoutBench(opts: { users: number }): Promise<{ figures: Figure[]; table: string[] }> {
  const fake = await startFakeLark();
  const dir = mkdtempSync(join(tmpdir(), 'minsheng-fanout-'));
  const { db, client } = await openNodeDb(`file:${join(dir, 'f.db')}`);
  try {
    const config = parseConfig({
      LARK_APP_ID: fake.appId,
      LARK_APP_SECRET: fake.appSecret,
      LARK_BASE_URL: fake.url,
      LOG_LEVEL: 'warn',
    });
    const catalog = await prepareDatabase(db, config);
    const lark = new SdkLarkApi({ appId: fake.appId, appSecret: fake.appSecret, baseUrl: fake.url });
    const deps: Deps = {
      config,
      db,
      catalog,
      clock: systemClock,
      log: createLogger({ level: 'warn', write: () => {} }),
      lark,
      defer: () => {},
    };
    for (let i = 0; i < opts.users; i++) {
      const openId = `ou_bench_${String(i).padStart(6, '0')}`;
      await enqueue(
        deps,
        {
          kind: 'send',
          receiveIdType: 'open_id',
          receiveId: openId,
          msgType: 'text',
          content: JSON.stringify({ text: `请报送本周进展（${i}）` }),
        },
        `bench-remind-${i}`,
      );
    }
    const t0 = performance.now();
    await deliverOutbox(deps, { waitUpToMs: 120_000 });
    const seconds = (performance.now() - t0) / 1000;
    const delivered = fake.messages.filter((m) => m.kind === 'send');
    const uuids = new Set(delivered.map((m) => m.uuid));
    const duplicates = delivered.length - uuids.size;
    if (uuids.size !== opts.users) throw new Error(`delivered ${uuids.size} of ${opts.users} reminders`);
    const rate = opts.users / seconds;
    const best = fastestSeconds(opts.users);
    const share = best / seconds;
    return {
      figures: [
        { name: 'fanout.share_of_limit', value: Math.round(share * 1000) / 1000, unit: 'share' },
        { name: 'fanout.duplicates', value: duplicates, unit: 'count' },
      ],
      table: [
        `fan-out: ${opts.users} reminders in ${seconds.toFixed(1)} s = ${rate.toFixed(1)}/s (${(share * 100).toFixed(1)}% of the fastest Lark's 50/s and 1000/min allow: ${best.toFixed(0)} s), ${fake.rateLimited()} refused for rate, ${duplicates} duplicates`,
      ],
    };
  } finally {
    client.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
