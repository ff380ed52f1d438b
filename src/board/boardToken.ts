// Board links carry a token: who it was given to and until when, signed with BOARD_SECRET by
// HMAC-SHA256 through WebCrypto (the same code on Node and Workers, no node:crypto). The token is
// the only credential of a board page, so verification uses crypto.subtle.verify (constant time)
// and tells a forged token from an expired one only after the signature holds.

export interface BoardGrant {
  /** Who the link was given to: an open_id, or `wall:<label>` for a link minted by an admin on the CLI. */
  sub: string;
  /** Expiry, Unix seconds. */
  exp: number;
}

export type BoardCheck =
  | { ok: true; grant: BoardGrant }
  | { ok: false; reason: 'missing' | 'malformed' | 'forged' | 'expired'; grant?: BoardGrant };

const enc = new TextEncoder();

function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function unb64url(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

async function key(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

// The signed text names its purpose so a signature made with the same secret for anything else
// can never pass as a board token.
const signed = (payload: string) => enc.encode(`minsheng-board|${payload}`);

export async function signBoardToken(secret: string, grant: BoardGrant): Promise<string> {
  if (!/^[\w:.-]{1,100}$/.test(grant.sub))
    throw new Error(`board token: unusable subject ${JSON.stringify(grant.sub)}`);
  const payload = b64url(enc.encode(`v1|${grant.sub}|${Math.floor(grant.exp)}`));
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await key(secret), signed(payload)));
  return `${payload}.${b64url(sig)}`;
}

export async function verifyBoardToken(
  secret: string,
  token: string | undefined | null,
  nowMs: number,
): Promise<BoardCheck> {
  if (!token) return { ok: false, reason: 'missing' };
  const m = /^([A-Za-z0-9_-]{4,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const sig = unb64url(m[2]!);
  const body = unb64url(m[1]!);
  if (!sig || !body) return { ok: false, reason: 'malformed' };
  // The signature's last character carries two unused bits: four spellings decode to the same
  // bytes. Only the one spelling we issue is accepted, so no altered link ever opens the board.
  if (b64url(sig) !== m[2]) return { ok: false, reason: 'forged' };
  const good = await crypto.subtle.verify('HMAC', await key(secret), sig, signed(m[1]!));
  if (!good) return { ok: false, reason: 'forged' };
  const parts = new TextDecoder().decode(body).split('|');
  if (parts.length !== 3 || parts[0] !== 'v1' || !/^\d+$/.test(parts[2]!)) return { ok: false, reason: 'malformed' };
  const grant: BoardGrant = { sub: parts[1]!, exp: Number(parts[2]) };
  if (grant.exp * 1000 <= nowMs) return { ok: false, reason: 'expired', grant };
  return { ok: true, grant };
}
