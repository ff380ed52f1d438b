import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';
import { BoardUnavailable, mintBoardLink } from './boardLink.js';

const USAGE =
  'usage: npm run -s cli -- board link [--days N] [--name LABEL]\n' +
  '  a board link for a wall screen (default 365 days); LABEL names it in the access log\n';

/** `board link`: an admin mints a long-lived board link (printed, sent nowhere). */
export async function boardLinkCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args);
  if (positional[0] !== 'link') {
    process.stderr.write(USAGE);
    return 2;
  }
  const days = flags.days === undefined ? 365 : Number(flags.days);
  if (!Number.isFinite(days) || days <= 0 || days > 3650) {
    process.stderr.write(`--days: a number of days from 1 to 3650\n${USAGE}`);
    return 2;
  }
  const name = flags.name === undefined ? 'screen' : String(flags.name);
  if (!/^[\w.-]{1,40}$/.test(name)) {
    process.stderr.write(`--name: letters, digits, . _ - (up to 40)\n${USAGE}`);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    const link = await mintBoardLink(deps.config, `wall:${name}`, { days, nowMs: deps.clock.now().getTime() });
    process.stdout.write(`${link.url}\n`);
    process.stderr.write(
      `valid until ${link.expiresAt.toISOString()} (${days} days); anyone with this link can read the board\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof BoardUnavailable) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await close();
  }
}
