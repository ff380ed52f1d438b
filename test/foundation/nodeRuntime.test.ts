import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { prepareDatabase } from '../../src/bootstrap.js';
import { bindContact } from '../../src/db/contactsRepo.js';
import { openNodeDb } from '../../src/runtime/openNodeDb.js';
import { startFakeLark } from '../helpers/fakeLark.js';
import { messageEvent, postLark, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../helpers/larkEvents.js';
import { runCompiled, runTs, startServer } from '../helpers/spawnNode.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'minsheng-rt-'));

describe('npm start (the Node runtime)', () => {
  it('creates, migrates and seeds the database, serves /healthz in local mode, and stops cleanly on SIGTERM', async () => {
    const dir = tmp();
    const url = `file:${join(dir, 'nested', 'minsheng.db')}`;
    const srv = await startServer({ DATABASE_URL: url });
    const res = await fetch(`http://127.0.0.1:${srv.port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ok: true,
      database: 'reachable',
      mode: 'local',
      catalog: { year: 2024, metrics: 41, projects: 15 },
    });
    const localLines = srv.lines.filter((l) => l.includes('"local_mode"'));
    expect(localLines).toHaveLength(1);
    expect(localLines[0]).toMatch(/local mode/);
    srv.child.kill('SIGTERM');
    expect(await srv.exited).toBe(0);
    expect(srv.lines.some((l) => l.includes('"stopped"'))).toBe(true);

    const client = createClient({ url });
    const kinds = await client.execute(
      'select kind, count(*) n from metrics where year = 2024 group by kind order by kind',
    );
    expect(kinds.rows.map((r) => [r.kind, Number(r.n)])).toEqual([
      ['count', 30],
      ['level', 7],
      ['milestone', 4],
    ]);
    expect(
      Number((await client.execute("select count(*) n from organisations where kind = 'district'")).rows[0]!.n),
    ).toBe(41);
    client.close();
  });

  it('a second start on the same file seeds nothing twice', async () => {
    const url = `file:${join(tmp(), 'm.db')}`;
    for (let i = 0; i < 2; i++) {
      const srv = await startServer({ DATABASE_URL: url });
      srv.child.kill('SIGTERM');
      expect(await srv.exited).toBe(0);
    }
    const client = createClient({ url });
    expect(Number((await client.execute('select count(*) n from metrics')).rows[0]!.n)).toBe(41);
    client.close();
  });

  it('bad config: one clear line naming the variable, non-zero exit', async () => {
    const r = await runCompiled({ DATABASE_URL: `file:${join(tmp(), 'm.db')}`, BOT_TIMEZONE: 'Nowhere/City' });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^minsheng: invalid configuration: BOT_TIMEZONE: an IANA time zone/);
  });

  it.each([
    ['npm start', 'compiled'],
    ['npm run dev', 'source'],
  ] as const)(
    "%s processes events on its own thread: a bound contact's reports are recorded and each answered once",
    async (_name, how) => {
      const url = `file:${join(tmp(), 'm.db')}`;
      const { db, client: setup } = await openNodeDb(url);
      await prepareDatabase(db, {});
      await bindContact(db, { openId: 'ou_thread_1', org: '市城市管理局', name: '测试', now: Date.now() });
      setup.close();
      const fake = await startFakeLark();
      try {
        const srv = await startServer(
          {
            DATABASE_URL: url,
            LARK_APP_ID: fake.appId,
            LARK_APP_SECRET: fake.appSecret,
            LARK_BASE_URL: fake.url,
            LARK_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
            LARK_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
          },
          how,
        );
        const events = ['口袋公园累计建成92个', '山城绿道累计建成79.6公里'].map((text) =>
          messageEvent({ senderOpenId: 'ou_thread_1', text }),
        );
        for (const ev of events)
          expect((await postLark(`http://127.0.0.1:${srv.port}`, ev, { encryptKey: TEST_ENCRYPT_KEY })).status).toBe(
            200,
          );
        const ids = events.map((e) => (e.event as { message: { message_id: string } }).message.message_id);
        const replies = () => fake.messages.filter((m) => m.kind === 'reply' && ids.includes(m.target));
        for (let waited = 0; replies().length < ids.length && waited < 30_000; waited += 50)
          await new Promise((r) => setTimeout(r, 50));
        expect(
          replies()
            .map((m) => m.target)
            .sort(),
        ).toEqual([...ids].sort());
        srv.child.kill('SIGTERM');
        expect(await srv.exited).toBe(0);
        expect(srv.lines.filter((l) => /processor_failed|processor_exited/.test(l))).toEqual([]);
        const client = createClient({ url });
        const reports = await client.execute(
          "select status, count(*) n from reports where sender_open_id = 'ou_thread_1' group by status",
        );
        expect(reports.rows.map((r) => [r.status, Number(r.n)])).toEqual([['recorded', 2]]);
        expect(
          Number(
            (
              await client.execute(
                "select count(*) n from processed_events where status = 'done' and event_type = 'im.message.receive_v1'",
              )
            ).rows[0]!.n,
          ),
        ).toBe(2);
        client.close();
      } finally {
        await fake.close();
      }
    },
  );

  it('never logs a secret', async () => {
    const secret = 'sEcReT-app-secret-1234';
    const srv = await startServer({
      DATABASE_URL: `file:${join(tmp(), 'm.db')}`,
      LARK_APP_ID: 'cli_0123456789abcdef',
      LARK_APP_SECRET: secret,
      LARK_BASE_URL: 'http://127.0.0.1:9',
    });
    await fetch(`http://127.0.0.1:${srv.port}/healthz`);
    srv.child.kill('SIGTERM');
    await srv.exited;
    expect(srv.lines.join('\n')).not.toContain(secret);
    expect(srv.lines.some((l) => l.includes('"local_mode"'))).toBe(false);
  });
});

