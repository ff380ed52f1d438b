import { sql } from 'drizzle-orm';
import type { Catalog } from '../src/catalog/Catalog.js';
import type { Db } from '../src/db/Db.js';
import { catalogs, metrics, organisations, projects } from '../src/db/schema.js';

/**
 * Upserts a validated catalog in one atomic batch: running it twice changes nothing, and a failure
 * leaves the database as it was. A metric's deadline set by an administrator is kept, unless
 * `replaceDeadlines` (catalog import: the file an administrator imports states the deadlines).
 */
export async function seedCatalog(db: Db, catalog: Catalog, opts: { replaceDeadlines?: boolean } = {}): Promise<void> {
  const year = catalog.year;
  const f = catalog.file;
  const excluded = (col: string) => sql.raw(`excluded.${col}`);
  const orgRows = f.organisations.map((o) => ({ year, name: o.name, kind: o.kind, aliases: o.aliases }));
  const projectRows = f.projects.map((p) => ({ year, no: p.no, name: p.name, units: p.units }));
  const metricRows = catalog.metrics.map((m) => ({
    year,
    id: m.id,
    project: m.project,
    name: m.name,
    measure: m.measure ?? null,
    kind: m.kind,
    target: m.target ?? null,
    unit: m.unit ?? null,
    lead: m.lead,
    aliases: m.aliases,
    deadline: m.deadline,
  }));
  await db.batch([
    db
      .insert(catalogs)
      .values({ year, title: f.title, start: f.start, deadline: f.deadline, data: f })
      .onConflictDoUpdate({
        target: catalogs.year,
        set: { title: f.title, start: f.start, deadline: f.deadline, data: f },
      }),
    ...chunks(orgRows, 4).map((rows) =>
      db
        .insert(organisations)
        .values(rows)
        .onConflictDoUpdate({
          target: [organisations.year, organisations.name],
          set: { kind: excluded('kind'), aliases: excluded('aliases') },
        }),
    ),
    ...chunks(projectRows, 4).map((rows) =>
      db
        .insert(projects)
        .values(rows)
        .onConflictDoUpdate({
          target: [projects.year, projects.no],
          set: { name: excluded('name'), units: excluded('units') },
        }),
    ),
    ...chunks(metricRows, 11).map((rows) =>
      db
        .insert(metrics)
        .values(rows)
        .onConflictDoUpdate({
          target: [metrics.year, metrics.id],
          set: {
            project: excluded('project'),
            name: excluded('name'),
            measure: excluded('measure'),
            kind: excluded('kind'),
            target: excluded('target'),
            unit: excluded('unit'),
            lead: excluded('lead'),
            aliases: excluded('aliases'),
            ...(opts.replaceDeadlines ? { deadline: excluded('deadline') } : {}),
          },
        }),
    ),
  ] as unknown as Parameters<Db['batch']>[0]);
}

/** D1 binds at most 100 variables a statement: insert in slices that stay under it. */
function chunks<T>(rows: T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(100 / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
