import { defineConfig } from 'vitest/config';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from 'wrangler';

// Two projects: the Node suite (real libsql, real HTTP on loopback, a fake Lark Open API) and the
// Worker suite, which runs inside workerd with a local D1 migrated from src/db/migrations.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/worker/**', 'node_modules/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async () => {
            // wrangler.toml as deployed (compatibility, the D1 binding) with its [vars] only, never a
            // developer's .dev.vars or .env: `wrangler.configPath` would add them to the bindings,
            // and a local LARK_APP_ID or MINSHENG_NOW would change what the tests see.
            const fromToml = unstable_getMiniflareWorkerOptions('./wrangler.toml');
            const tomlVars = unstable_readConfig({ config: './wrangler.toml' }).vars;
            return {
              main: fromToml.main,
              miniflare: {
                ...fromToml.workerOptions,
                bindings: {
                  ...tomlVars,
                  TEST_MIGRATIONS: await readD1Migrations('./src/db/migrations'),
                  // Lark webhook secrets for test/worker/lark*.test.ts (no app id: still local mode).
                  LARK_ENCRYPT_KEY: 'worker-test-encrypt-key',
                  LARK_VERIFICATION_TOKEN: 'worker-test-verification-token',
                  // The board's link key for test/worker/board.test.ts.
                  BOARD_SECRET: 'worker-test-board-secret-0123456789abcdef',
                },
              },
            };
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          setupFiles: ['test/worker/applyMigrations.ts'],
          globalSetup: ['test/worker/fakeLarkSetup.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
