import { parseConfig } from '../config.js';
import { openNodeDb } from '../runtime/openNodeDb.js';

/** `migrate`: applies the committed migrations to DATABASE_URL (a file or Turso). */
export async function migrateCommand(): Promise<number> {
  const config = parseConfig(process.env);
  const { client } = await openNodeDb(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  client.close();
  process.stdout.write(`migrated ${redactUrl(config.DATABASE_URL)}\n`);
  return 0;
}

/** Database URLs may carry a token in the query string; never print it. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](authToken|token)=)[^&]*/gi, '$1***');
}
