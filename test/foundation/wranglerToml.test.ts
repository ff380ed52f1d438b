import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Following wrangler.toml must give a working Worker: every configuration variable is either set
// under [vars] or named in its secrets/optional list (a missing LARK_APP_ID or ADMIN_OPEN_IDS was
// a 503 start_failed or a bot nobody could administer).

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('wrangler.toml', () => {
  it('names every configuration variable the Worker reads', () => {
    const toml = read('wrangler.toml');
    const keys = [...read('src/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(keys).toContain('LARK_APP_ID');
    const missing = keys.filter((k) => !new RegExp(`\\b${k}\\b`).test(toml));
    expect(missing).toEqual([]);
    for (const secret of [
      'LARK_APP_ID',
      'LARK_APP_SECRET',
      'LARK_VERIFICATION_TOKEN',
      'LARK_ENCRYPT_KEY',
      'ADMIN_OPEN_IDS',
    ]) {
      expect(toml).toMatch(new RegExp(`^#\\s+${secret}\\b`, 'm'));
      expect(toml).not.toMatch(new RegExp(`^${secret}\\s*=`, 'm'));
    }
  });

  it('.dev.vars, where wrangler dev reads the secrets, is git-ignored', () => {
    expect(read('.gitignore').split('\n')).toContain('.dev.vars');
  });
});
