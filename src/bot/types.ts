/** A chat message as the bot sees it, whatever transport (webhook, long connection, CLI console) brought it. */
export interface IncomingMessage {
  eventId: string;
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  senderOpenId: string;
  /** Display name when the transport knows it. */
  senderName?: string;
  /** Plain text: rich text flattened, the bot's own mention stripped, other @_user_N resolved to names. */
  text: string;
  /** Users mentioned in the message other than the bot (for `/绑定 @张三 市残联`). */
  mentions: Array<{ openId: string; name: string }>;
  /** Lark's message_type; anything but text/post gets a "please send text" reply. */
  messageType: string;
  /** Message time (ms). */
  createTime: number;
}

/** A button click on one of the bot's cards (card.action.trigger). */
export interface CardAction {
  eventId: string;
  operatorOpenId: string;
  /** The button's callback value, as the bot put it on the card. */
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  openMessageId?: string;
  openChatId?: string;
}

/** Lark wants an answer to a click within 3 s: a toast and/or the card replaced. */
export interface CardActionResponse {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: Record<string, unknown>;
}
