import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client, type Config as ClientConfig } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { backoffMs } from '../backoff.js';
import type { Db } from '../db/Db.js';
import * as schema from '../db/schema.js';
import { sleep } from '../sleep.js';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../db/migrations');

/**
 * How long one statement waits for another process's write lock before SQLITE_BUSY. Short on
 * purpose: the driver waits synchronously, holding the event loop (no acks meanwhile), so the
 * longer wait is retryBusy's, asynchronous, between tries.
 */
export const BUSY_TIMEOUT_MS = 250;
/** Further tries after SQLITE_BUSY: about 8 s in all before the error reaches the caller. */
export const BUSY_RETRIES = 10;

/** True for the lock errors another process's transaction causes (never for a constraint or a syntax error). */
export function isBusyError(err: unknown): boolean {
  const e = err as { code?: unknown; rawCode?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(e.code)) return true;
  // rawCode's low byte: 5 SQLITE_BUSY, 6 SQLITE_LOCKED.
  if (typeof e.rawCode === 'number' && ((e.rawCode & 0xff) === 5 || (e.rawCode & 0xff) === 6)) return true;
  return typeof e.message === 'string' && /SQLITE_BUSY|database is locked|statements in progress/i.test(e.message);
}

/**
 * Runs `op` again when SQLite says another connection holds the lock. Safe to repeat: a statement
 * or batch that fails with SQLITE_BUSY has written nothing (a batch is rolled back before its
 * connection is reused).
 */
export async function retryBusy<T>(op: () => Promise<T>, retries = BUSY_RETRIES, wait = sleep): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await op();
    } catch (err) {
      if (attempt > retries || !isBusyError(err)) throw err;
      await wait(backoffMs(attempt, 25, 1_000));
    }
  }
}

/**
 * A libsql client over a local file, safe to share the file with other processes (another server,
 * the CLI, a scheduler):
 * - one connection (`concurrency: 1`). @libsql/client pools up to 20 connections and a PRAGMA
 *   reaches only the one that ran it: `busy_timeout` and `synchronous` were on one connection and
 *   the others failed at once with SQLITE_BUSY. Every statement here is synchronous inside the
 *   driver, so more connections gained nothing but lock contention with ourselves.
 * - `timeout` is libsql's busy timeout, set by the driver on every connection it opens (a reopened
 *   one included), so no connection ever runs without it.
 * - batches begin IMMEDIATE: the write lock is taken (waiting for it) before the first statement,
 *   so a batch that reads and then writes never finds its snapshot stale (SQLITE_BUSY_SNAPSHOT,
 *   which SQLite returns without waiting).
 * - execute and batch retry on SQLITE_BUSY with the common backoff.
 */
function fileClient(config: ClientConfig): Client {
  const client = createClient({ ...config, concurrency: 1, timeout: BUSY_TIMEOUT_MS });
  const execute = client.execute.bind(client) as (...a: unknown[]) => Promise<unknown>;
  const batch = client.batch.bind(client) as (stmts: unknown, mode?: unknown) => Promise<unknown>;
  return Object.assign(client, {
    execute: (...a: unknown[]) => retryBusy(() => execute(...a)),
    batch: (stmts: unknown, mode?: unknown) => retryBusy(() => batch(stmts, mode ?? 'write')),
  }) as Client;
}

/** The path of a libsql file URL (`file:/x/m.db?mode=rwc` → `/x/m.db`); null for `:memory:` and any other database. */
export function localFilePath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const path = url.slice('file:'.length).split('?')[0] ?? '';
  return path && path !== ':memory:' ? path : null;
}

/**
 * Opens the libsql database named by DATABASE_URL (a file, :memory:, or Turso over the network),
 * creating the file's folder, and applies the committed migrations.
 */
export async function openNodeDb(url: string, authToken?: string): Promise<{ db: Db; client: Client }> {
  const isFile = url.startsWith('file:');
  const path = localFilePath(url);
  if (path) await mkdir(dirname(resolve(path)), { recursive: true });
  const client = isFile ? fileClient({ url, authToken }) : createClient({ url, authToken });
  if (isFile) {
    // WAL lets the scheduler, the webhook and the CLI use one file at once (readers never wait for
    // the writer); it is a property of the file, kept once set.
    await client.execute('PRAGMA journal_mode = WAL');
    // In WAL mode NORMAL still survives a crash of the process (a committed transaction is in the
    // WAL, written before the commit returns); only an OS crash or power cut can lose the last
    // commits. FULL would fsync every commit, which caps the webhook at about 100 events/s on
    // this machine's disk. Per connection: this client has exactly one.
    await client.execute('PRAGMA synchronous = NORMAL');
    // The WAL is checkpointed by whichever connection's commit takes it past SQLite's default
    // 1,000 pages, the request thread's included. Leaving it to the processing thread (16,000 pages
    // on the request thread) made one ack in a flood copy a 64 MB WAL: p99 at 500/s went from 15 ms
    // to 62 ms, since processing, waiting for the acks, hardly ever commits then.
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder });
  return { db, client };
}
