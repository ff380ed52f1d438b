import { asc, eq, gt } from 'drizzle-orm';
import type { IncomingMessage, CardAction, CardActionResponse } from '../../src/bot/types.js';
import { handleMessage } from '../../src/bot/handleMessage.js';
import { handleCardAction } from '../../src/bot/handleCardAction.js';
import { messageToText } from '../../src/cards/cardText.js';
import { manualClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import type { Deps } from '../../src/deps.js';
import { bindContact } from '../../src/db/contactsRepo.js';
import { outbox, reportItems, reports } from '../../src/db/schema.js';
import { memoryLogger } from '../../src/logger.js';
import { assertValidCard } from '../helpers/cardSchema.js';
import { testDb } from '../helpers/testDb.js';

export const ADMIN = 'ou_admin0000000000000000000000001';

export interface OutRow {
  id: number;
  uuid: string;
  kind: string;
  target: string;
  msgType: string;
  content: string;
  text: string;
  card?: Record<string, unknown>;
}

/** Handlers on a real migrated database, with a clock set by hand and a defer that is awaited. */
export async function harness(now = '2024-10-28T10:00:00+08:00') {
  const t = await testDb();
  const clock = manualClock(now);
  const pending: Promise<void>[] = [];
  const deps: Deps = {
    config: parseConfig({ ADMIN_OPEN_IDS: ADMIN, DATABASE_URL: t.url }),
    db: t.db,
    catalog: t.catalog,
    clock,
    log: memoryLogger(),
    lark: null,
    defer: (_label, work) => {
      pending.push(work());
    },
  };
  let seq = 0;
  let seen = 0;

  async function newRows(): Promise<OutRow[]> {
    const rows = await deps.db.select().from(outbox).where(gt(outbox.id, seen)).orderBy(asc(outbox.id));
    if (rows.length) seen = rows.at(-1)!.id;
    return rows.map((r) => {
      const out: OutRow = {
        id: r.id,
        uuid: r.uuid,
        kind: r.kind,
        target: r.target,
        msgType: r.msgType,
        content: r.content,
        text: messageToText(r.msgType, r.content),
      };
      if (r.msgType === 'interactive') {
        out.card = JSON.parse(r.content) as Record<string, unknown>;
        assertValidCard(out.card);
      }
      return out;
    });
  }

  function message(from: string, text: string, opts: Partial<IncomingMessage> = {}): IncomingMessage {
    seq++;
    return {
      eventId: `ev_${seq}`,
      messageId: `om_test_${seq}`,
      chatId: opts.chatType === 'group' ? 'oc_group1' : `oc_p2p_${from}`,
      chatType: 'p2p',
      senderOpenId: from,
      text,
      mentions: [],
      messageType: 'text',
      createTime: clock.now().getTime(),
      ...opts,
    };
  }

  /** Sends a message and returns what the bot enqueued because of it. */
  async function send(from: string, text: string, opts: Partial<IncomingMessage> = {}): Promise<OutRow[]> {
    await handleMessage(deps, message(from, text, opts));
    await Promise.all(pending.splice(0));
    return newRows();
  }

  async function click(from: string, value: Record<string, unknown>): Promise<CardActionResponse & { out: OutRow[] }> {
    seq++;
    const r = await handleCardAction(deps, {
      eventId: `ev_click_${seq}`,
      operatorOpenId: from,
      value,
    } satisfies CardAction);
    if (r.card) assertValidCard(r.card);
    return { ...r, out: await newRows() };
  }

  async function contact(openId: string, org: string, name = openId.slice(-4)): Promise<void> {
    await bindContact(deps.db, { openId, org, name, now: clock.now().getTime() });
  }

  async function items(metricId?: string) {
    const rows = await deps.db.select().from(reportItems).orderBy(asc(reportItems.id));
    return metricId ? rows.filter((r) => r.metricId === metricId) : rows;
  }

  async function reportByMessage(messageId: string) {
    return (await deps.db.select().from(reports).where(eq(reports.messageId, messageId)))[0];
  }

  /** The callback values of a card's buttons, in order. */
  function buttons(card: Record<string, unknown> | undefined): Array<{ text: string; value: Record<string, unknown> }> {
    const out: Array<{ text: string; value: Record<string, unknown> }> = [];
    const walk = (els: unknown[]) => {
      for (const e of els as Array<Record<string, unknown>>) {
        if (e.tag === 'button')
          out.push({
            text: (e.text as { content: string }).content,
            value: (e.behaviors as Array<{ value: Record<string, unknown> }>)[0]!.value,
          });
        if (e.tag === 'column_set') for (const c of e.columns as Array<{ elements: unknown[] }>) walk(c.elements);
      }
    };
    walk((card?.body as { elements?: unknown[] } | undefined)?.elements ?? []);
    return out;
  }

  return {
    deps,
    clock,
    send,
    click,
    contact,
    items,
    reportByMessage,
    buttons,
    message,
    newRows,
    close: t.close,
    get lastSeq() {
      return seq;
    },
  };
}

export type Harness = Awaited<ReturnType<typeof harness>>;
