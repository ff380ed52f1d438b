import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestData } from '../../src/digest/computeDigest.js';
import { shippedCatalog } from '../../seeds/catalogs.js';
import { runTs } from '../helpers/spawnNode.js';

// The operator commands of issue 13 as an operator runs them: demo data, the digest's JSON, the
// dry run, moving a deadline by command and by catalog import.

let dir: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runTs('src/runtime/cli.ts', args, env);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minsheng-cli13-'));
  env = { DATABASE_URL: `file:${join(dir, 'm.db')}`, MINSHENG_NOW: '2024-12-31T12:00:00+08:00' };
  const r = await cli('demo', '--until', '2024-12-31');
  expect(r.code, r.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('issue 13 commands', () => {
  it("digest --format json carries each metric's 截至 date, stale flag, the ranking and the units without contact", async () => {
    const r = await cli('digest', '--date', '2024-10-28', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as DigestData;
    expect(d.previousDate).toBe('2024-10-21');
    expect(d.metrics.find((m) => m.id === '1-1')).toMatchObject({
      asOf: expect.stringMatching(/^2024-10-2\d$/) as unknown as string,
      stale: false,
      rule: 'pace',
    });
    expect(d.metrics.find((m) => m.id === '8-3')).toMatchObject({ rule: 'target', benchmarkPct: 100 });
    expect(d.ranking[0]).toMatchObject({ rank: 1 });
    expect(d.ranking.length).toBeGreaterThan(10);
    expect(d.unitsWithoutContact.map((u) => u.org)).toContain('市供销合作社');
    const text = await cli('digest', '--date', '2024-10-28', '--format', 'text');
    expect(text.stdout).toContain('责任单位排名');
    expect(text.stdout).toContain('截至10月');
    expect(text.stdout).toContain('按当前值占目标值的比例判断');
  }, 60_000);

  it('remind --dry-run prints nothing on a holiday and names no finished metric', async () => {
    const holiday = await cli('remind', '--dry-run', '--date', '2024-10-03');
    expect(holiday.code).toBe(0);
    expect(holiday.stdout).toContain('这一天没有到期的任务');
    expect(holiday.stdout).not.toContain('→');
    const friday = await cli('remind', '--dry-run', '--date', '2024-12-20', '--text');
    expect(friday.stdout).toContain('报送提醒');
    expect(friday.stdout).not.toMatch(/13-1 建设/); // 13-1 finished long before
    expect(friday.stdout).not.toMatch(/约 0(?![.\d])/);
  }, 60_000);

  it('deadline set and catalog import move deadlines', async () => {
    const bad = await cli('deadline', 'set', '1-1', 'tomorrow');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('看不懂');
    const set = await cli('deadline', 'set', '1-1', '2024-11-15');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('1-1 新开工改造城镇老旧小区: deadline 2024-12-31 → 2024-11-15');
    const json = JSON.parse(
      (await cli('digest', '--date', '2024-10-28', '--format', 'json', '--projects', '1')).stdout,
    ) as DigestData;
    expect(json.metrics.find((m) => m.id === '1-1')).toMatchObject({ deadline: '2024-11-15', expectedPct: 94.4 });
    const file = structuredClone(shippedCatalog(2024).file);
    file.metrics = file.metrics.map((m) => (m.id === '2-1' ? { ...m, deadline: '2024-11-30' } : m));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(file));
    const imp = await cli('catalog', 'import', join(dir, 'catalog.json'));
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('2-1 deadline 2024-12-31 → 2024-11-30');
    expect(imp.stdout).toContain('1-1 deadline 2024-11-15 → 2024-12-31');
    const list = (await cli('deadline', 'list')).stdout;
    expect(list).toMatch(/2-1 +2024-11-30 {2}\(moved\)/);
  }, 90_000);
});
