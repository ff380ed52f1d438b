import { createDecipheriv, createHash } from 'node:crypto';
import type { LarkCrypto } from '../lark/LarkCrypto.js';

// LarkCrypto on node:crypto: synchronous, no thread-pool hop and no promise per call. The same
// results as the WebCrypto one (test/lark/crypto.test.ts holds both to the SDK and to each other).

const hash = (algorithm: 'sha256' | 'sha1', parts: Uint8Array[]): string => {
  const h = createHash(algorithm);
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

// SHA-256 of the key, kept: it is the same for every request.
const keys = new Map<string, Buffer>();
function aesKey(encryptKey: string): Buffer {
  let k = keys.get(encryptKey);
  if (!k) {
    k = createHash('sha256').update(encryptKey, 'utf8').digest();
    if (keys.size > 8) keys.clear();
    keys.set(encryptKey, k);
  }
  return k;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export const nodeLarkCrypto: LarkCrypto = {
  sha256Hex: (parts) => hash('sha256', parts),
  sha1Hex: (parts) => hash('sha1', parts),
  decrypt(encrypt, encryptKey) {
    const b64 = encrypt.trim();
    // Buffer.from skips characters outside the alphabet (and stops at an inner '=') where atob
    // throws: any of them leaves fewer bytes than the length promises, and is refused the same
    // here. It also reads base64url's '-' and '_', which atob refuses. (A regular expression over
    // the text did the same at several µs per event.)
    if (b64.length % 4 !== 0 || b64.includes('-') || b64.includes('_')) throw new Error('ciphertext is not base64');
    const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
    const buf = Buffer.from(b64, 'base64');
    if (buf.length !== (b64.length / 4) * 3 - pad) throw new Error('ciphertext is not base64');
    if (buf.length < 32 || (buf.length - 16) % 16 !== 0) throw new Error('ciphertext has the wrong length');
    const d = createDecipheriv('aes-256-cbc', aesKey(encryptKey), buf.subarray(0, 16));
    return utf8.decode(Buffer.concat([d.update(buf.subarray(16)), d.final()]));
  },
};
