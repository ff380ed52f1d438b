import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTs } from './spawnNode.js';

/** The fixture contacts and one subscription, as the README's Worker bootstrap makes them. */
export const BOOTSTRAP_CSV = 'test/fixtures/bootstrap/contacts.csv';

/**
 * Runs the real CLI (`contacts import FILE --sql`, `chats subscribe … --sql`) as an operator would
 * for `wrangler d1 execute --file`, against a throwaway local database (the CLI validates org names
 * against its catalog), and returns the script.
 */
export async function bootstrapSql(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'minsheng-bootstrap-'));
  try {
    const env = { DATABASE_URL: `file:${join(dir, 'cli.db')}` };
    const contacts = await runTs('src/runtime/cli.ts', ['contacts', 'import', BOOTSTRAP_CSV, '--sql'], env);
    if (contacts.code !== 0) throw new Error(`contacts import --sql failed: ${contacts.stderr}`);
    const chats = await runTs('src/runtime/cli.ts', ['chats', 'subscribe', 'oc_boot_leaders', '1', '13', '--sql'], env);
    if (chats.code !== 0) throw new Error(`chats subscribe --sql failed: ${chats.stderr}`);
    return contacts.stdout + chats.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
