import catalog2024 from './catalog-2024.json' with { type: 'json' };
import { validateCatalog } from '../src/catalog/validateCatalog.js';
import type { Catalog } from '../src/catalog/Catalog.js';

// Every catalog shipped with the bot, by year. Imported (not read from disk) so the Worker bundle
// carries them too. A new year is one more JSON file and one more line here.
const shipped: Record<number, { data: unknown; file: string }> = {
  2024: { data: catalog2024, file: 'seeds/catalog-2024.json' },
};

export function shippedCatalogYears(): number[] {
  return Object.keys(shipped).map(Number).sort();
}

export function shippedCatalog(year: number): Catalog {
  const entry = shipped[year];
  if (!entry) throw new Error(`no catalog shipped for ${year} (have: ${shippedCatalogYears().join(', ')})`);
  return validateCatalog(entry.data, entry.file);
}
