// The layer table of ../shared/design.md ("Layers: who may import whom"), held in CI by `npm run lint`.
// Each rule names an arrow that must not exist; a new upward import fails the build with the rule's name.
const PURE = '^src/(cards|parser|progress|catalog|workdays)/';
const USE_CASES = '^src/(bot|jobs|cli|digest|board|export)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'pure-core-no-io',
      comment: 'cards, parser, progress, catalog and workdays are pure: no database, no use case, no platform, no runtime.',
      severity: 'error',
      from: { path: PURE },
      to: { path: '^src/(db|jobs|bot|outbox|inbox|lark|digest|cli|runtime|settings|duties|board|export)/|^src/(deps|bootstrap|logger)\\.ts$' },
    },
    {
      name: 'pure-core-no-node-builtins',
      comment: 'The pure core runs unchanged in workerd: no node:* modules.',
      severity: 'error',
      from: { path: PURE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'lark-is-the-platform-only',
      comment: 'lark/ verifies, decrypts and talks to the Open API; it routes no use case and touches no database.',
      severity: 'error',
      from: { path: '^src/lark/' },
      to: { path: '^src/(bot|outbox|inbox|db|jobs|digest|cli|runtime|settings|duties|board|export)/|^src/(app|eventPath)\\.ts$' },
    },
    {
      name: 'outbox-inbox-below-use-cases',
      comment: 'The inbox and outbox are storage plus the Lark client interface; use cases call them, not the reverse.',
      severity: 'error',
      from: { path: '^src/(outbox|inbox)/' },
      to: { path: `${USE_CASES}|^src/runtime/` },
    },
    {
      name: 'inbox-knows-no-use-case',
      comment: 'The inbox stores and leases events and runs them through the router it is given (bot/eventRoutes.ts, joined in eventPath.ts): db, the envelope type and safeError only; what follows processing (delivery) is a callback.',
      severity: 'error',
      from: { path: '^src/inbox/' },
      to: { path: '^src/(outbox|settings|duties|digest)/|^src/lark/(?!envelope\\.ts$|safeError\\.ts$)|^src/(app|eventPath)\\.ts$' },
    },
    {
      name: 'db-below-everything-but-the-core',
      comment: 'Repositories know catalog types and the progress semantics they mirror, nothing above.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(bot|jobs|digest|outbox|inbox|lark|cli|runtime|cards|settings|duties|board|export)/' },
    },
    {
      name: 'digest-below-jobs',
      comment: 'The digest is computed for jobs, the board and the CLI; it never imports them.',
      severity: 'error',
      from: { path: '^src/digest/' },
      to: { path: '^src/(jobs|bot|outbox|inbox|cli|runtime|board|export)/' },
    },
    {
      name: 'settings-below-use-cases',
      comment: 'Settings (schedules, thresholds, stale weeks) are stored values with their defaults: db and the pure core only.',
      severity: 'error',
      from: { path: '^src/settings/' },
      to: { path: `${USE_CASES}|^src/(runtime|outbox|inbox|lark|duties)/` },
    },
    {
      name: 'duties-below-use-cases',
      comment: 'duties/ says who owes what and when (shared by reminders, the digest, the board and /我的); it calls nothing above.',
      severity: 'error',
      from: { path: '^src/duties/' },
      to: { path: `${USE_CASES}|^src/(runtime|outbox|inbox|lark)/` },
    },
    {
      name: 'bot-not-jobs',
      comment: 'bot/ handles events and commands; scheduled work lives in jobs/ and calls down, never up.',
      severity: 'error',
      from: { path: '^src/bot/' },
      to: { path: '^src/(jobs|cli|runtime)/' },
    },
    {
      name: 'jobs-not-bot',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/(bot|cli|runtime|board|export)/' },
    },
    {
      name: 'only-runtime-assembles',
      comment: 'runtime/ is the entry and the only place that knows a driver; CLI commands get their database and Deps from runtime/cliDeps.ts alone.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/runtime/' },
      to: { path: '^src/runtime/', pathNot: '^src/runtime/cliDeps\\.ts$' },
    },
    {
      name: 'only-cli-opens-cli-deps',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(runtime|cli|board|export)/' },
      to: { path: '^src/runtime/cliDeps\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
