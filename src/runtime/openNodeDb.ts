import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import type { Db } from '../db/Db.js';
import * as schema from '../db/schema.js';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../db/migrations');

/**
 * Opens the libsql database named by DATABASE_URL (a file, :memory:, or Turso over the network),
 * creating the file's folder, and applies the committed migrations.
 */
export async function openNodeDb(url: string, authToken?: string): Promise<{ db: Db; client: Client }> {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).split('?')[0] ?? '';
    if (path && path !== ':memory:') await mkdir(dirname(resolve(path)), { recursive: true });
  }
  const client = createClient({ url, authToken });
  if (url.startsWith('file:')) {
    // WAL lets the scheduler, the webhook and the CLI use one file at once; busy_timeout makes a
    // writer wait for another instead of failing at once.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA busy_timeout = 5000');
    // In WAL mode NORMAL still survives a crash of the process (a committed transaction is in the
    // WAL, written before the commit returns); only an OS crash or power cut can lose the last
    // commits. FULL would fsync every commit, which caps the webhook at about 100 events/s on
    // this machine's disk.
    await client.execute('PRAGMA synchronous = NORMAL');
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder });
  return { db, client };
}
