import { setSubscription, subscribedChats, subscriptionUpsert } from '../db/chatsRepo.js';
import { sqlScript } from '../db/sqlScript.js';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';

const USAGE = `usage: npm run cli -- chats subscribe <chat_id> [project numbers…]   (none: every project)
       npm run cli -- chats subscribe <chat_id> [project numbers…] --sql >> bootstrap.sql
           (writes nothing; prints the SQL for a Worker's D1, for wrangler d1 execute --file)
       npm run cli -- chats unsubscribe <chat_id>
       npm run cli -- chats list
`;

export async function chatsCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args);
  const [sub, chatId, ...nums] = positional;
  if (!sub || !['subscribe', 'unsubscribe', 'list'].includes(sub) || (sub !== 'list' && !chatId)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    const now = deps.clock.now().getTime();
    if (sub === 'list') {
      for (const c of await subscribedChats(deps.db))
        process.stdout.write(`${c.chatId}  ${c.name ?? ''}  projects ${c.projects.join(',')}\n`);
      return 0;
    }
    const list = nums
      .flatMap((n) => n.split(','))
      .filter(Boolean)
      .map(Number);
    const bad = list.filter((n) => !Number.isInteger(n) || !deps.catalog.project(n));
    if (bad.length) {
      process.stderr.write(`no such project(s): ${bad.join(', ')} (1-${deps.catalog.projects.length})\n`);
      return 1;
    }
    const projects = sub === 'unsubscribe' ? [] : list.length ? list : deps.catalog.projects.map((p) => p.no);
    if (flags.sql) {
      process.stdout.write(
        `-- minsheng: ${chatId} subscribed to projects ${projects.join(', ') || 'none'}\n${sqlScript([subscriptionUpsert(deps.db, chatId!, projects, now)])}`,
      );
      return 0;
    }
    const chat = await setSubscription(deps.db, chatId!, projects, now);
    process.stdout.write(
      chat.projects.length
        ? `${chatId} subscribed to projects ${chat.projects.join(', ')}\n`
        : `${chatId} unsubscribed\n`,
    );
    return 0;
  } finally {
    await close();
  }
}
