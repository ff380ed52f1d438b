import { openCliDb } from '../runtime/cliDeps.js';
import { seedCatalog } from '../../seeds/seedCatalog.js';
import { shippedCatalog, shippedCatalogYears } from '../../seeds/catalogs.js';

/** `seed`: upserts every shipped catalog; running it again changes nothing. */
export async function seedCommand(): Promise<number> {
  const { db, close } = await openCliDb();
  try {
    for (const year of shippedCatalogYears()) {
      const catalog = shippedCatalog(year);
      await seedCatalog(db, catalog);
      process.stdout.write(
        `seeded catalog ${year}: ${catalog.projects.length} projects, ${catalog.metrics.length} metrics, ${catalog.organisations.length} organisations\n`,
      );
    }
  } finally {
    close();
  }
  return 0;
}
