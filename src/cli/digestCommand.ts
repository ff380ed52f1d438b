import { getChat } from '../db/chatsRepo.js';
import { computeDigest } from '../digest/computeDigest.js';
import { renderDigestCard } from '../digest/renderDigestCard.js';
import { renderDigestText } from '../digest/renderDigestText.js';
import { loadSchedulerSettings } from '../settings/settings.js';
import { localDate } from '../workdays/zoned.js';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';

const USAGE =
  'usage: npm run -s cli -- digest [--date YYYY-MM-DD] [--format json|text|card] [--chat oc_x | --projects 1,2]\n';

/** Renders the weekly digest as of a date without sending anything. */
export async function digestCommand(args: string[]): Promise<number> {
  const { flags } = parseArgs(args);
  const format = typeof flags.format === 'string' ? flags.format : 'text';
  if (!['json', 'text', 'card'].includes(format)) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (flags.date !== undefined && (typeof flags.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(flags.date))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    const date = typeof flags.date === 'string' ? flags.date : localDate(deps.clock.now(), deps.config.BOT_TIMEZONE);
    let projects: number[] | undefined;
    if (typeof flags.chat === 'string') {
      const chat = await getChat(deps.db, flags.chat);
      if (!chat) {
        process.stderr.write(`no chat ${flags.chat} in the database\n`);
        return 1;
      }
      projects = chat.projects;
      if (projects.length === 0) {
        process.stderr.write(`chat ${flags.chat} has no subscribed projects\n`);
        return 1;
      }
    } else if (typeof flags.projects === 'string') {
      projects = flags.projects
        .split(',')
        .map(Number)
        .filter((n) => Number.isInteger(n));
    }
    const settings = await loadSchedulerSettings(deps.db, deps.log);
    const data = await computeDigest(deps, { date, projects, settings });
    const out =
      format === 'json'
        ? JSON.stringify(data, null, 2)
        : format === 'card'
          ? JSON.stringify(renderDigestCard(data), null, 2)
          : renderDigestText(data);
    process.stdout.write(`${out}\n`);
    return 0;
  } finally {
    await close();
  }
}
