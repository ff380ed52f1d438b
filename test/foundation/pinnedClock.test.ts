import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import { configuredClock, createDeps } from '../../src/runtime/createDeps.js';
import { testDb } from '../helpers/testDb.js';

// MINSHENG_NOW on Node behaves as on the Worker (test/worker/clock.test.ts): the anchor is in the
// database, so a restarted process runs on from where the demo was instead of starting over.

let close: (() => void) | undefined;
afterEach(() => {
  close?.();
  close = undefined;
});

describe('the pinned clock on Node', () => {
  it('a restart 3 s later reads the same time as the process that first saw MINSHENG_NOW', async () => {
    const t = await testDb();
    close = t.close;
    const real = manualClock('2026-12-01T08:00:00Z');
    const first = await configuredClock(t.db, { MINSHENG_NOW: '2024-10-28T10:00:00+08:00' }, real);
    real.advance(3_000);
    const restarted = await configuredClock(t.db, { MINSHENG_NOW: '2024-10-28T10:00:00+08:00' }, real);
    expect(first.now().toISOString()).toBe('2024-10-28T02:00:03.000Z');
    expect(restarted.now().toISOString()).toBe('2024-10-28T02:00:03.000Z');
  });

  it('createDeps: no MINSHENG_NOW is the real clock; the logger masks every configured secret', async () => {
    const t = await testDb();
    close = t.close;
    const config = parseConfig({
      DATABASE_URL: t.url,
      LARK_APP_ID: 'cli_x',
      LARK_APP_SECRET: 'app-secret-value-1',
      LARK_ENCRYPT_KEY: 'encrypt-key-value-2',
      LARK_VERIFICATION_TOKEN: 'verif-token-value-3',
    });
    const lines: string[] = [];
    const deps = await createDeps({ config, db: t.db, lark: null, write: (l) => lines.push(l), defer: () => () => {} });
    const before = Date.now();
    expect(Math.abs(deps.clock.now().getTime() - before)).toBeLessThan(5_000);
    deps.log.info('probe', { detail: 'app-secret-value-1 encrypt-key-value-2 verif-token-value-3' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/value-[123]/);
    expect(deps.catalog.year).toBe(2024);
  });
});
