import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// The local D1 starts empty; apply the same committed migrations wrangler would.
const e = env as unknown as { DB: D1Database; TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1] };
await applyD1Migrations(e.DB, e.TEST_MIGRATIONS);
