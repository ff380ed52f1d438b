import { describe, expect, it } from 'vitest';
import { benchmarks } from '../../bench/run.js';

// Every benchmark at a tiny size, so they keep working between real runs (`npm run bench`). The
// figures' values are machine-dependent; what is asserted is that each produces its contract names
// with sane values.
const expected: Record<string, string[]> = {
  parser: ['parser.msgs_per_s', 'parser.vs_recognizers'],
  digest: ['digest.10k_ms', 'digest.1m_ms', 'digest.growth'],
  fanout: ['fanout.share_of_limit', 'fanout.duplicates'],
  ingest: [
    'ingest.rps',
    'ingest.vs_ceiling',
    'ingest.vs_sdk',
    'ingest.p99_ms',
    'ingest.max_ms',
    'ack.p99_ms_at_200',
    'ack.max_ms_at_200',
    'memory.rss_idle_mb',
    'memory.rss_100k_mb',
  ],
  worker: ['worker.bundle_gzip_kb', 'worker.cold_ms'],
};

describe('benchmarks at a tiny size', () => {
  it('covers every figure of the contract', () => {
    expect(Object.values(expected).flat().sort()).toEqual([
      'ack.max_ms_at_200',
      'ack.p99_ms_at_200',
      'digest.10k_ms',
      'digest.1m_ms',
      'digest.growth',
      'fanout.duplicates',
      'fanout.share_of_limit',
      'ingest.max_ms',
      'ingest.p99_ms',
      'ingest.rps',
      'ingest.vs_ceiling',
      'ingest.vs_sdk',
      'memory.rss_100k_mb',
      'memory.rss_idle_mb',
      'parser.msgs_per_s',
      'parser.vs_recognizers',
      'worker.bundle_gzip_kb',
      'worker.cold_ms',
    ]);
    expect(Object.keys(benchmarks).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))(
    '%s runs and reports its figures',
    async (name) => {
      const r = await benchmarks[name]!('tiny');
      // At this size the figures say so in their names (`--quick`), never posing as the full run's.
      expect(r.figures.map((f) => f.name)).toEqual(expected[name]!.map((n) => `${n}.quick`));
      for (const f of r.figures) {
        expect(Number.isFinite(f.value)).toBe(true);
        expect(f.value).toBeGreaterThanOrEqual(0);
      }
      if (name === 'fanout') expect(r.figures.find((f) => f.name === 'fanout.duplicates.quick')!.value).toBe(0);
      expect(r.table.length).toBeGreaterThan(0);
    },
    240_000,
  );
});