describe('operator CLI', () => {
  it('migrate and seed are idempotent; catalog show prints a metric', async () => {
    const url = `file:${join(tmp(), 'm.db')}`;
    expect((await runTs('src/runtime/cli.ts', ['migrate'], { DATABASE_URL: url })).code).toBe(0);
    for (let i = 0; i < 2; i++) {
      const s = await runTs('src/runtime/cli.ts', ['seed'], { DATABASE_URL: url });
      expect(s.code).toBe(0);
      expect(s.stdout).toContain('seeded catalog 2024: 15 projects, 41 metrics');
    }
    const show = await runTs('src/runtime/cli.ts', ['catalog', 'show', '5-2'], { DATABASE_URL: url });
    expect(show.stdout).toMatch(/5-2 +新增“错时共享”停车泊位/);
    expect(show.stdout).toMatch(/target +4\.5 万个/);
  });

  it('catalog import refuses a bad file without touching the database, and takes a good one', async () => {
    const dir = tmp();
    const url = `file:${join(dir, 'm.db')}`;
    const good = JSON.parse(
      await import('node:fs').then((fs) => fs.readFileSync('seeds/catalog-2024.json', 'utf8')),
    ) as Record<string, unknown> & { metrics: Array<Record<string, unknown>> };
    const bad = { ...good, year: 2025, metrics: good.metrics.map((m, i) => (i === 4 ? { ...m, id: '1-1' } : m)) };
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const r = await runTs('src/runtime/cli.ts', ['catalog', 'import', join(dir, 'bad.json')], { DATABASE_URL: url });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.json: metric 1-1: duplicate id/);
    const client = createClient({ url });
    // The database was never opened: no file, or no 2025 rows.
    const has2025 = await client
      .execute("select count(*) n from sqlite_master where name = 'catalogs'")
      .then(async (t) =>
        Number(t.rows[0]!.n) === 0
          ? 0
          : Number((await client.execute('select count(*) n from catalogs where year = 2025')).rows[0]!.n),
      );
    expect(has2025).toBe(0);

    const next = { ...good, year: 2025, title: '2025 目标', start: '2025-01-01', deadline: '2025-12-31' };
    writeFileSync(join(dir, 'good.json'), JSON.stringify(next));
    const ok = await runTs('src/runtime/cli.ts', ['catalog', 'import', join(dir, 'good.json')], { DATABASE_URL: url });
    expect(ok.code).toBe(0);
    expect(Number((await client.execute('select count(*) n from metrics where year = 2025')).rows[0]!.n)).toBe(41);
    client.close();
  });
});
