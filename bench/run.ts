// `npm run bench [-- --json] [-- --quick] [-- --only=parser,digest,…]`: the numbers minsheng holds
// itself to, measured side by side on this machine. Medians over several runs, and ratios taken in
// the same run (the machine is shared and noisy). With --json, stdout is one JSON object per figure
// {"name","value","unit"} and nothing else; the readable table goes to stderr.
import { cpus, totalmem } from 'node:os';
import { digestBench } from './digestBench.js';
import { fanoutBench } from './fanoutBench.js';
import type { Figure } from './figure.js';
import { ingestBench } from './ingestBench.js';
import { runParserBench } from './parser.js';
import { workerBench } from './workerBench.js';

export type BenchSize = 'tiny' | 'full';

type Bench = (size: BenchSize) => Promise<{ figures: Figure[]; table: string[] }>;

const sized: Record<string, Bench> = {
  parser: async (size) => {
    const r = runParserBench({ size });
    return {
      figures: r.figures,
      table: [
        `parser: ${r.figures[0]!.value.toLocaleString('en')} msg/s on one core, ${r.figures[1]!.value}× recognizers-text-number; a 10,000-character message ${r.longMessageMs} ms`,
      ],
    };
  },
  digest: async (size) => {
    const r = await digestBench(
      size === 'tiny' ? { sizes: [500, 2000], runs: 1 } : { sizes: [10_000, 1_000_000], runs: 5 },
    );
    return {
      figures: r.figures,
      table: [
        ...r.table,
        `digest query plan: ${r.plan
          .filter((l) => /report_items|\br\b|\bc\b/.test(l))
          .map((l) => l.replace(/ \(.*\)$/, ''))
          .join('; ')}`,
      ],
    };
  },
  fanout: (size) => fanoutBench({ users: size === 'tiny' ? 20 : 2000 }),
  ingest: (size) =>
    ingestBench(size === 'tiny' ? { duration: 2, memoryEvents: 1500 } : { duration: 10, memoryEvents: 100_000 }),
  worker: (size) => workerBench({ runs: size === 'tiny' ? 1 : 5 }),
};

/**
 * Every benchmark, in order, at a size: 'full' for `npm run bench`, 'tiny' for `--quick` and the
 * smoke test. Tiny figures are named `NAME.quick`: they are not the figures of the contract and
 * must not be read as them.
 */
export const benchmarks: Record<string, Bench> = Object.fromEntries(
  Object.entries(sized).map(([name, run]) => [
    name,
    async (size: BenchSize) => {
      const r = await run(size);
      return size === 'tiny' ? { ...r, figures: r.figures.map((f) => ({ ...f, name: `${f.name}.quick` })) } : r;
    },
  ]),
);

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const size: BenchSize = argv.includes('--quick') ? 'tiny' : 'full';
  const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const only = onlyArg ? onlyArg.split(',') : Object.keys(benchmarks);
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  say(
    `minsheng benchmarks (${size}) on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  const all: Figure[] = [];
  const t0 = performance.now();
  for (const name of only) {
    const run = benchmarks[name];
    if (!run) throw new Error(`no benchmark named ${name} (have: ${Object.keys(benchmarks).join(', ')})`);
    const started = performance.now();
    const r = await run(size);
    all.push(...r.figures);
    for (const line of r.table) say(`  ${line}`);
    say(`  (${name}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  say('');
  say(`${'figure'.padEnd(26)} ${'value'.padStart(12)}  unit`);
  for (const f of all) say(`${f.name.padEnd(26)} ${String(f.value).padStart(12)}  ${f.unit}`);
  say(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (json) for (const f of all) process.stdout.write(`${JSON.stringify(f)}\n`);
}

const entry = process.argv[1] ?? '';
if (entry.endsWith('bench/run.ts')) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
