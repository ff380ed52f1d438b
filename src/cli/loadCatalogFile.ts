import { readFile } from 'node:fs/promises';
import { CatalogError, validateCatalog } from '../catalog/validateCatalog.js';
import type { Catalog } from '../catalog/Catalog.js';

/** Node-only: reads and validates a catalog JSON file (seeds/catalog-YYYY.json or an import). */
export async function loadCatalogFile(path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CatalogError(path, [`cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CatalogError(path, [`not valid JSON (${(e as Error).message})`]);
  }
  return validateCatalog(data, path);
}
