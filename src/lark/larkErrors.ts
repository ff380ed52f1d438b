import { LarkApiError, type OutgoingMessage } from './LarkApi.js';
import { errorMessage } from '../errors.js';

// Lark's error codes as the outbox needs them: retry, wait, or give up.

/** Retrying cannot help: bot not in group, user outside availability, no permission, scope missing, card invalid or too long. */
export const PERMANENT_CODES: ReadonlyMap<number, string> = new Map([
  [230002, 'bot_not_in_chat'],
  [230013, 'user_outside_availability'],
  [230027, 'no_permission'],
  [230035, 'no_permission'],
  [99991672, 'scope_not_granted'],
  [230099, 'card_invalid'],
  [230025, 'content_too_long'],
]);

/** Rate limited (besides HTTP 429). */
export const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([99991400, 230020]);

/** The tenant token is invalid or expired: refresh it and retry once. */
export const TOKEN_INVALID_CODES: ReadonlySet<number> = new Set([99991663, 99991668]);

/** x-ogw-ratelimit-reset is seconds until the window resets. */
function resetMs(header: string | null | undefined): number | undefined {
  if (header === null || header === undefined || header === '') return undefined;
  const n = Number(header);
  return Number.isFinite(n) && n >= 0 ? Math.ceil(n * 1000) : undefined;
}

/** A failed HTTP exchange → LarkApiError (codes first, then the HTTP status). */
export function larkError(
  what: string,
  httpStatus: number | undefined,
  code: number | undefined,
  msg: string | undefined,
  resetHeader?: string | null,
): LarkApiError {
  const label = code !== undefined ? PERMANENT_CODES.get(code) : undefined;
  const text =
    `${what}: ${label ?? (code !== undefined && RATE_LIMIT_CODES.has(code) ? 'rate_limited' : 'failed')}` +
    `${code !== undefined ? ` code ${code}` : ''}${httpStatus !== undefined ? ` http ${httpStatus}` : ''}${msg ? ` (${msg.slice(0, 200)})` : ''}`;
  const limited = httpStatus === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code));
  return new LarkApiError(
    text,
    code,
    httpStatus,
    label !== undefined && !limited,
    resetMs(resetHeader) ?? (limited ? 1000 : undefined),
  );
}

export function networkError(what: string, err: unknown): LarkApiError {
  return new LarkApiError(`${what}: network ${errorMessage(err)}`, undefined, undefined, false);
}

/** Which rate-limit bucket a message counts against. */
export function rateKey(m: OutgoingMessage): string {
  if (m.kind === 'send') return `${m.receiveIdType}:${m.receiveId}`;
  // A reply lands in the chat of the message it answers: Lark's 5/s per group counts it there.
  if (m.kind === 'reply' && m.chatId) return `chat_id:${m.chatId}`;
  return `message:${m.messageId}`;
}

/** The request each message kind becomes. */
export function requestFor(
  m: OutgoingMessage,
  uuid: string,
): { method: 'POST' | 'PATCH'; path: string; query?: Record<string, string>; body: Record<string, unknown> } {
  switch (m.kind) {
    case 'send':
      return {
        method: 'POST',
        path: '/open-apis/im/v1/messages',
        query: { receive_id_type: m.receiveIdType },
        body: { receive_id: m.receiveId, msg_type: m.msgType, content: m.content, uuid },
      };
    case 'reply':
      return {
        method: 'POST',
        path: `/open-apis/im/v1/messages/${encodeURIComponent(m.messageId)}/reply`,
        body: { msg_type: m.msgType, content: m.content, uuid },
      };
    case 'update':
      // PATCH takes no uuid; updating to the same content twice is harmless.
      return {
        method: 'PATCH',
        path: `/open-apis/im/v1/messages/${encodeURIComponent(m.messageId)}`,
        body: { content: m.content },
      };
  }
}
