import type { Catalog } from './catalog/Catalog.js';
import type { Config } from './config.js';
import type { Db } from './db/Db.js';
import { catalogYears, loadCatalog } from './db/catalogRepo.js';
import { seedCatalog } from '../seeds/seedCatalog.js';
import { shippedCatalog, shippedCatalogYears } from '../seeds/catalogs.js';

/**
 * Makes a migrated database ready to serve: seeds every shipped catalog that is not there yet
 * (a fresh database gets the 2024 catalog on first start) and returns the active catalog.
 */
export async function prepareDatabase(db: Db, config: Pick<Config, 'CATALOG_YEAR'>): Promise<Catalog> {
  const have = new Set(await catalogYears(db));
  for (const year of shippedCatalogYears()) {
    if (!have.has(year)) await seedCatalog(db, shippedCatalog(year));
  }
  const catalog = await loadCatalog(db, config.CATALOG_YEAR);
  if (!catalog) {
    throw new Error(
      config.CATALOG_YEAR
        ? `CATALOG_YEAR: no catalog for ${config.CATALOG_YEAR} in the database (import one with: npm run cli -- catalog import FILE)`
        : 'no catalog in the database',
    );
  }
  return catalog;
}
