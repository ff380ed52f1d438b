import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import type { Figure } from './figure.js';
import { median } from './figure.js';

const root = resolve(import.meta.dirname, '..');

/**
 * The Worker as it would be deployed: wrangler bundles it (dry run), we report the bundle's gzip
 * size, then start that bundle in workerd (Miniflare) with a fresh local D1 and time the first
 * answer to /healthz — isolate start, module evaluation, migrations-free catalog seeding included.
 */
export async function workerBench(opts: { runs: number }): Promise<{ figures: Figure[]; table: string[] }> {
  const out = mkdtempSync(join(tmpdir(), 'minsheng-worker-'));
  try {
    execFileSync(resolve(root, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], {
      cwd: root,
      stdio: 'pipe',
    });
    const file = readdirSync(out).find((f) => f.endsWith('.js'));
    if (!file) throw new Error('wrangler produced no bundle');
    const bundle = readFileSync(join(out, file));
    const gzipKb = gzipSync(bundle).length / 1024;
    const migrations = readdirSync(resolve(root, 'src/db/migrations'))
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => readFileSync(resolve(root, 'src/db/migrations', f), 'utf8'));
    const times: number[] = [];
    for (let r = 0; r < opts.runs; r++) {
      const mf = new Miniflare({
        modulesRoot: out,
        modules: [{ type: 'ESModule', path: join(out, file) }],
        compatibilityDate: '2026-03-01',
        compatibilityFlags: ['nodejs_compat'],
        d1Databases: { DB: `bench-${r}` },
      });
      try {
        // Schema first (wrangler's `d1 migrations apply` does this before traffic in production).
        const db = await mf.getD1Database('DB');
        for (const m of migrations)
          for (const stmt of m.split('--> statement-breakpoint')) if (stmt.trim()) await db.prepare(stmt).run();
        const t0 = performance.now();
        const res = await mf.dispatchFetch('http://worker/healthz');
        await res.text();
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`worker /healthz answered ${res.status}`);
      } finally {
        await mf.dispose();
      }
    }
    const cold = median(times);
    return {
      figures: [
        { name: 'worker.bundle_gzip_kb', value: Math.round(gzipKb * 10) / 10, unit: 'KiB' },
        { name: 'worker.cold_ms', value: Math.round(cold * 10) / 10, unit: 'ms' },
      ],
      table: [
        `worker bundle ${(bundle.length / 1024).toFixed(0)} KiB, ${gzipKb.toFixed(1)} KiB gzip; first answer in workerd ${cold.toFixed(1)} ms (median of ${opts.runs})`,
      ],
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
