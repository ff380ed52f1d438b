import { seedDemo } from '../jobs/demo/demoData.js';
import { localDate } from '../workdays/zoned.js';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';

/** `demo [--until YYYY-MM-DD]`: a realistic year of reports in the configured database. */
export async function demoCommand(args: string[]): Promise<number> {
  const { flags } = parseArgs(args);
  if (flags.until !== undefined && (typeof flags.until !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(flags.until))) {
    process.stderr.write('usage: npm run cli -- demo [--until YYYY-MM-DD]\n');
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    const today = localDate(deps.clock.now(), deps.config.BOT_TIMEZONE);
    // ISO dates compare as text: the earlier of today and the catalog's deadline.
    const earlier = [today, deps.catalog.deadline].sort()[0]!;
    const until = typeof flags.until === 'string' ? flags.until : earlier;
    const r = await seedDemo(deps, { until });
    if (r.skipped) {
      process.stdout.write('demo data is already in this database (nothing added)\n');
      return 0;
    }
    process.stdout.write(
      `demo data until ${until}: ${r.reports} reports, ${r.items} items, ${r.contacts} contacts, ${r.chats} subscribed chats\n` +
        `try: npm run -s cli -- digest --date ${until > '2024-10-28' ? '2024-10-28' : until} --format text --chat oc_demo_urban\n`,
    );
    return 0;
  } finally {
    await close();
  }
}
