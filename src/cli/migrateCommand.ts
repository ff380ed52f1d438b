import { openCliDb } from '../runtime/cliDeps.js';

/** `migrate`: applies the committed migrations to DATABASE_URL (a file or Turso). */
export async function migrateCommand(): Promise<number> {
  const { config, close } = await openCliDb();
  close();
  process.stdout.write(`migrated ${redactUrl(config.DATABASE_URL)}\n`);
  return 0;
}

/** Database URLs may carry a token in the query string; never print it. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](authToken|token)=)[^&]*/gi, '$1***');
}
