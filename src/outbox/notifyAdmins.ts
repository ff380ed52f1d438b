import type { Deps } from '../deps.js';
import type { OutboxRow } from '../db/outboxRepo.js';
import { sha256Hex } from '../lark/verify.js';
import { enqueue } from './enqueue.js';
import { errorMessage } from '../errors.js';

// A message that will never arrive is worth a person's attention. Each admin is told once per
// failed row: the notice's uuid is derived from the row's uuid and the admin, so the outbox's
// unique key (and Lark's idempotency) keep it to one however often this runs.

export const ADMIN_NOTICE_PREFIX = 'admfail-';

export async function notifyAdminsOfFailure(deps: Deps, row: OutboxRow, reason: string): Promise<void> {
  // A notice that itself fails is not reported again (no loops).
  if (row.uuid.startsWith(ADMIN_NOTICE_PREFIX)) return;
  const where =
    row.kind === 'send' ? `${row.receiveIdType ?? 'open_id'} ${row.target}` : `${row.kind} to message ${row.target}`;
  const text = `⚠️ 一条消息无法送达，已停止重试。\n对象：${where}\n原因：${reason}\n编号：${row.uuid}`;
  for (const admin of deps.config.ADMIN_OPEN_IDS) {
    const uuid = ADMIN_NOTICE_PREFIX + (await sha256Hex(`${row.uuid}|${admin}`)).slice(0, 40);
    try {
      await enqueue(
        deps,
        {
          kind: 'send',
          receiveIdType: 'open_id',
          receiveId: admin,
          msgType: 'text',
          content: JSON.stringify({ text }),
        },
        uuid,
      );
    } catch (err) {
      deps.log.error('admin_notice_failed', { uuid: row.uuid, error: errorMessage(err) });
    }
  }
}
