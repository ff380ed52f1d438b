import type { LarkCrypto } from './LarkCrypto.js';

// Lark's request authentication and payload encryption. The default implementation is WebCrypto
// only (crypto.subtle, TextEncoder, atob), so the same code runs on Node and in workerd; Node's
// runtime may pass a faster LarkCrypto (see LarkCrypto.ts).

const enc = new TextEncoder();

function hex(buf: ArrayBuffer): string {
  const b = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] as number).toString(16).padStart(2, '0');
  return s;
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? enc.encode(data) : concat(data);
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}

/** Compares two strings without an early exit, so the time taken says nothing about where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = enc.encode(a);
  const y = enc.encode(b);
  // The length is not secret (a SHA digest's hex is always the same length).
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= (x[i] as number) ^ (y[i] as number);
  return diff === 0;
}

export interface SignatureHeaders {
  timestamp: string | null;
  nonce: string | null;
  signature: string | null;
}

/**
 * X-Lark-Signature = hex(SHA256(timestamp + nonce + encryptKey + rawBody)), over the raw bytes as
 * received (the Node SDK hashes JSON.stringify(parsed) instead, which breaks on any re-encoding).
 */
export async function signatureValid(
  h: SignatureHeaders,
  encryptKey: string,
  rawBody: Uint8Array,
  c: LarkCrypto = webLarkCrypto,
): Promise<boolean> {
  if (!h.timestamp || !h.nonce || !h.signature) return false;
  const expected = await c.sha256Hex([enc.encode(h.timestamp + h.nonce + encryptKey), rawBody]);
  return constantTimeEqual(expected, h.signature.trim().toLowerCase());
}

/**
 * Legacy message-card callbacks (the old "card request URL") are signed with SHA-1 over
 * timestamp + nonce + verificationToken + body. Unconfirmed for new apps; accepted as an alternative.
 */
export async function legacyCardSignatureValid(
  h: SignatureHeaders,
  verificationToken: string,
  rawBody: Uint8Array,
  c: LarkCrypto = webLarkCrypto,
): Promise<boolean> {
  if (!h.timestamp || !h.nonce || !h.signature) return false;
  const expected = await c.sha1Hex([enc.encode(h.timestamp + h.nonce + verificationToken), rawBody]);
  return constantTimeEqual(expected, h.signature.trim().toLowerCase());
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64.trim());
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

// Deriving and importing the key costs as much as decrypting an event; the key does not change.
const keys = new Map<string, Promise<CryptoKey>>();

function aesKey(encryptKey: string, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  const id = `${usage}:${encryptKey}`;
  let k = keys.get(id);
  if (!k) {
    k = crypto.subtle
      .digest('SHA-256', enc.encode(encryptKey))
      .then((raw) => crypto.subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, [usage]));
    if (keys.size > 8) keys.clear();
    keys.set(id, k);
  }
  return k;
}

/** `encrypt` → plaintext: key = SHA256(encryptKey), iv = first 16 bytes, AES-256-CBC with PKCS#7. Throws on any failure. */
export async function decryptEvent(
  encrypt: string,
  encryptKey: string,
  c: LarkCrypto = webLarkCrypto,
): Promise<string> {
  return c.decrypt(encrypt, encryptKey);
}

async function webDecrypt(encrypt: string, encryptKey: string): Promise<string> {
  const buf = base64ToBytes(encrypt);
  if (buf.length < 32 || (buf.length - 16) % 16 !== 0) throw new Error('ciphertext has the wrong length');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-CBC', iv: buf.slice(0, 16) },
    await aesKey(encryptKey, 'decrypt'),
    buf.slice(16),
  );
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(plain);
}

/** The inverse of decryptEvent (tests, and anything that has to speak Lark's format). */
export async function encryptEvent(
  plaintext: string,
  encryptKey: string,
  iv: Uint8Array = crypto.getRandomValues(new Uint8Array(16)),
): Promise<string> {
  const ivb = concat(iv);
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-CBC', iv: ivb },
    await aesKey(encryptKey, 'encrypt'),
    enc.encode(plaintext),
  );
  return bytesToBase64(concat(ivb, new Uint8Array(ct)));
}

/** LarkCrypto on WebCrypto: the default, and the only one on Workers. */
export const webLarkCrypto: LarkCrypto = {
  sha256Hex: (parts) => sha256Hex(concat(...parts)),
  sha1Hex: async (parts) => hex(await crypto.subtle.digest('SHA-1', concat(...parts))),
  decrypt: webDecrypt,
};
