import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDatabase } from '../../src/bootstrap.js';
import type { Catalog } from '../../src/catalog/Catalog.js';
import type { Db } from '../../src/db/Db.js';
import { openNodeDb } from '../../src/runtime/openNodeDb.js';

/** A real libsql database in a temp file, migrated and seeded with the shipped catalogs. */
export async function testDb(): Promise<{ db: Db; catalog: Catalog; url: string; dir: string; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'minsheng-test-'));
  const url = `file:${join(dir, 'test.db')}`;
  const { db, client } = await openNodeDb(url);
  const catalog = await prepareDatabase(db, {});
  return {
    db,
    catalog,
    url,
    dir,
    close: () => {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
