import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import { openNodeDb } from '../../src/runtime/openNodeDb.js';
import { runTs } from '../helpers/spawnNode.js';

describe('npm run cli -- outbox', () => {
  it('lists, lists the failed, and re-queues one or all failed rows for the running bot', async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'minsheng-ob-')), 'm.db')}`;
    const { db, client } = await openNodeDb(url);
    const row = (uuid: string, status: string, lastError: string | null) => ({
      uuid,
      kind: 'send',
      receiveIdType: 'chat_id',
      target: `oc_${uuid}`,
      msgType: 'text',
      content: '{"text":"x"}',
      status,
      attempts: 3,
      lastError,
      createdAt: 1,
      nextAttemptAt: 1,
    });
    await db
      .insert(outbox)
      .values([
        row('ok-1', 'sent', null),
        row('bad-1', 'failed', 'send: bot_not_in_chat code 230002'),
        row('bad-2', 'failed', 'gave up after 150 attempts'),
      ]);
    client.close();
    const env = { DATABASE_URL: url };

    const all = await runTs('src/runtime/cli.ts', ['outbox', 'list'], env);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/ok-1/);
    expect(all.stdout).toMatch(/bad-2[\s\S]*gave up/);
    const failed = await runTs('src/runtime/cli.ts', ['outbox', 'list', '--failed'], env);
    expect(failed.stdout).not.toContain('ok-1');
    expect(failed.stdout).toContain('bot_not_in_chat');

    expect((await runTs('src/runtime/cli.ts', ['outbox', 'retry'], env)).code).toBe(2);
    const notFailed = await runTs('src/runtime/cli.ts', ['outbox', 'retry', '1'], env);
    expect(notFailed.code).toBe(1);
    expect(notFailed.stderr).toContain('not a failed message');
    const one = await runTs('src/runtime/cli.ts', ['outbox', 'retry', '2'], env);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('1 message(s) queued again (2)');
    const rest = await runTs('src/runtime/cli.ts', ['outbox', 'retry', '--all-failed'], env);
    expect(rest.stdout).toContain('1 message(s) queued again (3)');

    const check = await openNodeDb(url);
    const rows = await check.db
      .select({ uuid: outbox.uuid, status: outbox.status, attempts: outbox.attempts })
      .from(outbox);
    expect(rows).toEqual([
      { uuid: 'ok-1', status: 'sent', attempts: 3 },
      { uuid: 'bad-1', status: 'pending', attempts: 0 },
      { uuid: 'bad-2', status: 'pending', attempts: 0 },
    ]);
    check.client.close();
  }, 60_000);
});
