import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cardToText, messageToText } from '../../src/cards/cardText.js';
import { manualClock } from '../../src/clock.js';
import { progressOn } from '../../src/db/progressRepo.js';
import { reportItems } from '../../src/db/schema.js';
import { startFakeLark, type FakeLark, type FakeMessage } from '../helpers/fakeLark.js';
import { cardActionEvent, messageEvent, postLark, TEST_ENCRYPT_KEY } from '../helpers/larkEvents.js';
import { assertValidCard } from '../helpers/cardSchema.js';
import { removeDb, startTestServer, type TestServer } from '../helpers/testServer.js';

// The whole path: signed, encrypted events over HTTP into the Node server, the real handlers on a
// real database, replies delivered to a fake Lark Open API on loopback.

const ADMIN = 'ou_admin_1';
const USER = 'ou_e2e_user_000000000000000000001';
const NOW = '2024-10-28T10:00:00+08:00';

let fake: FakeLark;
let s: TestServer;
beforeEach(async () => {
  fake = await startFakeLark();
  s = await startTestServer({ fake, clock: manualClock(NOW) });
});
afterEach(async () => {
  await s.close();
  await fake.close();
  removeDb(s.dbUrl);
});

/** A message event dated NOW (the catalog is 2024's). */
async function say(
  from: string,
  text: string,
  extra: { eventId?: string; messageId?: string } = {},
): Promise<FakeMessage[]> {
  const before = fake.messages.length;
  const ev = messageEvent({ senderOpenId: from, text, ...extra }) as { event: { message: { create_time: string } } };
  ev.event.message.create_time = String(Date.parse(NOW));
  expect((await postLark(s.url, ev, { encryptKey: TEST_ENCRYPT_KEY })).status).toBe(200);
  await s.queue.drain();
  return fake.messages.slice(before);
}

async function click(
  from: string,
  value: Record<string, unknown>,
): Promise<{ toast?: { type: string; content: string }; card?: { type: string; data: Record<string, unknown> } }> {
  const res = await postLark(s.url, cardActionEvent({ operatorOpenId: from, value }), { encryptKey: TEST_ENCRYPT_KEY });
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    toast?: { type: string; content: string };
    card?: { type: string; data: Record<string, unknown> };
  };
  if (body.card) assertValidCard(body.card.data);
  await s.queue.drain();
  return body;
}

function buttons(m: FakeMessage | Record<string, unknown>): Array<{ text: string; value: Record<string, unknown> }> {
  const card =
    'content' in m && typeof m.content === 'string'
      ? (JSON.parse(m.content) as Record<string, unknown>)
      : (m as Record<string, unknown>);
  const out: Array<{ text: string; value: Record<string, unknown> }> = [];
  const walk = (els: Array<Record<string, unknown>>) => {
    for (const e of els) {
      if (e.tag === 'button')
        out.push({
          text: (e.text as { content: string }).content,
          value: (e.behaviors as Array<{ value: Record<string, unknown> }>)[0]!.value,
        });
      if (e.tag === 'column_set')
        for (const c of e.columns as Array<{ elements: Array<Record<string, unknown>> }>) walk(c.elements);
    }
  };
  walk((card.body as { elements: Array<Record<string, unknown>> }).elements);
  return out;
}

const text = (m: FakeMessage) => messageToText(m.msgType ?? 'text', m.content);

async function items() {
  return s.deps.db.select().from(reportItems).orderBy(reportItems.id);
}

