import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type * as schema from './schema.js';

/**
 * The database every query is written against: drizzle's async SQLite base, which both the libsql
 * driver (Node file, Turso) and the D1 driver implement. D1 has no interactive transactions, so
 * multi-statement writes use `batch` (atomic on both drivers).
 */
export type Db = BaseSQLiteDatabase<'async', unknown, typeof schema> & {
  batch: LibSQLDatabase<typeof schema>['batch'];
};
