import { recentRuns } from '../db/jobRunsRepo.js';
import { openCliDeps } from '../runtime/cliDeps.js';

/**
 * `jobs`: the scheduler's recent runs. There is deliberately no "run now": the CLI has no Lark
 * client, so what it enqueued would stay 'local' while its period counted as done.
 */
export async function jobsCommand(): Promise<number> {
  const { deps, close } = await openCliDeps();
  try {
    for (const r of await recentRuns(deps.db, 40)) {
      process.stdout.write(
        `${new Date(r.startedAt).toISOString()} ${r.job.padEnd(16)} ${r.periodKey.padEnd(18)} ${r.status.padEnd(8)} ${r.detail ?? ''}\n`,
      );
    }
    return 0;
  } finally {
    await close();
  }
}
