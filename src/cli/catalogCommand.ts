import { loadCatalog } from '../db/catalogRepo.js';
import { openCliDb } from '../runtime/cliDeps.js';
import { loadCatalogFile } from './loadCatalogFile.js';
import { CatalogError } from '../catalog/validateCatalog.js';
import { prepareDatabase } from '../bootstrap.js';
import { seedCatalog } from '../../seeds/seedCatalog.js';
import { parseArgs } from '../runtime/cliDeps.js';
import type { Catalog } from '../catalog/Catalog.js';

/** `catalog show [metric-id] [--year N]` and `catalog import FILE`. */
export async function catalogCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args);
  const [sub, arg] = positional;
  if (sub === 'import') {
    if (!arg) {
      process.stderr.write('usage: npm run cli -- catalog import FILE.json\n');
      return 2;
    }
    let catalog: Catalog;
    try {
      // Validated in full before the database is opened: a bad file touches nothing.
      catalog = await loadCatalogFile(arg);
    } catch (err) {
      if (err instanceof CatalogError) {
        process.stderr.write(`catalog refused: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    const { db, close } = await openCliDb();
    const moved: string[] = [];
    try {
      // The imported file states the deadlines: they replace those in force, each change printed.
      const before = await loadCatalog(db, catalog.year);
      await seedCatalog(db, catalog, { replaceDeadlines: true });
      for (const m of catalog.metrics) {
        const was = before?.metric(m.id)?.deadline;
        if (was && was !== m.deadline) moved.push(`  ${m.id} deadline ${was} → ${m.deadline}`);
      }
    } finally {
      close();
    }
    process.stdout.write(
      `imported catalog ${catalog.year} from ${arg}: ${catalog.projects.length} projects, ${catalog.metrics.length} metrics\n${moved.map((l) => `${l}\n`).join('')}`,
    );
    return 0;
  }
  if (sub === 'show') {
    const { config, db, close } = await openCliDb();
    try {
      const year = typeof flags.year === 'string' ? Number(flags.year) : config.CATALOG_YEAR;
      const catalog = year === undefined ? await prepareDatabase(db, config) : await loadCatalog(db, year);
      if (!catalog) {
        process.stderr.write(`no catalog for ${year}\n`);
        return 1;
      }
      if (arg) {
        const m = catalog.metric(arg);
        if (!m) {
          process.stderr.write(`no metric ${arg} in catalog ${catalog.year}\n`);
          return 1;
        }
        const p = catalog.project(m.project);
        process.stdout.write(
          `${[
            `${m.id}  ${m.name}${m.measure ? `（${m.measure}）` : ''}`,
            `  project   ${m.project} ${p?.name ?? ''}`,
            `  kind      ${m.kind}`,
            `  target    ${m.target !== undefined ? `${m.target} ${m.unit}` : '—'}`,
            `  deadline  ${m.deadline}`,
            `  lead      ${m.lead.join('、')}`,
            `  units     ${catalog.unitsOf(m.id).join('、')}`,
            `  aliases   ${m.aliases.join('、') || '—'}`,
          ].join('\n')}\n`,
        );
        return 0;
      }
      const out = [
        `${catalog.title} (${catalog.year}): ${catalog.projects.length} projects, ${catalog.metrics.length} metrics`,
      ];
      for (const p of catalog.projects) {
        out.push(`${p.no} ${p.name}  [${p.units.join('、')}]`);
        for (const m of catalog.metricsOfProject(p.no)) {
          out.push(
            `   ${m.id.padEnd(5)} ${m.name}${m.measure ? `（${m.measure}）` : ''}  ${m.target !== undefined ? `${m.target} ${m.unit}` : '—'}  ${m.kind}`,
          );
        }
      }
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    } finally {
      close();
    }
  }
  process.stderr.write('usage: npm run cli -- catalog show [metric-id] [--year N] | catalog import FILE.json\n');
  return 2;
}
