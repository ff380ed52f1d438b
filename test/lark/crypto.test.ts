import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AESCipher } from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, decryptEvent, encryptEvent, signatureValid } from '../../src/lark/verify.js';
import { encryptForLark, signLark, TEST_ENCRYPT_KEY } from '../helpers/larkEvents.js';

// Our WebCrypto code against the SDK's own AESCipher and against node:crypto, both ways, on the
// fixtures in Lark's real payload shapes.

const fixtures = [
  'im.message.receive_v1',
  'im.message.receive_v1.post',
  'card.action.trigger',
  'url_verification',
  'im.chat.member.bot.added_v1',
  'im.chat.access_event.bot_p2p_chat_entered_v1',
].map((name) => [name, readFileSync(new URL(`../fixtures/lark/${name}.json`, import.meta.url), 'utf8')] as const);

describe('encryption', () => {
  it.each(fixtures)('%s: the SDK decrypts what the tests encrypt, and so do we', async (_name, text) => {
    const enc = encryptForLark(text, TEST_ENCRYPT_KEY);
    expect(new AESCipher(TEST_ENCRYPT_KEY).decrypt(enc)).toBe(text);
    expect(await decryptEvent(enc, TEST_ENCRYPT_KEY)).toBe(text);
  });

  it.each(fixtures)('%s: the SDK decrypts what our WebCrypto encrypts', async (_name, text) => {
    const enc = await encryptEvent(text, TEST_ENCRYPT_KEY);
    expect(new AESCipher(TEST_ENCRYPT_KEY).decrypt(enc)).toBe(text);
    expect(await decryptEvent(enc, TEST_ENCRYPT_KEY)).toBe(text);
  });

  it('the documented example decrypts (key "test key", plaintext "hello world")', async () => {
    // From Lark's docs: encrypt("hello world") with key "test key".
    const enc = 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=';
    expect(new AESCipher('test key').decrypt(enc)).toBe('hello world');
    expect(await decryptEvent(enc, 'test key')).toBe('hello world');
  });

  it('refuses the wrong key, truncated or non-base64 input', async () => {
    const enc = encryptForLark('{"a":1}', TEST_ENCRYPT_KEY);
    await expect(decryptEvent(enc, 'other key')).rejects.toThrow();
    await expect(decryptEvent(enc.slice(0, 20), TEST_ENCRYPT_KEY)).rejects.toThrow();
    await expect(decryptEvent('***', TEST_ENCRYPT_KEY)).rejects.toThrow();
  });
});

describe('signature', () => {
  it('is SHA-256 over timestamp + nonce + key + the raw bytes', async () => {
    const raw = Buffer.from('{"encrypt":"abc"}  \n'); // whitespace is part of the bytes
    const sig = signLark('1700000000', 'nonce1', TEST_ENCRYPT_KEY, raw);
    expect(sig).toBe(
      createHash('sha256').update(`1700000000nonce1${TEST_ENCRYPT_KEY}{"encrypt":"abc"}  \n`).digest('hex'),
    );
    const h = { timestamp: '1700000000', nonce: 'nonce1', signature: sig };
    expect(await signatureValid(h, TEST_ENCRYPT_KEY, raw)).toBe(true);
    expect(await signatureValid({ ...h, signature: sig.toUpperCase() }, TEST_ENCRYPT_KEY, raw)).toBe(true);
    expect(await signatureValid(h, TEST_ENCRYPT_KEY, Buffer.from('{"encrypt":"abc"}'))).toBe(false);
    expect(await signatureValid({ ...h, nonce: 'nonce2' }, TEST_ENCRYPT_KEY, raw)).toBe(false);
    expect(await signatureValid({ ...h, signature: null }, TEST_ENCRYPT_KEY, raw)).toBe(false);
  });

  it('constant-time comparison agrees with ===', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
