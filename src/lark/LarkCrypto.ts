/**
 * The hashing and decryption an incoming Lark request needs, as a seam: `webLarkCrypto`
 * (verify.ts) uses WebCrypto and runs on both runtimes; Node's runtime passes a synchronous
 * node:crypto one (runtime/nodeLarkCrypto.ts). WebCrypto's calls go through the thread pool and a
 * promise each, and cost several times what the hashing and the cipher do; on Workers they are
 * the only choice.
 */
export interface LarkCrypto {
  /** Lowercase hex of SHA-256 over the parts, in order. */
  sha256Hex(parts: Uint8Array[]): string | Promise<string>;
  /** Lowercase hex of SHA-1 over the parts (the legacy card signature). */
  sha1Hex(parts: Uint8Array[]): string | Promise<string>;
  /**
   * Lark's `encrypt` field → plaintext: base64, key = SHA256(encryptKey), iv = the first 16 bytes,
   * AES-256-CBC with PKCS#7, UTF-8. Throws on anything wrong (key, padding, length, encoding).
   */
  decrypt(encrypt: string, encryptKey: string): string | Promise<string>;
}
