import { and, desc, eq } from 'drizzle-orm';
import { Catalog } from '../catalog/Catalog.js';
import { validateCatalog } from '../catalog/validateCatalog.js';
import type { Db } from './Db.js';
import { catalogs, metrics } from './schema.js';

/** Years that have a catalog in the database, newest first. */
export async function catalogYears(db: Db): Promise<number[]> {
  const rows = await db.select({ year: catalogs.year }).from(catalogs).orderBy(desc(catalogs.year));
  return rows.map((r) => r.year);
}

/**
 * The catalog of a year as stored, with deadlines an administrator changed applied. `year`
 * undefined means the newest catalog in the database.
 */
export async function loadCatalog(db: Db, year?: number): Promise<Catalog | undefined> {
  const row =
    year === undefined
      ? (await db.select().from(catalogs).orderBy(desc(catalogs.year)).limit(1))[0]
      : (await db.select().from(catalogs).where(eq(catalogs.year, year)).limit(1))[0];
  if (!row) return undefined;
  const base = validateCatalog(row.data, `database catalog ${row.year}`);
  const deadlines = await db
    .select({ id: metrics.id, deadline: metrics.deadline })
    .from(metrics)
    .where(eq(metrics.year, row.year));
  const byId = new Map(deadlines.map((d) => [d.id, d.deadline]));
  const file = {
    ...base.file,
    metrics: base.file.metrics.map((m) => {
      const d = byId.get(m.id);
      return d && d !== (m.deadline ?? base.deadline) ? { ...m, deadline: d } : m;
    }),
  };
  return new Catalog(file);
}

/** An administrator moves a metric's deadline. */
export async function setMetricDeadline(db: Db, year: number, metricId: string, deadline: string): Promise<boolean> {
  const r = await db
    .update(metrics)
    .set({ deadline })
    .where(and(eq(metrics.year, year), eq(metrics.id, metricId)))
    .returning({ id: metrics.id });
  return r.length > 0;
}
