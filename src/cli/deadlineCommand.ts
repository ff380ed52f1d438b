import { changeDeadline, DeadlineError } from '../duties/deadlines.js';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';

const USAGE = 'usage: npm run cli -- deadline list | deadline set METRIC YYYY-MM-DD\n';

/** `deadline list` and `deadline set METRIC DATE`: an administrator moves a metric's deadline. */
export async function deadlineCommand(args: string[]): Promise<number> {
  const { positional } = parseArgs(args);
  const [sub, id, date] = positional;
  if (!(sub === 'list' || (sub === 'set' && id && date))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    if (sub === 'list') {
      for (const m of deps.catalog.metrics) {
        process.stdout.write(
          `${m.id.padEnd(5)} ${m.deadline}${m.deadline !== deps.catalog.deadline ? '  (moved)' : ''}  ${m.name}\n`,
        );
      }
      return 0;
    }
    try {
      const c = await changeDeadline(deps, id!, date!, 'cli');
      process.stdout.write(`${c.metric.id} ${c.metric.name}: deadline ${c.from} → ${c.to}\n`);
      return 0;
    } catch (err) {
      if (err instanceof DeadlineError) {
        process.stderr.write(`${err.message}\n`);
        return 1;
      }
      throw err;
    }
  } finally {
    await close();
  }
}