describe('conversations end to end', () => {
  it('bind → approve → report → 已记录 with the right numbers → undo → progress shows the previous state', async () => {
    const asked = await say(USER, '/绑定 住建委');
    expect(text(asked.find((m) => m.kind === 'reply')!)).toContain('已提交绑定申请：市住房城乡建委');
    const toAdmin = asked.find((m) => m.kind === 'send' && m.target === ADMIN)!;
    for (const m of asked) if (m.msgType === 'interactive') assertValidCard(JSON.parse(m.content));
    const approve = buttons(toAdmin).find((b) => b.text === '批准')!;
    const decided = await click(ADMIN, approve.value);
    expect(decided.toast?.type).toBe('success');
    expect(fake.messages.some((m) => m.target === USER && text(m).includes('你的绑定申请已批准'))).toBe(true);

    await say(USER, '截至10月18日，新开工改造城镇老旧小区累计1400个');
    const [recorded] = await say(USER, '截至10月25日，新开工改造城镇老旧小区1530个，面积3600万平方米');
    expect(recorded!.kind).toBe('reply');
    assertValidCard(JSON.parse(recorded!.content));
    const shown = text(recorded!);
    expect(shown).toContain('已记录 2 项数据');
    expect(shown).toContain('累计 1,530 个 · 全市 · 截至 2024-10-25');
    expect(shown).toContain('1,530 / 1,835 个（83.4%）');
    expect(shown).toContain('累计 3,600 万平方米');

    const undo = buttons(recorded!).find((b) => b.text === '撤销')!;
    const undone = await click(USER, undo.value);
    expect(undone.toast?.type).toBe('success');
    expect(cardToText(undone.card!.data)).toContain('已撤销 2 项数据');
    const [p11, p12] = await progressOn(s.deps.db, s.deps.catalog, '2024-10-28', { metricIds: ['1-1', '1-2'] });
    expect(p11!.value).toBe(1400);
    expect(p12!.value).toBeNull();
    const [prog] = await say(USER, '/进度 1-1');
    expect(text(prog!)).toContain('1,400 / 1,835 个');
  });

  it('refuses an unauthorised report and stores no figure', async () => {
    await s.deps.db
      .insert((await import('../../src/db/schema.js')).contacts)
      .values({ openId: USER, org: '市残联', status: 'active', role: 'contact' });
    const [reply] = await say(USER, '新开工改造城镇老旧小区累计1530个');
    expect(text(reply!)).toContain('由市住房城乡建委负责报送');
    expect(await items()).toHaveLength(0);
  });

  it('records an ambiguous report only after the button click', async () => {
    await s.deps.db
      .insert((await import('../../src/db/schema.js')).contacts)
      .values({ openId: USER, org: '市住房城乡建委', status: 'active', role: 'contact' });
    const [ask] = await say(USER, '累计完成1530个');
    expect(text(ask!)).toContain('请确认指标');
    expect(await items()).toHaveLength(0);
    const choose = buttons(ask!).find((b) => b.value.m === '1-1')!;
    const r = await click(USER, choose.value);
    expect(r.toast?.type).toBe('success');
    expect((await items()).map((i) => [i.metricId, i.value])).toEqual([['1-1', 1530]]);
  });

  it('answers a duplicate event once', async () => {
    await s.deps.db
      .insert((await import('../../src/db/schema.js')).contacts)
      .values({ openId: USER, org: '市住房城乡建委', status: 'active', role: 'contact' });
    const first = await say(USER, '新开工改造城镇老旧小区累计1530个', { eventId: 'ev_dup_1', messageId: 'om_dup_1' });
    const again = await say(USER, '新开工改造城镇老旧小区累计1530个', { eventId: 'ev_dup_1', messageId: 'om_dup_1' });
    const redelivered = await say(USER, '新开工改造城镇老旧小区累计1530个', {
      eventId: 'ev_dup_2',
      messageId: 'om_dup_1',
    });
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(0);
    expect(redelivered).toHaveLength(0);
    expect(await items()).toHaveLength(1);
  });

  it('/修改 10-1 9900 reads 9,900 个 (0.99 万个); /撤销 restores the figure before it; a 区县 sending 全市… is refused', async () => {
    const schema = await import('../../src/db/schema.js');
    await s.deps.db
      .insert(schema.contacts)
      .values({ openId: USER, org: '市卫生健康委', status: 'active', role: 'contact' });
    await s.deps.db
      .insert(schema.contacts)
      .values({ openId: 'ou_e2e_district', org: '渝中区', status: 'active', role: 'contact' });
    await say(USER, '托位新增3150个');
    const [fixed] = await say(USER, '/修改 10-1 9900');
    expect(text(fixed!)).toContain('3,150 个（0.315 万个） → 9,900 个（0.99 万个）');
    const [prog] = await say(USER, '/进度 10-1');
    expect(text(prog!)).toContain('全市：9,900 个（0.99 万个） / 1.1 万个');
    const [undone] = await say(USER, '/撤销');
    expect(text(undone!)).toContain('恢复为更正前的 累计 3,150 个（0.315 万个）');
    expect((await items()).filter((i) => i.supersededAt === null).map((i) => i.value)).toEqual([0.315]);
    const [refused] = await say('ou_e2e_district', '全市新增托位500个');
    expect(text(refused!)).toContain('写的是全市的数，渝中区只报送本区县的数');
    expect((await items()).filter((i) => i.scope !== 'city')).toHaveLength(0);
  });
});
