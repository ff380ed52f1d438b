import type { Config } from '../config.js';
import type { Deps } from '../deps.js';
import { personOf } from '../bot/people.js';
import { signBoardToken, verifyBoardToken, type BoardGrant } from './boardToken.js';

// Minting and checking board links. A link names who it was given to: a chat link is bound to the
// asker's open_id and stops working when that person is no longer an admin or an active contact
// (unbinding someone revokes their links); a wall-screen link minted on the CLI names a label.

/** How long a link asked for in chat (/看板, the digest's button) stays valid. */
export const CHAT_LINK_DAYS = 7;

export class BoardUnavailable extends Error {
  constructor(readonly missing: 'BOARD_SECRET' | 'PUBLIC_URL') {
    super(
      `${missing} is not set: the board needs ${missing === 'BOARD_SECRET' ? 'a signing key (at least 32 characters)' : 'the address people open the bot at (e.g. https://minsheng.example.gov.cn)'}`,
    );
    this.name = 'BoardUnavailable';
  }
}

/** The link for `sub`, valid `days` days from `nowMs`. */
export async function mintBoardLink(
  config: Pick<Config, 'BOARD_SECRET' | 'PUBLIC_URL'>,
  sub: string,
  opts: { days: number; nowMs: number; path?: string },
): Promise<{ url: string; expiresAt: Date }> {
  if (!config.BOARD_SECRET) throw new BoardUnavailable('BOARD_SECRET');
  if (!config.PUBLIC_URL) throw new BoardUnavailable('PUBLIC_URL');
  const exp = Math.floor(opts.nowMs / 1000) + Math.round(opts.days * 86_400);
  const token = await signBoardToken(config.BOARD_SECRET, { sub, exp });
  return { url: `${config.PUBLIC_URL}${opts.path ?? '/board'}?t=${token}`, expiresAt: new Date(exp * 1000) };
}

/** Chinese for the reason a link cannot be made (said in chat). */
export function unavailableText(err: BoardUnavailable): string {
  return `看板还没有启用：管理员需要在配置中设置 ${err.missing}${err.missing === 'BOARD_SECRET' ? '（看板链接的签名密钥，至少 32 个字符）' : '（机器人对外的访问地址）'}。`;
}

export type BoardAccess =
  | { ok: true; grant: BoardGrant }
  | { ok: false; reason: 'missing' | 'malformed' | 'forged' | 'expired' | 'revoked' | 'disabled' };

/** Whether a token opens the board now. */
export async function checkBoardAccess(
  deps: Pick<Deps, 'config' | 'db' | 'clock'>,
  token: string | undefined,
): Promise<BoardAccess> {
  if (!deps.config.BOARD_SECRET) return { ok: false, reason: 'disabled' };
  const r = await verifyBoardToken(deps.config.BOARD_SECRET, token, deps.clock.now().getTime());
  if (!r.ok) return { ok: false, reason: r.reason };
  if (!r.grant.sub.startsWith('wall:')) {
    const person = await personOf(deps as Deps, r.grant.sub);
    if (!person.isAdmin && !person.org) return { ok: false, reason: 'revoked' };
  }
  return r;
}
