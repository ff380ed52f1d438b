// `npm run build` (and `npm start`'s prestart): the Node server as plain JavaScript, so a start
// does not compile TypeScript (tsx at start cost about 140 MB of memory and a second of CPU).
// Two bundles, the server and its processing thread; packages stay in node_modules (the libsql
// driver is native). The migrations go beside the bundle where openNodeDb looks for them.
import { cpSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir=DIR` (tests build their own copy, so parallel test files never share one being rebuilt).
// It must lie inside the project: the bundles find their packages in its node_modules.
const out = resolve(root, process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist');
rmSync(out, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/runtime/node.ts', 'src/runtime/processorThread.ts'],
  outbase: '.',
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // Shared code in chunks, and what is imported on demand (the Lark SDK, the long connection) stays
  // unloaded until then.
  splitting: true,
  // Chunks one folder below dist/src like the entries, so openNodeDb's `../db/migrations` is
  // dist/src/db/migrations from wherever its code lands.
  chunkNames: 'src/chunks/[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
});
cpSync(resolve(root, 'src/db/migrations'), resolve(out, 'src/db/migrations'), { recursive: true });
