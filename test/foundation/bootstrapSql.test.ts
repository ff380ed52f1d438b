import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqlLiteral, sqlScript } from '../../src/db/sqlScript.js';
import { openNodeDb } from '../../src/runtime/openNodeDb.js';
import { bootstrapSql } from '../helpers/bootstrapSql.js';
import { runTs } from '../helpers/spawnNode.js';

// The Worker bootstrap's SQL (README: `contacts import FILE --sql`, `chats subscribe … --sql`),
// applied to a migrated libsql database as wrangler applies it to D1; test/worker/bootstrap.test.ts
// applies the same script to D1.

describe('bootstrap SQL for a Worker deployment', () => {
  it('the CLI prints upserts that bind the contacts and subscribe the chat, idempotently', async () => {
    const script = await bootstrapSql();
    const dir = mkdtempSync(join(tmpdir(), 'minsheng-boot-'));
    const { client } = await openNodeDb(`file:${join(dir, 'd.db')}`);
    await client.executeMultiple(script);
    await client.executeMultiple(script);
    const rows = await client.execute('select open_id, name, org, role, status from contacts order by open_id');
    expect(rows.rows.map((r) => ({ ...r }))).toEqual([
      { open_id: 'ou_boot_admin9', name: '王管理', org: null, role: 'admin', status: 'active' },
      { open_id: 'ou_boot_li02', name: "李四, O'Brien", org: '渝中区', role: 'contact', status: 'active' },
      { open_id: 'ou_boot_zhang01', name: '张三', org: '市住房城乡建委', role: 'contact', status: 'active' },
    ]);
    expect((await client.execute('select projects from chats')).rows.map((r) => r.projects)).toEqual(['[1,13]']);
    client.close();
  });

  it('a CSV with a problem prints no SQL at all and says which line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minsheng-boot-'));
    writeFileSync(join(dir, 'bad.csv'), 'open_id,name,org,role\nou_ok1,甲,住建委,contact\nou_bad2,乙,火星区,contact\n');
    const r = await runTs('src/runtime/cli.ts', ['contacts', 'import', join(dir, 'bad.csv'), '--sql'], {
      DATABASE_URL: `file:${join(dir, 'cli.db')}`,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('第 3 行');
  });

  it('values are written as literals: quotes doubled, question marks left alone, NULL and numbers', () => {
    expect(sqlLiteral("O'Brien?")).toBe("'O''Brien?'");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(12.5)).toBe('12.5');
    expect(
      sqlScript([{ toSQL: () => ({ sql: "insert into t (a, b) values (?, 'x?') where c = ?", params: ["it's", 3] }) }]),
    ).toBe("insert into t (a, b) values ('it''s', 'x?') where c = 3;\n");
    expect(() => sqlLiteral(Number.NaN)).toThrow();
  });
});
