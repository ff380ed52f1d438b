import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getContact } from '../../src/db/contactsRepo.js';
import { ADMIN, harness, type Harness } from './harness.js';

const U = 'ou_user00000000000000000000000001';
const V = 'ou_user00000000000000000000000002';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.close());

describe('binding', () => {
  it.each([
    ['/绑定 住建委员会', '没有找到单位『住建委员会』，你是不是想找：市住房城乡建委？'],
    ['/绑定', '请写上单位名称'],
  ])('%s → %s', async (text, expected) => {
    const out = await h.send(U, text);
    expect(out[0]!.text).toContain(expected);
  });

  it('a request goes to the admins; approval binds and tells the user; a second click changes nothing', async () => {
    const out = await h.send(U, '/绑定 住建委', { senderName: '赵六' });
    const reply = out.find((o) => o.kind === 'reply')!;
    expect(reply.text).toContain('已提交绑定申请：市住房城乡建委');
    const toAdmin = out.find((o) => o.kind === 'send' && o.target === ADMIN)!;
    expect(toAdmin.text).toContain('赵六');
    expect(toAdmin.text).toContain('[批准] [拒绝]');
    expect((await getContact(h.deps.db, U))!.status).toBe('pending');

    const approve = h.buttons(toAdmin.card).find((b) => b.text === '批准')!;
    expect((await h.click(U, approve.value)).toast?.type).toBe('warning');
    const r = await h.click(ADMIN, approve.value);
    expect(r.toast?.type).toBe('success');
    expect(JSON.stringify(r.card)).toContain('已批准');
    expect(r.out.map((o) => [o.target, o.text.slice(0, 9)])).toEqual([[U, '你的绑定申请已批准']]);
    expect(await getContact(h.deps.db, U)).toMatchObject({ org: '市住房城乡建委', status: 'active' });
    const again = await h.click(ADMIN, approve.value);
    expect(again.toast?.type).toBe('info');
    expect(again.out).toHaveLength(0);

    // Now a contact: the report is recorded.
    expect((await h.send(U, '新开工改造城镇老旧小区累计1530个'))[0]!.text).toContain('已记录');
  });

  it('a refusal tells the user and leaves them unbound', async () => {
    const out = await h.send(U, '绑定 渝中区');
    const reject = h.buttons(out.find((o) => o.target === ADMIN)!.card).find((b) => b.text === '拒绝')!;
    const r = await h.click(ADMIN, reject.value);
    expect(r.out[0]!.text).toContain('未获批准');
    expect(await getContact(h.deps.db, U)).toMatchObject({ status: 'inactive', org: null });
  });

  it('an admin binds, lists and unbinds directly', async () => {
    const bound = await h.send(ADMIN, '/绑定 @张三 市残联', { mentions: [{ openId: V, name: '张三' }] });
    expect(bound.find((o) => o.kind === 'reply')!.text).toBe('已将 张三 绑定为 市残联 的联系人。');
    expect(bound.find((o) => o.target === V)!.text).toContain('管理员已将你绑定为 市残联');
    expect((await h.send(ADMIN, '/联系人 残联'))[0]!.text).toContain('张三');
    expect((await h.send(U, '/绑定 @张三 市残联', { mentions: [{ openId: V, name: '张三' }] }))[0]!.text).toContain(
      '只有管理员',
    );
    const un = await h.send(ADMIN, '/unbind @张三', { mentions: [{ openId: V, name: '张三' }] });
    expect(un.find((o) => o.kind === 'reply')!.text).toContain('已解除 张三 与 市残联 的绑定');
    expect((await getContact(h.deps.db, V))!.status).toBe('inactive');
  });
});
