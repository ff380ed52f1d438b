import { listOutbox, requeueFailed } from '../db/outboxRepo.js';
import { openCliDeps, parseArgs } from '../runtime/cliDeps.js';

const usage =
  'usage: npm run cli -- outbox list [--failed] [--limit N] | outbox retry ID | outbox retry --all-failed\n';

/**
 * `outbox list [--failed]` shows what was sent, waits, or gave up; `outbox retry ID|--all-failed`
 * puts failed rows back to pending. The CLI never talks to Lark: the running bot sends them at its
 * next sweep (within 15 s), under their original uuid, so a message Lark did take is not doubled
 * within Lark's hour of idempotency.
 */
export async function outboxCommand(args: string[]): Promise<number> {
  const { positional, flags } = parseArgs(args);
  const [sub, idArg] = positional;
  const limit = typeof flags.limit === 'string' ? Number(flags.limit) : 50;
  const bad =
    sub === 'list'
      ? !(Number.isInteger(limit) && limit > 0)
      : sub === 'retry'
        ? !(flags['all-failed'] === true ? idArg === undefined : idArg !== undefined && /^\d+$/.test(idArg))
        : true;
  if (bad) {
    process.stderr.write(usage);
    return 2;
  }
  const { deps, close } = await openCliDeps();
  try {
    if (sub === 'list') {
      const rows = await listOutbox(deps.db, { failed: flags.failed === true, limit });
      if (rows.length === 0)
        process.stdout.write(flags.failed === true ? 'no failed messages\n' : 'the outbox is empty\n');
      for (const r of rows) {
        const to = r.kind === 'send' ? `${r.receiveIdType ?? 'open_id'} ${r.target}` : `${r.kind} ${r.target}`;
        const when = new Date(r.sentAt ?? r.createdAt).toISOString();
        process.stdout.write(
          `${String(r.id).padStart(6)}  ${r.status.padEnd(7)}  ${when}  attempts ${String(r.attempts).padEnd(3)} ${to}  ${r.uuid}${r.lastError ? `\n        ${r.lastError.slice(0, 300)}` : ''}\n`,
        );
      }
      return 0;
    }
    const ids = await requeueFailed(
      deps.db,
      deps.clock.now().getTime(),
      idArg === undefined ? undefined : Number(idArg),
    );
    if (idArg !== undefined && ids.length === 0) {
      process.stderr.write(`outbox row ${idArg} is not a failed message (see: npm run cli -- outbox list --failed)\n`);
      return 1;
    }
    process.stdout.write(
      `${ids.length} message(s) queued again${ids.length ? ` (${ids.join(', ')})` : ''}; the running bot sends them at its next pass\n`,
    );
    return 0;
  } finally {
    await close();
  }
}
