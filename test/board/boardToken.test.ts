import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { mintBoardLink, BoardUnavailable } from '../../src/board/boardLink.js';
import { signBoardToken, verifyBoardToken } from '../../src/board/boardToken.js';

const SECRET = 'a'.repeat(16) + 'b'.repeat(16);
const T0 = Date.parse('2024-10-28T02:00:00Z');

describe('board links', () => {
  it('a signed token opens until it expires, then says expired', async () => {
    const token = await signBoardToken(SECRET, { sub: 'ou_abc', exp: T0 / 1000 + 3600 });
    expect(await verifyBoardToken(SECRET, token, T0)).toEqual({
      ok: true,
      grant: { sub: 'ou_abc', exp: T0 / 1000 + 3600 },
    });
    expect(await verifyBoardToken(SECRET, token, T0 + 3600_000)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('another secret, an edited payload or signature, or garbage is refused', async () => {
    const token = await signBoardToken(SECRET, { sub: 'ou_abc', exp: T0 / 1000 + 3600 });
    const [p, sig] = token.split('.') as [string, string];
    expect(await verifyBoardToken(`${SECRET}x`, token, T0)).toMatchObject({ ok: false, reason: 'forged' });
    const other = Buffer.from('v1|ou_admin|9999999999').toString('base64url');
    expect(await verifyBoardToken(SECRET, `${other}.${sig}`, T0)).toMatchObject({ ok: false, reason: 'forged' });
    expect(
      await verifyBoardToken(SECRET, `${p}.${sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, T0),
    ).toMatchObject({ ok: false, reason: 'forged' });
    // Every other spelling of the signature's last character (its two unused bits included) is refused.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const c of alphabet) {
      if (c === sig.at(-1)) continue;
      expect(await verifyBoardToken(SECRET, `${p}.${sig.slice(0, -1)}${c}`, T0), c).toMatchObject({ ok: false });
    }
    for (const bad of ['', 'abc', `${p}.`, `${p}.${sig}.x`, `${p}!.${sig}`]) {
      expect((await verifyBoardToken(SECRET, bad, T0)).ok, bad).toBe(false);
    }
    expect(await verifyBoardToken(SECRET, undefined, T0)).toEqual({ ok: false, reason: 'missing' });
  });

  it('a link needs BOARD_SECRET and PUBLIC_URL, validated by the config', async () => {
    expect(() => parseConfig({ BOARD_SECRET: 'short' })).toThrow(/BOARD_SECRET: at least 32 characters/);
    expect(() => parseConfig({ PUBLIC_URL: 'minsheng.example' })).toThrow(/PUBLIC_URL/);
    const c = parseConfig({ BOARD_SECRET: SECRET, PUBLIC_URL: 'https://ms.example.gov.cn/' });
    expect(c.PUBLIC_URL).toBe('https://ms.example.gov.cn');
    const link = await mintBoardLink(c, 'wall:hall', { days: 30, nowMs: T0 });
    expect(link.url).toMatch(/^https:\/\/ms\.example\.gov\.cn\/board\?t=[\w-]+\.[\w-]{43}$/);
    expect(link.expiresAt.getTime()).toBe(T0 + 30 * 86_400_000);
    await expect(
      mintBoardLink(parseConfig({ PUBLIC_URL: 'https://x.example' }), 'ou_a', { days: 7, nowMs: T0 }),
    ).rejects.toBeInstanceOf(BoardUnavailable);
    await expect(mintBoardLink(parseConfig({ BOARD_SECRET: SECRET }), 'ou_a', { days: 7, nowMs: T0 })).rejects.toThrow(
      /PUBLIC_URL/,
    );
  });
});
