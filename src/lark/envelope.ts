import { z } from 'zod';

// What arrives at the request URL once decrypted, read liberally (unknown fields kept, both
// schema 2.0 and 1.0 envelopes, legacy card callbacks) and reduced to one shape the inbox stores.

/** An event as the inbox stores it (processed_events.payload is this, as JSON). */
export interface LarkEvent {
  schema: '2.0' | '1.0' | 'card';
  eventId: string;
  eventType: string;
  /** The verification token the envelope carried (checked by the receiver, not stored for use). */
  token?: string;
  /** Milliseconds. */
  createTime?: number;
  event: Record<string, unknown>;
}

export type Envelope =
  | { kind: 'challenge'; challenge: string; token?: string }
  | { kind: 'event'; event: LarkEvent }
  | { kind: 'invalid'; reason: string };

const obj = z.record(z.string(), z.unknown());
const str = z.string().min(1);

const v2 = z
  .object({
    schema: z.literal('2.0'),
    header: z
      .object({
        event_id: str,
        event_type: str,
        token: z.string().optional(),
        create_time: z.union([z.string(), z.number()]).optional(),
      })
      .passthrough(),
    event: obj.default({}),
  })
  .passthrough();

const v1 = z
  .object({
    uuid: str,
    token: z.string().optional(),
    ts: z.union([z.string(), z.number()]).optional(),
    type: z.literal('event_callback'),
    event: obj.and(z.object({ type: str })),
  })
  .passthrough();

const challenge = z
  .object({ type: z.literal('url_verification'), challenge: z.string(), token: z.string().optional() })
  .passthrough();

// The old message-card request URL posts the click itself, with no envelope and no event id.
const legacyCard = z
  .object({ action: obj, open_message_id: z.string().optional(), open_id: z.string().optional() })
  .passthrough();

function ms(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) return undefined;
  // 1.0's ts is seconds with a fraction ("1608725989.000"); 2.0's create_time is ms.
  return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
}

/**
 * Reads a decrypted request body. `legacyId` names a legacy card callback (which carries no id):
 * the receiver passes a hash of the raw body.
 */
export function readEnvelope(body: unknown, legacyId?: string): Envelope {
  // Each shape is tried only when its marker is there: a failed zod parse builds its issues, which
  // cost more than the successful one, and almost every request is a 2.0 event.
  const marked = (body ?? {}) as { type?: unknown; schema?: unknown };
  if (marked.type === 'url_verification') {
    const c = challenge.safeParse(body);
    if (c.success) return { kind: 'challenge', challenge: c.data.challenge, token: c.data.token };
  }
  const a = marked.schema === '2.0' ? v2.safeParse(body) : undefined;
  if (a?.success) {
    const h = a.data.header;
    return {
      kind: 'event',
      event: {
        schema: '2.0',
        eventId: h.event_id,
        eventType: h.event_type,
        token: h.token,
        createTime: ms(h.create_time),
        event: a.data.event,
      },
    };
  }
  const b = marked.type === 'event_callback' ? v1.safeParse(body) : undefined;
  if (b?.success) {
    return {
      kind: 'event',
      event: {
        schema: '1.0',
        eventId: b.data.uuid,
        eventType: b.data.event.type,
        token: b.data.token,
        createTime: ms(b.data.ts),
        event: b.data.event,
      },
    };
  }
  const l = legacyCard.safeParse(body);
  if (l.success && legacyId) {
    return { kind: 'event', event: { schema: 'card', eventId: legacyId, eventType: CARD_ACTION, event: l.data } };
  }
  return { kind: 'invalid', reason: 'invalid_envelope' };
}

/**
 * A card click (card.action.trigger, or the legacy callback read as one): Lark shows the answer to
 * the user, so the receiver answers it synchronously instead of only storing it.
 */
export const CARD_ACTION = 'card.action.trigger';

export function isCardAction(ev: LarkEvent): boolean {
  return ev.eventType === CARD_ACTION;
}

/** Where a verified event goes (the inbox, composed in eventPath.ts): lark/ stores nothing itself. */
export interface EventSink {
  /** Stores an event for processing; false for a duplicate. */
  accept(ev: LarkEvent): Promise<boolean>;
  /** Stores a card click and answers it (the body Lark gets back). */
  answerCard(ev: LarkEvent): Promise<Record<string, unknown>>;
}

/**
 * The event as the inbox keeps it: without the verification token (checked already, and a
 * credential) nor a card callback's update token, so processed_events never holds either.
 */
export function withoutTokens(ev: LarkEvent): LarkEvent {
  const { token: _verification, ...rest } = ev;
  if (!('token' in ev.event)) return rest;
  const { token: _card, ...event } = ev.event;
  return { ...rest, event };
}
