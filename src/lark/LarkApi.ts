/** What the bot sends. One shape for every feature; the outbox stores it and a LarkApi delivers it. */
export type OutgoingMessage =
  | {
      kind: 'send';
      receiveIdType: 'open_id' | 'chat_id' | 'user_id' | 'union_id' | 'email';
      receiveId: string;
      msgType: 'text' | 'post' | 'interactive' | 'file';
      content: string;
    }
  | {
      kind: 'reply';
      messageId: string;
      msgType: 'text' | 'post' | 'interactive' | 'file';
      content: string /** The chat replied in, for its rate limit (filled in at delivery). */;
      chatId?: string;
    }
  | { kind: 'update'; messageId: string; msgType: 'interactive'; content: string };

export interface UploadFile {
  name: string;
  /** Lark's file_type: xls for a workbook, stream for anything else (csv). */
  type: 'xls' | 'doc' | 'pdf' | 'ppt' | 'stream';
  bytes: Uint8Array;
}

/** Lark's Open API as the bot uses it. The uuid is Lark's idempotency key for send and reply. */
export interface LarkApi {
  deliver(message: OutgoingMessage, uuid: string, opts?: DeliverOptions): Promise<{ messageId?: string }>;
  /** The bot's own open_id, to tell its mention from others in group messages (optional; cached by implementations). */
  botOpenId?(): Promise<string | undefined>;
  /** Uploads a file (im/v1/files) for a file message; returns its file_key (optional: the workbook export uses it). */
  uploadFile?(file: UploadFile): Promise<string>;
}

/** A failed call, classified so the outbox knows whether to retry. */
export class LarkApiError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly httpStatus: number | undefined,
    /** Retrying will not help (bot not in group, user outside availability, no permission, bad card). */
    readonly permanent: boolean,
    /** From x-ogw-ratelimit-reset, when Lark said when to come back. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LarkApiError';
  }
}

export interface DeliverOptions {
  /** Fail the call (retryably) when Lark has not answered this long after the rate limiter let it go. */
  deadlineMs?: number;
}
