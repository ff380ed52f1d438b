import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '../..');
const config = require(resolve(root, '.dependency-cruiser.cjs'));

async function violations(baseDir: string): Promise<Array<{ rule: string; from: string; to: string }>> {
  const result = await cruise(['src'], {
    validate: true,
    ruleSet: { forbidden: config.forbidden },
    baseDir,
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  });
  const output = result.output as {
    summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> };
  };
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('layer rules (.dependency-cruiser.cjs, the table in ../shared/design.md)', () => {
  it('the source tree breaks none of them', async () => {
    expect(await violations(root)).toEqual([]);
  });

  it('a deliberate upward import fails with the rule that forbids it', async () => {
    const found = await violations(resolve(import.meta.dirname, 'fixtures/upward'));
    expect(found).toEqual([
      { rule: 'pure-core-no-io', from: 'src/parser/parseReport.ts', to: 'src/db/reportsRepo.ts' },
    ]);
  });

  it('the event path: lark/ reaching the inbox, the inbox reaching the bot or the outbox, each fails', async () => {
    const found = await violations(resolve(import.meta.dirname, 'fixtures/inbox-up'));
    expect(found.map((v) => `${v.rule}: ${v.from} → ${v.to}`).sort()).toEqual([
      'inbox-knows-no-use-case: src/inbox/inbox.ts → src/outbox/kickDelivery.ts',
      'lark-is-the-platform-only: src/lark/receiveLarkRequest.ts → src/inbox/inbox.ts',
      'outbox-inbox-below-use-cases: src/inbox/inbox.ts → src/bot/handleMessage.ts',
    ]);
  });
});
