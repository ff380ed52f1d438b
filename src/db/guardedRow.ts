import { getTableColumns, is, SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * `INSERT INTO table SELECT <row> WHERE <guard>` as a drizzle query builder: a conditional insert
 * that can sit in a batch on D1 (drizzle's D1 batch binds only prepared builder statements; a raw
 * `db.run(sql…)` with parameters has no statement to bind and fails). Every column is listed, as
 * drizzle's own VALUES do: a field not given takes the column's default (or NULL, which an
 * autoincrement id turns into the next id). One row: the bound values stay far below D1's 100.
 */
export function guardedRow<T extends SQLiteTable>(table: T, row: Partial<T['$inferInsert']>, guard: SQL): SQL {
  const values = row as Record<string, unknown>;
  const cols = Object.entries(getTableColumns(table)).filter(
    ([, c]) => !(c as unknown as { shouldDisableInsert(): boolean }).shouldDisableInsert(),
  );
  const exprs = cols.map(([key, col]) => {
    const v = values[key];
    if (v !== undefined) return is(v, SQL) ? v : sql.param(v, col);
    if (col.default !== undefined) return is(col.default, SQL) ? col.default : sql.param(col.default, col);
    if (col.defaultFn) {
      const d = col.defaultFn();
      return is(d, SQL) ? d : sql.param(d, col);
    }
    return sql`null`;
  });
  return sql`SELECT ${sql.join(exprs, sql`, `)} WHERE ${guard}`;
}
