import { createCipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AESCipher } from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import type { LarkCrypto } from '../../src/lark/LarkCrypto.js';
import {
  constantTimeEqual,
  decryptEvent,
  encryptEvent,
  legacyCardSignatureValid,
  signatureValid,
  webLarkCrypto,
} from '../../src/lark/verify.js';
import { nodeLarkCrypto } from '../../src/runtime/nodeLarkCrypto.js';
import { encryptForLark, signLark, TEST_ENCRYPT_KEY } from '../helpers/larkEvents.js';

// Both LarkCrypto implementations (WebCrypto, the default and the Workers one; node:crypto, Node's
// runtime) against the SDK's own AESCipher and against node:crypto's plain hashes, both ways, on the
// fixtures in Lark's real payload shapes.

const fixtures = [
  'im.message.receive_v1',
  'im.message.receive_v1.post',
  'card.action.trigger',
  'url_verification',
  'im.chat.member.bot.added_v1',
  'im.chat.access_event.bot_p2p_chat_entered_v1',
].map((name) => [name, readFileSync(new URL(`../fixtures/lark/${name}.json`, import.meta.url), 'utf8')] as const);

const impls: Array<[string, LarkCrypto]> = [
  ['WebCrypto', webLarkCrypto],
  ['node:crypto', nodeLarkCrypto],
];

describe.each(impls)('encryption (%s)', (_impl, c) => {
  it.each(fixtures)('%s: the SDK decrypts what the tests encrypt, and so do we', async (_name, text) => {
    const enc = encryptForLark(text, TEST_ENCRYPT_KEY);
    expect(new AESCipher(TEST_ENCRYPT_KEY).decrypt(enc)).toBe(text);
    expect(await decryptEvent(enc, TEST_ENCRYPT_KEY, c)).toBe(text);
  });

  it.each(fixtures)('%s: the SDK decrypts what our WebCrypto encrypts', async (_name, text) => {
    const enc = await encryptEvent(text, TEST_ENCRYPT_KEY);
    expect(new AESCipher(TEST_ENCRYPT_KEY).decrypt(enc)).toBe(text);
    expect(await decryptEvent(enc, TEST_ENCRYPT_KEY, c)).toBe(text);
  });

  it('the documented example decrypts (key "test key", plaintext "hello world")', async () => {
    // From Lark's docs: encrypt("hello world") with key "test key".
    const enc = 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=';
    expect(new AESCipher('test key').decrypt(enc)).toBe('hello world');
    expect(await decryptEvent(enc, 'test key', c)).toBe('hello world');
  });

  it('refuses the wrong key, truncated or non-base64 input', async () => {
    const enc = encryptForLark('{"a":1}', TEST_ENCRYPT_KEY);
    await expect(decryptEvent(enc, 'other key', c)).rejects.toThrow();
    await expect(decryptEvent(enc.slice(0, 20), TEST_ENCRYPT_KEY, c)).rejects.toThrow();
    await expect(decryptEvent('***', TEST_ENCRYPT_KEY, c)).rejects.toThrow();
    // Characters outside base64's alphabet inside otherwise valid input: refused, not skipped.
    await expect(decryptEvent(`${enc.slice(0, 8)}*${enc.slice(8)}`, TEST_ENCRYPT_KEY, c)).rejects.toThrow();
    // The same length, one character replaced: outside the alphabet, base64url's, an inner '='.
    for (const ch of ['*', '-', '_', '=', '.'])
      await expect(decryptEvent(`${enc.slice(0, 8)}${ch}${enc.slice(9)}`, TEST_ENCRYPT_KEY, c)).rejects.toThrow();
  });

  it('refuses a plaintext that is not UTF-8', async () => {
    const iv = new Uint8Array(16).fill(7);
    const key = createHash('sha256').update(TEST_ENCRYPT_KEY).digest();
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    const ct = Buffer.concat([cipher.update(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), cipher.final()]);
    const enc = Buffer.concat([iv, ct]).toString('base64');
    await expect(decryptEvent(enc, TEST_ENCRYPT_KEY, c)).rejects.toThrow();
  });
});

describe.each(impls)('signature (%s)', (_impl, c) => {
  it('is SHA-256 over timestamp + nonce + key + the raw bytes', async () => {
    const raw = Buffer.from('{"encrypt":"abc"}  \n'); // whitespace is part of the bytes
    const sig = signLark('1700000000', 'nonce1', TEST_ENCRYPT_KEY, raw);
    expect(sig).toBe(
      createHash('sha256').update(`1700000000nonce1${TEST_ENCRYPT_KEY}{"encrypt":"abc"}  \n`).digest('hex'),
    );
    const h = { timestamp: '1700000000', nonce: 'nonce1', signature: sig };
    expect(await signatureValid(h, TEST_ENCRYPT_KEY, raw, c)).toBe(true);
    expect(await signatureValid({ ...h, signature: sig.toUpperCase() }, TEST_ENCRYPT_KEY, raw, c)).toBe(true);
    expect(await signatureValid(h, TEST_ENCRYPT_KEY, Buffer.from('{"encrypt":"abc"}'), c)).toBe(false);
    expect(await signatureValid({ ...h, nonce: 'nonce2' }, TEST_ENCRYPT_KEY, raw, c)).toBe(false);
    expect(await signatureValid({ ...h, signature: null }, TEST_ENCRYPT_KEY, raw, c)).toBe(false);
  });

  it('legacy card signature is SHA-1 over timestamp + nonce + token + the raw bytes', async () => {
    const raw = Buffer.from('{"open_id":"ou_x","action":{}}');
    const sig = createHash('sha1').update(`1700000000nonce1tok${raw.toString()}`).digest('hex');
    const h = { timestamp: '1700000000', nonce: 'nonce1', signature: sig };
    expect(await legacyCardSignatureValid(h, 'tok', raw, c)).toBe(true);
    expect(await legacyCardSignatureValid(h, 'other', raw, c)).toBe(false);
  });

  it('constant-time comparison agrees with ===', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
