import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';
import pw, { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/clock.js';
import { computeDigest, type DigestData } from '../../src/digest/computeDigest.js';
import { MILESTONE_LABEL } from '../../src/digest/format.js';
import { seedDemo } from '../../src/jobs/demo/demoData.js';
import { startFakeLark, type FakeLark, type FakeMessage } from '../helpers/fakeLark.js';
import { cardActionEvent, messageEvent, postLark, TEST_ENCRYPT_KEY } from '../helpers/larkEvents.js';
import { runTs } from '../helpers/spawnNode.js';
import { removeDb, startTestServer, type TestServer } from '../helpers/testServer.js';

// The board as a leader meets it: a contact asks the bot for the board in chat (through the fake
// Lark), opens the link they were sent in a real Chromium (the binary @sparticuz/chromium ships)
// against the Node server holding the demo year, and reads the page. Assertions are on the DOM
// (a machine without Chinese fonts draws boxes in screenshots); screenshots go to a temp folder.

const NOW = '2024-10-28T10:00:00+08:00';
const DATE = '2024-10-28';
const SECRET = 'board-test-secret-0123456789abcdef-xyz';
const CONTACT = 'ou_demo_zj1'; // 张伟, 市住房城乡建委, bound by the demo data

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

let fake: FakeLark;
let s: TestServer;
let clock: ReturnType<typeof manualClock>;
let browser: Browser;
let page: Page;
let digest: DigestData;
let link: string;
let origin: string;
const shots = mkdtempSync(join(tmpdir(), 'minsheng-board-shots-'));
const requested: string[] = [];

async function say(from: string, text: string, chatType: 'p2p' | 'group' = 'p2p'): Promise<FakeMessage[]> {
  const before = fake.messages.length;
  const ev = messageEvent({ senderOpenId: from, text, chatType }) as { event: { message: { create_time: string } } };
  ev.event.message.create_time = String(clock.now().getTime());
  expect((await postLark(s.url, ev, { encryptKey: TEST_ENCRYPT_KEY })).status).toBe(200);
  await s.queue.drain();
  return fake.messages.slice(before);
}

/** The open_url of a card's button (the link the bot sent). */
function linkIn(m: FakeMessage): string {
  const card = JSON.parse(m.content) as {
    body: { elements: Array<{ tag: string; behaviors?: Array<{ type: string; default_url?: string }> }> };
  };
  const button = card.body.elements.find((e) => e.tag === 'button' && e.behaviors?.[0]?.type === 'open_url');
  expect(button, 'the card has an open_url button').toBeDefined();
  return button!.behaviors![0]!.default_url!;
}

const shown = (n: number) => String(Math.round(n * 100) / 100);
const numberIn = (text: string) => Number(text.replace(/,/g, ''));

beforeAll(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  fake = await startFakeLark();
  clock = manualClock(NOW);
  s = await startTestServer({ fake, clock, env: { PORT: String(port), PUBLIC_URL: origin, BOARD_SECRET: SECRET } });
  await seedDemo(s.deps, { until: DATE });
  digest = await computeDigest(s.deps, { date: DATE });
  browser = await pw.chromium.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
  // One page for the whole file: the shipped Chromium runs single-process, and closing its last
  // page would end the browser.
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('request', (r) => requested.push(r.url()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.close();
  await fake?.close();
  if (s) removeDb(s.dbUrl);
  console.log(`board screenshots: ${shots}`);
});

describe('the progress board in a browser', () => {
  it('the digest JSON of the CLI is the computation the board shows', async () => {
    const r = await runTs('src/runtime/cli.ts', ['digest', '--date', DATE, '--format', 'json'], {
      DATABASE_URL: s.dbUrl,
      LOG_LEVEL: 'error',
    });
    expect(r.code, r.stderr).toBe(0);
    const cli = JSON.parse(r.stdout) as DigestData;
    expect(cli.metrics).toHaveLength(41);
    expect(cli.metrics).toEqual(digest.metrics);
    expect(cli.counts).toEqual(digest.counts);
  }, 90_000);

  it('a contact asks for the board in chat and gets a link bound to them for 7 days', async () => {
    const [reply, ...rest] = await say(CONTACT, '/看板');
    expect(rest).toHaveLength(0);
    expect(reply!.msgType).toBe('interactive');
    expect(reply!.content).toContain('7 天内有效');
    link = linkIn(reply!);
    expect(link.startsWith(`${origin}/board?t=`)).toBe(true);
    const token = new URL(link).searchParams.get('t')!;
    expect(Buffer.from(token.split('.')[0]!, 'base64url').toString()).toMatch(new RegExp(`^v1\\|${CONTACT}\\|\\d+$`));

    // An unbound user is told how to get access, and gets no link.
    const [refused] = await say('ou_stranger_000000000000000000001', '/看板');
    expect(refused!.content).toContain('只对已绑定的联系人和管理员开放');
    expect(refused!.content).not.toContain('/board?t=');
  });

  it("shows all 41 metrics with the digest's figures on a 1920×1080 screen", async () => {
    const res = await page.goto(link);
    expect(res!.status()).toBe(200);
    expect(res!.headers()['cache-control']).toBe('no-store');
    expect(await page.title()).toContain(DATE);
    const cards = page.locator('.projects [data-metric]');
    expect(await cards.count()).toBe(41);

    const onPage = await cards.evaluateAll((els) =>
      els.map((e) => ({
        id: e.getAttribute('data-metric'),
        status: e.getAttribute('data-status'),
        asOf: e.getAttribute('data-asof'),
        value: e.querySelector('.value')?.textContent ?? '',
        target: e.querySelector('.target')?.textContent ?? null,
        pct: e.querySelector('.pct')?.textContent ?? null,
        badge: e.querySelector('.badge')?.textContent ?? '',
        stale: e.querySelector('[data-stale]') !== null,
      })),
    );
    expect(onPage.map((m) => m.id)).toEqual(digest.metrics.map((m) => m.id));
    for (const [i, m] of digest.metrics.entries()) {
      const p = onPage[i]!;
      expect(p.status, m.id).toBe(m.status);
      expect(p.badge, m.id).toBe(m.statusLabel);
      expect(p.asOf, m.id).toBe(m.asOf ?? '');
      expect(p.stale, `${m.id} stale mark`).toBe(m.stale);
      if (m.kind === 'milestone') {
        expect(p.value, m.id).toBe(m.milestone ? MILESTONE_LABEL[m.milestone] : '未报送');
      } else {
        if (m.value === null) expect(p.value, m.id).toBe('未报送');
        else expect(shown(numberIn(p.value)), m.id).toBe(shown(m.value));
        expect(numberIn(p.target!), m.id).toBe(m.target);
        expect(p.pct, m.id).toBe(m.donePct === null ? '—' : `${shown(Math.round(m.donePct * 10) / 10)}%`);
      }
    }
    for (const [status, n] of Object.entries(digest.counts)) {
      expect(await page.locator(`[data-count="${status}"] b`).textContent(), status).toBe(String(n));
    }
    expect(
      digest.metrics.some((m) => m.stale),
      'the demo year has stale figures to show',
    ).toBe(true);
    // The ranking of lead units, worst first, as the digest has it.
    expect(
      await page.locator('[data-rank]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-rank')))),
    ).toEqual(digest.ranking.slice(0, 10).map((u) => u.rank));
    // Projects in the chart, one bar each, in the digest's order.
    expect(
      await page
        .locator('svg [data-project]')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-project')))),
    ).toEqual(digest.projects.map((p) => p.no));
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: join(shots, 'board-1920x1080.png') });
  });

  it('opens a metric (history chart, districts) and its project from the board, keeping the link', async () => {
    await page.locator('.projects [data-metric="1-1"]').click();
    await page.waitForURL(/\/board\/m\/1-1\?t=/);
    const m = digest.metrics.find((x) => x.id === '1-1')!;
    expect(await page.locator('h1').textContent()).toBe(`1-1 ${m.name}`);
    expect(shown(numberIn((await page.locator('main .big .value').textContent())!))).toBe(shown(m.value!));
    // One point per week from the catalog's start; the last one is today's figure.
    const dots = await page.locator('.chart svg circle').count();
    expect(dots).toBeGreaterThan(30);
    expect(await page.locator('.chart svg polyline').count()).toBeGreaterThanOrEqual(2); // figure and 序时
    const districts = await page
      .locator('tr[data-district]')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-district'), Number(e.getAttribute('data-value'))] as const),
      );
    expect(new Map(districts)).toEqual(
      new Map(m.districts.filter((d) => d.value !== null).map((d) => [d.scope, d.value])),
    );
    await page.screenshot({ path: join(shots, 'metric-1-1-1920.png'), fullPage: true });

    await page.locator('main a.link', { hasText: '城镇老旧小区' }).first().click();
    await page.waitForURL(/\/board\/p\/1\?t=/);
    expect(await page.locator('h1').textContent()).toContain('城镇老旧小区改造');
    expect(await page.locator('[data-metric]').count()).toBe(digest.metrics.filter((x) => x.project === 1).length);
  });

  it('fits a phone (390×844) without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      ['/board', 'board'],
      ['/board/p/12', 'project-12'],
      ['/board/m/1-1', 'metric-1-1'],
      ['/board/m/5-1', 'metric-5-1'],
    ] as const) {
      const res = await page.goto(link.replace('/board?', `${path}?`));
      expect(res!.status(), path).toBe(200);
      const [scrollWidth, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scrollWidth, `${path} scrolls sideways`).toBeLessThanOrEqual(width!);
      await page.screenshot({ path: join(shots, `phone-${name}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
  });

  it('loads nothing from anywhere but the app (no CDN, no font host)', () => {
    const outside = requested.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'));
    expect(requested.length).toBeGreaterThan(5);
    expect(outside).toEqual([]);
  });

  it('refuses a missing or forged link with a page that says how to get a new one', async () => {
    const missing = await page.goto(`${origin}/board`);
    expect(missing!.status()).toBe(401);
    expect(await page.locator('[data-denied]').getAttribute('data-denied')).toBe('missing');
    expect(await page.locator('body').textContent()).toContain('/看板');

    const token = new URL(link).searchParams.get('t')!;
    const [payload, sig] = token.split('.') as [string, string];
    // Someone edits the link to claim a later expiry: the signature no longer matches.
    const claimed = Buffer.from(
      Buffer.from(payload, 'base64url')
        .toString()
        .replace(/\|\d+$/, '|4102444800'),
    ).toString('base64url');
    for (const forged of [`${claimed}.${sig}`, `${payload}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`]) {
      const res = await page.goto(`${origin}/board/m/1-1?t=${forged}`);
      expect(res!.status(), forged).toBe(403);
      expect(await page.locator('[data-denied]').getAttribute('data-denied')).toBe('forged');
      const text = await page.locator('body').textContent();
      expect(text).toContain('发送 /看板');
      expect(text).not.toContain('1,597');
    }
    await page.screenshot({ path: join(shots, 'forged.png') });
  });

  it('refuses the link once it has expired (7 days later), and a fresh /看板 works again', async () => {
    clock.advance(7 * 86_400_000 + 60_000);
    const res = await page.goto(link);
    expect(res!.status()).toBe(403);
    expect(await page.locator('[data-denied]').getAttribute('data-denied')).toBe('expired');
    expect(await page.locator('h1').textContent()).toBe('链接已过期');
    const [reply] = await say(CONTACT, '/看板');
    const fresh = linkIn(reply!);
    expect(fresh).not.toBe(link);
    expect((await page.goto(fresh))!.status()).toBe(200);
  });

  it("the digest card's button sends the clicker their own link privately", async () => {
    const before = fake.messages.length;
    const res = await postLark(s.url, cardActionEvent({ operatorOpenId: CONTACT, value: { a: 'board' } }), {
      encryptKey: TEST_ENCRYPT_KEY,
    });
    const body = (await res.json()) as { toast?: { type: string; content: string } };
    expect(body.toast?.type).toBe('success');
    await s.queue.drain();
    await s.sweep();
    const sent = fake.messages.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ kind: 'send', receiveIdType: 'open_id', target: CONTACT, msgType: 'interactive' });
    expect((await page.goto(linkIn(sent[0]!)))!.status()).toBe(200);
  });
});
