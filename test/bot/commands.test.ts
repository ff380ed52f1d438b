import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getChat } from '../../src/db/chatsRepo.js';
import { getContact } from '../../src/db/contactsRepo.js';
import { ADMIN, harness, type Harness } from './harness.js';

const ZJW = 'ou_zjw000000000000000000000000001';
const OTHER = 'ou_other0000000000000000000000001';

let h: Harness;
beforeEach(async () => {
  h = await harness();
  await h.contact(ZJW, '市住房城乡建委', '张三');
  await h.send(ZJW, '截至10月25日，新开工改造城镇老旧小区1530个');
});
afterEach(() => h.close());

describe('commands', () => {
  it.each([
    ['/帮助', '【民生实事进度助手 · 帮助】'],
    ['/help', '/进度 progress'],
    ['帮助', '/撤销 undo'],
    ['/foo', '没有「foo」这个命令'],
    ['/进度', '1-1 新开工改造城镇老旧小区（个数）：1,530 / 1,835 个（83.4%）'],
    ['/progress 1', '最近报送 截至2024-10-25，张三（市住房城乡建委）'],
    ['/进度 1-1', '目标 1,835 个 · 截止 2024-12-31'],
    ['/进度 99', '没有项目或指标「99」'],
    ['/我的', '本周尚未报送'],
    ['/mine', '✅ 1-1'],
    ['/目标', '13 开展残疾人关爱服务提升行动'],
    ['/history 1-1', '2024-10-25 累计 1,530 个 · 全市 · 张三'],
    ['/历史', '用法：/历史 指标编号'],
    ['/请假 至 11月5日', '已登记请假至 2024-11-05'],
    ['/订阅', '请在要接收周报的群里'],
  ])('%s', async (text, expected) => {
    const out = await h.send(ZJW, text);
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toContain(expected);
    const r = await h.reportByMessage(`om_test_${h.lastSeq}`);
    expect(r!.status).toBe('command');
  });

  it('/请假 sets and ends the leave', async () => {
    await h.send(ZJW, '/leave 至 2024-11-05');
    expect((await getContact(h.deps.db, ZJW))!.leaveUntil).toBe('2024-11-05');
    await h.send(ZJW, '/请假 取消');
    expect((await getContact(h.deps.db, ZJW))!.leaveUntil).toBeNull();
  });

  it('/订阅 and /退订 in a group are for admins', async () => {
    const group = { chatType: 'group' as const, chatId: 'oc_group1' };
    expect((await h.send(OTHER, '/订阅 1 3', group))[0]!.text).toContain('只有管理员');
    expect((await h.send(ADMIN, '/订阅 1 3', group))[0]!.text).toContain('本群已订阅项目：1、3');
    expect((await h.send(ADMIN, '/subscribe 13', group))[0]!.text).toContain('1、3、13');
    expect((await h.send(ADMIN, '/退订 3', group))[0]!.text).toContain('仍订阅项目：1、13');
    expect((await getChat(h.deps.db, 'oc_group1'))!.projects).toEqual([1, 13]);
    expect((await h.send(ADMIN, '/unsubscribe', group))[0]!.text).toContain('已退订全部项目');
    expect((await h.send(ADMIN, '/订阅', group))[0]!.text).toContain(`1、2、3`);
  });

  it('/设置 is for admins', async () => {
    expect((await h.send(ZJW, '/设置 周报时间 周一 09:00'))[0]!.text).toContain('只有管理员');
    expect((await h.send(ADMIN, '/设置'))[0]!.text).toContain('用法：/设置 名称 值');
    expect((await h.send(ADMIN, '/设置 周报时间 周二 10:00'))[0]!.text).toContain('已设置');
    expect((await h.send(ADMIN, '/设置 不存在 1'))[0]!.text).toContain('没有这个设置');
  });

  it('replies to a group message in the group thread (reply to the message)', async () => {
    const out = await h.send(ZJW, '新开工改造城镇老旧小区累计1540个', { chatType: 'group', chatId: 'oc_group1' });
    expect(out[0]!.kind).toBe('reply');
    expect(out[0]!.uuid).toBe(`r-om_test_${h.lastSeq}`);
  });
});
