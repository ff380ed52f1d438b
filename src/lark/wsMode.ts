import * as lark from '@larksuiteoapi/node-sdk';
import type { Deps } from '../deps.js';
import { isCardAction, readEnvelope, type EventSink } from './envelope.js';
import { errorMessage } from '../errors.js';

// Long-connection mode (LARK_EVENT_MODE=ws, Node only): the SDK's WSClient holds a WebSocket to
// Lark, so the bot needs no public URL. WSClient hands each event (already JSON-parsed, header
// intact) to `eventDispatcher.invoke`; this dispatcher sends it down the webhook's path instead of
// the SDK's handler map, which flattens the envelope. What invoke returns goes back to Lark, so
// card clicks are answered the same way.

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

/**
 * An envelope from a channel that is authenticated already (the long connection: no signature, no
 * encryption): to the same sink as the webhook's. Returns what Lark should get back.
 */
export async function receiveTrusted(deps: Deps, body: unknown, sink: EventSink): Promise<Record<string, unknown>> {
  const env = readEnvelope(body);
  if (env.kind !== 'event') {
    deps.log.warn('lark_ws_refused', { reason: env.kind === 'invalid' ? env.reason : 'unexpected_challenge' });
    return {};
  }
  if (isCardAction(env.event)) return sink.answerCard(env.event);
  await sink.accept(env.event);
  return {};
}

export class InboxEventDispatcher extends lark.EventDispatcher {
  constructor(
    private readonly deps: Deps,
    private readonly sink: EventSink,
  ) {
    super({ logger: quiet, loggerLevel: lark.LoggerLevel.fatal });
  }

  override async invoke(data: unknown): Promise<Record<string, unknown>> {
    return receiveTrusted(this.deps, data, this.sink);
  }
}

export type MakeWsClient = (params: ConstructorParameters<typeof lark.WSClient>[0]) => lark.WSClient;

export interface WsMode {
  client: lark.WSClient;
  dispatcher: InboxEventDispatcher;
  close(): void;
}

/** Starts the long connection. `makeClient` is for tests (no Lark to reach here). */
export function startWsMode(deps: Deps, sink: EventSink, opts: { makeClient?: MakeWsClient } = {}): WsMode {
  const { LARK_APP_ID: appId, LARK_APP_SECRET: appSecret, LARK_BASE_URL: domain } = deps.config;
  if (!appId || !appSecret) throw new Error('LARK_EVENT_MODE=ws needs LARK_APP_ID and LARK_APP_SECRET');
  if (!/^cli_[0-9a-fA-F]{16}$/.test(appId)) {
    // WSClient.start() refuses such an id silently; say it out loud.
    deps.log.warn('lark_ws_app_id_unusual', {
      message: 'LARK_APP_ID does not look like cli_ + 16 hex digits; the SDK will not connect',
    });
  }
  const params = {
    appId,
    appSecret,
    domain,
    logger: {
      error: (...m: unknown[]) => deps.log.error('lark_ws', { message: m.map(String).join(' ').slice(0, 500) }),
      warn: (...m: unknown[]) => deps.log.warn('lark_ws', { message: m.map(String).join(' ').slice(0, 500) }),
      info: (...m: unknown[]) => deps.log.info('lark_ws', { message: m.map(String).join(' ').slice(0, 300) }),
      debug: () => {},
      trace: () => {},
    },
    loggerLevel: lark.LoggerLevel.info,
  };
  const client = opts.makeClient ? opts.makeClient(params) : new lark.WSClient(params);
  const dispatcher = new InboxEventDispatcher(deps, sink);
  void Promise.resolve(client.start({ eventDispatcher: dispatcher })).catch((err: unknown) =>
    deps.log.error('lark_ws_start_failed', { error: errorMessage(err) }),
  );
  return { client, dispatcher, close: () => client.close({ force: true }) };
}
