import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getContact } from '../../src/db/contactsRepo.js';
import { ADMIN, harness, type Harness } from '../bot/harness.js';

const U = 'ou_user00000000000000000000000031';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.close());

describe('one pending binding request per user', () => {
  it('30 /绑定 from one user: one card to the admin; the repeats answer 已提交，等待管理员批准', async () => {
    const first = await h.send(U, '/绑定 住建委');
    expect(first.find((o) => o.kind === 'reply')!.text).toContain('已提交绑定申请：市住房城乡建委');
    expect(first.filter((o) => o.target === ADMIN)).toHaveLength(1);
    const approve = h.buttons(first.find((o) => o.target === ADMIN)!.card).find((b) => b.text === '批准')!;

    for (let i = 0; i < 29; i++) {
      const out = await h.send(U, i % 2 ? '/绑定 住建委' : '/绑定 渝中区');
      expect(out.filter((o) => o.target === ADMIN)).toEqual([]);
      expect(out.map((o) => o.text)).toEqual(['已提交，等待管理员批准（申请单位：市住房城乡建委）。']);
    }
    // The one card still approves what was asked first.
    const r = await h.click(ADMIN, approve.value);
    expect(r.toast?.type).toBe('success');
    expect(await getContact(h.deps.db, U)).toMatchObject({
      org: '市住房城乡建委',
      status: 'active',
      requestedOrg: null,
    });
  });

  it('after a refusal the user may ask again, and the admin gets a new card', async () => {
    const out = await h.send(U, '/绑定 渝中区');
    const reject = h.buttons(out.find((o) => o.target === ADMIN)!.card).find((b) => b.text === '拒绝')!;
    await h.click(ADMIN, reject.value);
    const again = await h.send(U, '/绑定 渝中区');
    expect(again.filter((o) => o.target === ADMIN)).toHaveLength(1);
    expect(again.find((o) => o.kind === 'reply')!.text).toContain('已提交绑定申请：渝中区');
  });
});
