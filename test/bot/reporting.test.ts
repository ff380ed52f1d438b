import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { progressOn } from '../../src/db/progressRepo.js';
import { harness, type Harness } from './harness.js';

const ZJW = 'ou_zjw000000000000000000000000001';
const CL = 'ou_canlian0000000000000000000001';
const YZ = 'ou_yuzhong000000000000000000001';
const STRANGER = 'ou_stranger00000000000000000001';

let h: Harness;
beforeEach(async () => {
  h = await harness();
  await h.contact(ZJW, '市住房城乡建委', '张三');
  await h.contact(CL, '市残联', '李四');
  await h.contact(YZ, '渝中区', '王五');
});
afterEach(() => h.close());

describe('reporting', () => {
  it('records understood figures and answers with an 已记录 card with the numbers and progress', async () => {
    const out = await h.send(ZJW, '截至10月25日，新开工改造城镇老旧小区1530个，面积3600万平方米');
    expect(out).toHaveLength(1);
    expect(out[0]!.kind).toBe('reply');
    expect(out[0]!.target).toBe('om_test_1');
    expect(out[0]!.text).toContain('【已记录 2 项数据】');
    expect(out[0]!.text).toContain('1-1 新开工改造城镇老旧小区（个数）');
    expect(out[0]!.text).toContain('累计 1,530 个 · 全市 · 截至 2024-10-25');
    expect(out[0]!.text).toContain('1,530 / 1,835 个（83.4%）');
    expect(out[0]!.text).toContain('3,600 / 4,186 万平方米');
    expect(out[0]!.text).toContain('[撤销] [修改]');
    const items = await h.items();
    expect(items.map((i) => [i.metricId, i.value, i.mode, i.scope, i.asOf, i.org])).toEqual([
      ['1-1', 1530, 'cumulative', 'city', '2024-10-25', '市住房城乡建委'],
      ['1-2', 3600, 'cumulative', 'city', '2024-10-25', '市住房城乡建委'],
    ]);
    expect((await h.reportByMessage('om_test_1'))!.status).toBe('recorded');
  });

  it.each([
    { who: CL, text: '新开工改造城镇老旧小区累计1530个', expect: /由市住房城乡建委负责报送/, status: 'refused' },
    { who: YZ, text: '江北区累计新开工改造城镇老旧小区20个', expect: /渝中区只能报送本区县的数/, status: 'refused' },
    { who: STRANGER, text: '新开工改造城镇老旧小区累计1530个', expect: /还没有绑定单位.*\/绑定/, status: 'unbound' },
  ])(
    'refuses what the sender may not report and stores no figure ($status)',
    async ({ who, text, expect: re, status }) => {
      const out = await h.send(who, text);
      expect(out).toHaveLength(1);
      expect(out[0]!.text).toMatch(re);
      expect(await h.items()).toHaveLength(0);
      const r = await h.reportByMessage(`om_test_${h.lastSeq}`);
      expect(r!.status).toBe(status);
      expect(r!.text).toBe(text);
    },
  );

  it('lets a 区县 report any metric for itself', async () => {
    const out = await h.send(YZ, '本周新增老旧小区改造3个');
    expect(out[0]!.text).toContain('新增 3 个 · 渝中区');
    expect((await h.items()).map((i) => [i.metricId, i.scope, i.mode])).toEqual([['1-1', '渝中区', 'increment']]);
  });

  it('asks which metric an ambiguous figure is, and records only after the click', async () => {
    const out = await h.send(ZJW, '累计完成1530个');
    expect(out[0]!.text).toContain('【请确认指标】');
    const buttons = h.buttons(out[0]!.card);
    expect(buttons[0]!.value).toMatchObject({ a: 'choose', m: '1-1' });
    expect(buttons.some((b) => b.value.m === '2-1')).toBe(false); // only the sender's own metrics
    expect(await h.items()).toHaveLength(0);

    const other = await h.click(CL, buttons[0]!.value);
    expect(other.toast?.type).toBe('warning');
    expect(await h.items()).toHaveLength(0);

    const r = await h.click(ZJW, buttons[0]!.value);
    expect(r.toast?.type).toBe('success');
    expect(JSON.stringify(r.card)).toContain('已记录 1 项数据');
    expect((await h.items()).map((i) => [i.metricId, i.value, i.mode])).toEqual([['1-1', 1530, 'cumulative']]);

    const again = await h.click(ZJW, buttons[1]!.value);
    expect(again.toast?.type).toBe('info');
    expect(await h.items()).toHaveLength(1);
  });

  it('keeps the mode when a choice places an increment', async () => {
    const out = await h.send(ZJW, '本周新增15个');
    const b = h.buttons(out[0]!.card).find((x) => x.value.m === '4-1')!;
    await h.click(ZJW, b.value);
    expect((await h.items()).map((i) => [i.metricId, i.value, i.mode])).toEqual([['4-1', 15, 'increment']]);
  });

  it.each([
    {
      name: 'a running total lower than the last',
      first: '新开工改造城镇老旧小区累计1530个',
      next: '新开工改造城镇老旧小区累计1200个',
      reason: '比全市已有的 1,530 个 还少',
    },
    {
      name: 'above 150% of target',
      first: null,
      next: '新开工改造城镇老旧小区累计3000个',
      reason: '超过目标 1,835 个 的 150%',
    },
    {
      name: 'an as-of date in the future',
      first: null,
      next: '截至11月30日新开工改造城镇老旧小区累计1600个',
      reason: '在今天（2024-10-28）之后',
    },
  ])('asks for confirmation before recording $name', async ({ first, next, reason }) => {
    if (first) await h.send(ZJW, first);
    const before = (await h.items()).length;
    const out = await h.send(ZJW, next);
    expect(out[0]!.text).toContain('【请确认数据】');
    expect(out[0]!.text).toContain(reason);
    expect(await h.items()).toHaveLength(before);
    const [confirm] = h.buttons(out[0]!.card);
    expect(confirm!.value.a).toBe('confirm');
    const r = await h.click(ZJW, confirm!.value);
    expect(r.toast?.type).toBe('success');
    expect(await h.items()).toHaveLength(before + 1);
    await h.click(ZJW, confirm!.value);
    expect(await h.items()).toHaveLength(before + 1);
  });

  it('records nothing when a suspicious figure is cancelled', async () => {
    const out = await h.send(ZJW, '新开工改造城镇老旧小区累计3000个');
    const id = `om_test_${h.lastSeq}`;
    const cancel = h.buttons(out[0]!.card).find((b) => b.value.a === 'cancel')!;
    const r = await h.click(ZJW, cancel.value);
    expect(JSON.stringify(r.card)).toContain('已取消');
    expect(await h.items()).toHaveLength(0);
    expect((await h.reportByMessage(id))!.status).toBe('cancelled');
  });

  it("answers what it does not understand with examples from the sender's own metrics", async () => {
    const out = await h.send(CL, '你好，最近工作很忙');
    expect(out[0]!.text).toContain('没有看懂');
    expect(out[0]!.text).toContain('渝馨家园');
    expect((await h.reportByMessage(`om_test_${h.lastSeq}`))!.status).toBe('not_understood');
  });

  it('asks for text when sent an image', async () => {
    const out = await h.send(ZJW, '', { messageType: 'image' });
    expect(out[0]!.text).toContain('请用文字发送');
  });

  it('handles a message delivered twice once', async () => {
    const msg = h.message(ZJW, '新开工改造城镇老旧小区累计1530个');
    const { handleMessage } = await import('../../src/bot/handleMessage.js');
    await handleMessage(h.deps, msg);
    await handleMessage(h.deps, { ...msg, eventId: 'ev_again' });
    expect(await h.newRows()).toHaveLength(1);
    expect(await h.items()).toHaveLength(1);
  });
});

