import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('config from the environment', () => {
  it('has working defaults and local mode without credentials', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      DATABASE_URL: 'file:data/minsheng.db',
      LARK_BASE_URL: 'https://open.feishu.cn',
      LARK_EVENT_MODE: 'webhook',
      ADMIN_OPEN_IDS: [],
      BOT_TIMEZONE: 'Asia/Shanghai',
      localMode: true,
    });
    expect(c.MINSHENG_NOW).toBeUndefined();
  });

  it('reads every public variable', () => {
    const c = parseConfig({
      PORT: '8080',
      DATABASE_URL: 'libsql://x.turso.io',
      DATABASE_AUTH_TOKEN: 'tok',
      LARK_APP_ID: 'cli_a',
      LARK_APP_SECRET: 's',
      LARK_VERIFICATION_TOKEN: 'v',
      LARK_ENCRYPT_KEY: 'k',
      LARK_BASE_URL: 'http://127.0.0.1:9/',
      LARK_EVENT_MODE: 'ws',
      ADMIN_OPEN_IDS: 'ou_a, ou_b,,',
      BOT_TIMEZONE: 'Asia/Chongqing',
      MINSHENG_NOW: '2024-10-28T09:00:00+08:00',
    });
    expect(c).toMatchObject({
      PORT: 8080,
      LARK_BASE_URL: 'http://127.0.0.1:9',
      LARK_EVENT_MODE: 'ws',
      ADMIN_OPEN_IDS: ['ou_a', 'ou_b'],
      localMode: false,
    });
  });

  it('treats empty values as unset (as .env files write them)', () => {
    expect(parseConfig({ LARK_APP_ID: '', LARK_APP_SECRET: '' }).localMode).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ LARK_EVENT_MODE: 'poll' }, /LARK_EVENT_MODE: webhook or ws/],
    [{ BOT_TIMEZONE: 'Mars/Olympus' }, /BOT_TIMEZONE: an IANA time zone/],
    [{ MINSHENG_NOW: 'yesterday' }, /MINSHENG_NOW: an ISO time/],
    [{ DATABASE_URL: 'postgres://x' }, /DATABASE_URL: a libsql URL/],
    [{ LARK_BASE_URL: 'open.feishu.cn' }, /LARK_BASE_URL: an http\(s\) URL/],
    [{ LARK_APP_ID: 'cli_x' }, /LARK_APP_SECRET: required when LARK_APP_ID is set/],
  ])('%o fails naming the variable', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });
});
