import type { Deps } from '../deps.js';
import type { OutgoingMessage } from '../lark/LarkApi.js';
import { outbox } from '../db/schema.js';

function targetOf(m: OutgoingMessage): { target: string; receiveIdType: string | null } {
  return m.kind === 'send'
    ? { target: m.receiveId, receiveIdType: m.receiveIdType }
    : { target: m.messageId, receiveIdType: null };
}

/**
 * Everything the bot sends goes through here: written to the outbox first, keyed by `uuid` (Lark's
 * idempotency key, ≤ 50 chars). Give a uuid derived from what causes the message (the message
 * replied to, the job and period) and enqueueing twice records it once. In local mode the row is
 * kept with status 'local' and logged instead of sent. Returns false when the uuid was already there.
 */
export async function enqueue(deps: Deps, message: OutgoingMessage, uuid: string): Promise<boolean> {
  if (uuid.length > 50) throw new Error(`outbox uuid longer than 50 characters: ${uuid}`);
  const { target, receiveIdType } = targetOf(message);
  const local = deps.lark === null;
  const now = deps.clock.now().getTime();
  const rows = await deps.db
    .insert(outbox)
    .values({
      uuid,
      kind: message.kind,
      receiveIdType,
      target,
      msgType: message.msgType,
      content: message.content,
      status: local ? 'local' : 'pending',
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: outbox.uuid })
    .returning({ id: outbox.id });
  if (rows.length === 0) return false;
  if (local)
    deps.log.info('outbox_local', {
      uuid,
      kind: message.kind,
      target,
      msgType: message.msgType,
      content: message.content.slice(0, 2000),
    });
  return true;
}