describe('thresholds an admin set', () => {
  it('decide the status shown on the 已记录 card', async () => {
    // 1450 of 1835 on 2024-10-28 is 95.8% of the expected 1514: 正常 by default, 滞后 once 正常 needs 97%.
    const before = await h.send(ZJW, '新开工改造城镇老旧小区累计1450个');
    expect(before[0]!.text).toContain('正常');
    const { updateSetting } = await import('../../src/settings/settings.js');
    await updateSetting(h.deps, '正常阈值', '0.97', 'test');
    const after = await h.send(ZJW, '新开工改造城镇老旧小区累计1460个');
    expect(after[0]!.text).toContain('滞后');
    expect(after[0]!.text).not.toContain('正常');
  });
});

describe('a crash between recording and replying', () => {
  it('sends the lost reply when the message comes again, once, and records nothing twice', async () => {
    const { handleMessage } = await import('../../src/bot/handleMessage.js');
    const { outbox } = await import('../../src/db/schema.js');
    const { eq } = await import('drizzle-orm');
    const msg = h.message(ZJW, '新开工改造城镇老旧小区累计1530个');
    await handleMessage(h.deps, msg);
    const [first] = await h.newRows();
    expect(first!.text).toContain('1,530');
    // As if the process died after the figures were stored and before the reply was enqueued.
    await h.deps.db.delete(outbox).where(eq(outbox.uuid, first!.uuid));
    await handleMessage(h.deps, { ...msg, eventId: 'ev_after_crash' });
    const again = await h.newRows();
    expect(again).toHaveLength(1);
    expect(again[0]!.uuid).toBe(first!.uuid);
    expect(again[0]!.text).toContain('已记录');
    expect(again[0]!.text).toContain('1,530');
    await handleMessage(h.deps, { ...msg, eventId: 'ev_third' });
    expect(await h.newRows()).toHaveLength(0);
    expect(await h.items('1-1')).toHaveLength(1);
  });

  it('rebuilds a refusal and a question the same way', async () => {
    const { handleMessage } = await import('../../src/bot/handleMessage.js');
    const { outbox } = await import('../../src/db/schema.js');
    const { eq } = await import('drizzle-orm');
    for (const [from, text, expected] of [
      [CL, '新开工改造城镇老旧小区累计1530个', '没有记录'],
      [ZJW, '本周完成了30个', '哪项指标'],
    ] as const) {
      const msg = h.message(from, text);
      await handleMessage(h.deps, msg);
      const [first] = await h.newRows();
      expect(first!.text).toContain(expected);
      await h.deps.db.delete(outbox).where(eq(outbox.uuid, first!.uuid));
      await handleMessage(h.deps, { ...msg, eventId: `${msg.eventId}_again` });
      const again = await h.newRows();
      expect(again.map((r) => r.text)).toEqual([first!.text]);
    }
  });
});

