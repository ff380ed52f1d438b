import { createWriteStream } from 'node:fs';
import { parseCommandText } from '../bot/commandTable.js';
import { dayIn } from '../bot/people.js';
import type { StoredParse } from '../bot/reportFlow.js';
import { corpusCases, type CorpusCase } from '../db/corpusRepo.js';
import { zonedInstant } from '../workdays/zoned.js';
import type { Command } from './Command.js';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';

const USAGE = 'usage: npm run cli -- corpus export [--since YYYY-MM-DD] [--out FILE]\n';

/**
 * `corpus export`: the messages contacts really sent, each with the figures finally recorded for it
 * (after choices, corrections and 撤销), as JSON lines in the format of the dev corpus
 * (../shared/eval/dev-reports.jsonl), so real use grows the regression set. `outcome` tells what
 * became of the message (recorded, undone, cancelled, not_understood): undone, cancelled and not
 * understood messages have no figures and are worth a human look before they join a corpus.
 */
export const corpusCommand: Command = async (args) => {
  const { positional, flags } = parseArgs(args);
  if (positional[0] !== 'export') {
    process.stderr.write(USAGE);
    return 2;
  }
  const since = typeof flags.since === 'string' ? flags.since : undefined;
  if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since)) {
    process.stderr.write(`--since 要写日期 YYYY-MM-DD，收到「${since}」\n${USAGE}`);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    const tz = deps.config.BOT_TIMEZONE;
    // --since is a calendar day in the bot's time zone: from its midnight there.
    const sinceMs = since ? zonedInstant(since, 0, tz).getTime() : 0;
    const cases = await corpusCases(deps.db, sinceMs);
    const out = typeof flags.out === 'string' ? createWriteStream(flags.out) : process.stdout;
    let n = 0;
    for (const c of cases) {
      const line = corpusLine(c, tz);
      if (!line) continue;
      n++;
      out.write(`${JSON.stringify(line)}\n`);
    }
    if (out !== process.stdout)
      await new Promise<void>((res) => (out as ReturnType<typeof createWriteStream>).end(res));
    process.stderr.write(`corpus export: ${n} 条${since ? `（自 ${since}）` : ''}\n`);
    return 0;
  } finally {
    await close();
  }
};

/** One corpus line for a message, or null for a command (an undone /修改 among them: not a report). */
export function corpusLine(c: CorpusCase, timeZone: string): { text: string; [k: string]: unknown } | null {
  if (parseCommandText(c.report.text) !== null) return null;
  const stored = c.report.parse as StoredParse | null;
  return {
    id: `r${c.report.id}`,
    org: c.report.org ?? stored?.org ?? null,
    date: stored?.date ?? dayIn(c.report.receivedAt, timeZone),
    text: c.report.text,
    expect: c.items.map((it) =>
      it.value === null
        ? { metric: it.metricId, status: it.milestone }
        : { metric: it.metricId, value: it.value, mode: it.mode, scope: it.scope, asOf: it.asOf },
    ),
    outcome: c.report.status,
  };
}
