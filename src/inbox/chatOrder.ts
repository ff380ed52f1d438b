import {
  chatOfEvent,
  eventSettled,
  pendingChatEventIds,
  releaseChatLease,
  renewChatLease,
  takeChatLease,
} from '../db/chatLeaseRepo.js';
import type { Deps } from '../deps.js';
import type { LarkEvent } from '../lark/envelope.js';
import { sleep } from '../sleep.js';

// A chat's messages take effect in the order Lark sent them, on both runtimes. Node processes one
// event at a time, but a Worker runs each delivery in its own invocation, concurrently, and
// "/撤销" (the last recorded report) or "/修改" mean something only in order. So a message event
// is processed under its chat's lease (a row in chat_leases), and whoever holds the lease drains
// every pending event of that chat oldest-first by Lark's create_time. An event whose chat is held
// waits for the holder, which processes it in turn. The guarantee covers events that are in the
// inbox together (Lark's deliveries arriving close together, a backlog after a crash); an event
// that arrives after a later one of its chat was already handled (a retry minutes later) is
// handled after it, and an event waiting for a retry backoff does not hold its chat up.

export interface ChatOrderOptions {
  /** How long a holder keeps a chat before another may take it (a crashed holder). */
  chatLeaseMs?: number;
  /** How long an event waits for its chat's holder before leaving it to the holder or the sweep. */
  chatWaitMs?: number;
  /** Pause between looks while waiting. */
  chatPollMs?: number;
  /**
   * Asked between events: true ends the drain (the chat's lease is released, the rest of its events
   * stay pending). A process shutting down stops after the event in hand, not after a chat's backlog.
   */
  stop?: () => boolean;
}

/** What processing one inbox event came to ('not_mine': done already, or held by someone else). */
export type ProcessResult = 'done' | 'not_mine' | 'retry' | 'failed';

const nextTurn: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((r) => setImmediate(r))
    : () => new Promise((r) => setTimeout(r, 0));

const defaults = { chatLeaseMs: 60_000, chatWaitMs: 25_000, chatPollMs: 100 };

/** The chat and Lark's create_time of a message event, for the inbox row; null for other events. */
export function messageOrder(ev: LarkEvent): { chatId: string; sentAt: number | null } | null {
  const e = ev.event as {
    message?: { chat_id?: unknown; create_time?: unknown };
    open_chat_id?: unknown;
    type?: unknown;
  };
  const chatId = e.message?.chat_id ?? (e.type === 'message' ? e.open_chat_id : undefined);
  if (typeof chatId !== 'string' || !chatId) return null;
  const t = Number(e.message?.create_time ?? ev.createTime);
  return { chatId, sentAt: Number.isFinite(t) && t > 0 ? t : null };
}

/**
 * Processes an inbox event in its chat's order (see above); events of no chat go straight to
 * `process`. Returns `process`'s result for this event, or 'not_mine' when another processor
 * handled it (or will: it holds the chat).
 */
export async function processInChatOrder(
  deps: Deps,
  eventId: string,
  process: (eventId: string) => Promise<ProcessResult>,
  opts: ChatOrderOptions = {},
): Promise<ProcessResult> {
  const o = { ...defaults, ...opts };
  const chatId = await chatOfEvent(deps.db, eventId);
  if (!chatId) return process(eventId);
  const holder = `${eventId}/${crypto.randomUUID()}`;
  const waitUntil = deps.clock.now().getTime() + o.chatWaitMs;
  while (!(await takeChatLease(deps.db, chatId, holder, deps.clock.now().getTime(), o.chatLeaseMs))) {
    if (await eventSettled(deps.db, eventId)) return 'not_mine';
    if (deps.clock.now().getTime() >= waitUntil) {
      deps.log.info('chat_busy', {
        eventId,
        message: 'another processor holds the chat; it or the sweep handles this event',
      });
      return 'not_mine';
    }
    await sleep(o.chatPollMs);
  }
  let mine: ProcessResult = 'not_mine';
  let renewAt = deps.clock.now().getTime() + o.chatLeaseMs / 2;
  try {
    for (;;) {
      const ids = await pendingChatEventIds(deps.db, chatId, deps.clock.now().getTime(), 20);
      let progressed = false;
      for (const id of ids) {
        if (o.stop?.()) return mine;
        const r = await process(id);
        if (id === eventId) mine = r;
        if (r !== 'not_mine') progressed = true;
        // Renewed when half the lease is gone, not after every event (a statement per event saved).
        const now = deps.clock.now().getTime();
        if (now >= renewAt) {
          if (!(await renewChatLease(deps.db, chatId, holder, now, o.chatLeaseMs))) return mine;
          renewAt = now + o.chatLeaseMs / 2;
        }
        // A long drain lets the event loop turn between events: messages from the request thread,
        // timers, and the driver's statement finalizers wait otherwise.
        await nextTurn();
      }
      if (!progressed) break;
    }
  } finally {
    await releaseChatLease(deps.db, chatId, holder);
  }
  return mine;
}