describe('corrections', () => {
  it('undo (button) supersedes the report and progress shows the previous state', async () => {
    await h.send(ZJW, '截至10月18日新开工改造城镇老旧小区累计1400个');
    const out = await h.send(ZJW, '截至10月25日新开工改造城镇老旧小区累计1530个');
    const undo = h.buttons(out[0]!.card).find((b) => b.text === '撤销')!;
    expect((await h.click(CL, undo.value)).toast?.type).toBe('warning');
    const r = await h.click(ZJW, undo.value);
    expect(r.toast?.type).toBe('success');
    expect(JSON.stringify(r.card)).toContain('已撤销');
    const [p] = await progressOn(h.deps.db, h.deps.catalog, '2024-10-28', { metricIds: ['1-1'] });
    expect(p!.value).toBe(1400);
    const items = await h.items('1-1');
    expect(items).toHaveLength(2);
    expect(items[1]!.supersedeReason).toBe('undo');
    expect(items[1]!.supersededByOpenId).toBe(ZJW);
    expect((await h.click(ZJW, undo.value)).toast?.type).toBe('info');
  });

  it("/撤销 undoes the sender's last report only", async () => {
    await h.send(ZJW, '新开工改造城镇老旧小区累计1400个');
    await h.send(YZ, '本周新增老旧小区改造3个');
    const out = await h.send(ZJW, '/撤销');
    expect(out[0]!.text).toContain('已撤销 1 项数据');
    expect((await h.items()).map((i) => [i.metricId, i.scope, i.supersedeReason])).toEqual([
      ['1-1', 'city', 'undo'],
      ['1-1', '渝中区', null],
    ]);
    expect((await h.send(ZJW, '/undo'))[0]!.text).toContain('没有可以撤销的报送');
  });

  it('/修改 supersedes the previous figure with the corrected one, and /历史 shows both', async () => {
    await h.send(ZJW, '截至10月25日新开工改造城镇老旧小区累计1500个');
    const out = await h.send(ZJW, '/修改 1-1 1530');
    expect(out[0]!.text).toContain(
      '已更正 1-1 新开工改造城镇老旧小区（个数）：1,500 个 → 1,530 个（累计，全市，截至 2024-10-25）',
    );
    const items = await h.items('1-1');
    expect(items.map((i) => [i.value, i.supersedeReason, i.supersededBy])).toEqual([
      [1500, 'fix', items[1]!.id],
      [1530, null, null],
    ]);
    const [p] = await progressOn(h.deps.db, h.deps.catalog, '2024-10-28', { metricIds: ['1-1'] });
    expect(p!.value).toBe(1530);
    const hist = await h.send(ZJW, '/历史 1-1');
    expect(hist[0]!.text).toContain('已更正：张三（市住房城乡建委）');
    expect(hist[0]!.text).toMatch(/1,530 个 · 全市 · 张三/);
  });

  it('/修改 refuses metrics the sender does not answer for', async () => {
    const out = await h.send(CL, '/修改 1-1 1530');
    expect(out[0]!.text).toContain('没有更正');
    expect(await h.items()).toHaveLength(0);
  });
});
