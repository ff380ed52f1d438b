import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDatabase } from '../src/bootstrap.js';
import type { InArgs, InStatement } from '@libsql/client';
import { parseConfig } from '../src/config.js';
import { computeDigest } from '../src/digest/computeDigest.js';
import { DEFAULT_THRESHOLDS } from '../src/progress/types.js';
import { openNodeDb } from '../src/runtime/openNodeDb.js';
import type { Figure } from './figure.js';
import { median } from './figure.js';

/**
 * Digest at scale: the full weekly digest (computeDigest: every metric's state this Monday and a
 * week before, who reported in the week, late reports) over a database holding N report items:
 * 41 metrics × 42 scopes, reports spread over
 * the year, a cumulative every fourth report and increments between, 5% superseded by corrections.
 */
export async function digestBench(opts: {
  sizes: number[];
  runs: number;
}): Promise<{ figures: Figure[]; table: string[]; plan: string[] }> {
  const results: Array<{ n: number; ms: number }> = [];
  let plan: string[] = [];
  for (const n of opts.sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'minsheng-bench-'));
    const { db, client } = await openNodeDb(`file:${join(dir, 'b.db')}`);
    try {
      const catalog = await prepareDatabase(db, {});
      await client.execute(
        `INSERT INTO reports (message_id, sender_open_id, text) VALUES ('om_bench', 'ou_bench', 'bench')`,
      );
      const scopes = ['city', ...catalog.districts().map((d) => d.name)];
      const metrics = catalog.metrics.map((m) => m.id);
      await client.execute({ sql: 'CREATE TEMP TABLE s(i INTEGER PRIMARY KEY, name TEXT)', args: [] });
      await client.execute({ sql: 'CREATE TEMP TABLE m(i INTEGER PRIMARY KEY, id TEXT)', args: [] });
      await client.batch(
        scopes.map((s, i) => ({ sql: 'INSERT INTO s VALUES (?, ?)', args: [i, s] })),
        'write',
      );
      await client.batch(
        metrics.map((id, i) => ({ sql: 'INSERT INTO m VALUES (?, ?)', args: [i, id] })),
        'write',
      );
      // Item k belongs to metric k % 41, scope (k / 41) % 42, and is the j-th report of that pair.
      await client.execute({
        sql: `WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < ? - 1)
          INSERT INTO report_items (report_id, year, metric_id, value, mode, scope, as_of, reporter_open_id, org, created_at, superseded_at)
          SELECT 1, 2024, m.id, (k % 97) + 1,
            CASE WHEN (k / 1722) % 4 = 0 THEN 'cumulative' ELSE 'increment' END,
            s.name,
            date('2024-01-01', '+' || d || ' days'),
            'ou_bench', '市住房城乡建委',
            (1704038400 + d * 86400 + 36000 + k % 3600) * 1000,
            CASE WHEN k % 20 = 7 THEN (1704038400 + d * 86400 + 36000 + k % 3600) * 1000 + 1 ELSE NULL END
          FROM (SELECT k, (k / 1722) * 365 / max(1, ? / 1722) AS d FROM n) JOIN m ON m.i = k % 41 JOIN s ON s.i = (k / 41) % 42`,
        args: [n, n],
      });
      await client.execute('ANALYZE');
      const date = '2024-10-28';
      const config = parseConfig({ DATABASE_URL: 'file:unused' });
      // Every statement the digest runs, to show its plan afterwards.
      const seen = new Map<string, InArgs>();
      const execute = client.execute.bind(client);
      client.execute = ((stmt: InStatement) => {
        if (typeof stmt === 'object' && /report_items/.test(stmt.sql)) seen.set(stmt.sql, stmt.args ?? []);
        return execute(stmt);
      }) as typeof client.execute;
      // Untimed runs first, at every size: without them the first size's runs also timed the JIT
      // compiling the digest's code (10k's median was about twice its steady state) and the
      // growth compared a cold 10k with a warm 1M.
      for (let w = 0; w < WARMUP_RUNS; w++)
        await computeDigest({ db, catalog, config }, { date, thresholds: DEFAULT_THRESHOLDS });
      const times: number[] = [];
      for (let r = 0; r < opts.runs; r++) {
        const t0 = performance.now();
        await computeDigest({ db, catalog, config }, { date, thresholds: DEFAULT_THRESHOLDS });
        times.push(performance.now() - t0);
      }
      client.execute = execute;
      results.push({ n, ms: median(times) });
      plan = [];
      for (const [text, args] of seen) {
        const rows = await client.execute({ sql: `EXPLAIN QUERY PLAN ${text}`, args });
        plan.push(...rows.rows.map((r) => String(r.detail)));
      }
    } finally {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const small = results[0]!;
  const large = results[results.length - 1]!;
  const scans = plan.filter((d) => /^SCAN (r|c|report_items)\b/.test(d));
  if (scans.length) throw new Error(`the digest query scans the report table: ${scans.join('; ')}`);
  const figures: Figure[] = [
    { name: 'digest.10k_ms', value: round(small.ms), unit: 'ms' },
    { name: 'digest.1m_ms', value: round(large.ms), unit: 'ms' },
    { name: 'digest.growth', value: round(large.ms / small.ms), unit: 'x' },
  ];
  const table = results.map(
    (r) => `digest over ${r.n.toLocaleString('en')} items: ${round(r.ms)} ms (median of ${opts.runs})`,
  );
  return { figures, table, plan };
}

const round = (x: number) => Math.round(x * 100) / 100;
const WARMUP_RUNS = 5;
