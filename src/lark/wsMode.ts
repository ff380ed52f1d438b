import * as lark from '@larksuiteoapi/node-sdk';
import type { Deps } from '../deps.js';
import { dispatchTrusted, type DispatchOptions } from './dispatch.js';

// Long-connection mode (LARK_EVENT_MODE=ws, Node only): the SDK's WSClient holds a WebSocket to
// Lark, so the bot needs no public URL. WSClient hands each event (already JSON-parsed, header
// intact) to `eventDispatcher.invoke`; this dispatcher sends it down the webhook's path instead of
// the SDK's handler map, which flattens the envelope. What invoke returns goes back to Lark, so
// card clicks are answered the same way.

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

export class InboxEventDispatcher extends lark.EventDispatcher {
  constructor(private readonly deps: Deps, private readonly opts: DispatchOptions = {}) {
    super({ logger: quiet, loggerLevel: lark.LoggerLevel.fatal });
  }

  override async invoke(data: unknown): Promise<Record<string, unknown>> {
    return dispatchTrusted(this.deps, data, this.opts);
  }
}

export type MakeWsClient = (params: ConstructorParameters<typeof lark.WSClient>[0]) => lark.WSClient;

export interface WsMode {
  client: lark.WSClient;
  dispatcher: InboxEventDispatcher;
  close(): void;
}

/** Starts the long connection. `makeClient` is for tests (no Lark to reach here). */
export function startWsMode(deps: Deps, opts: DispatchOptions & { makeClient?: MakeWsClient } = {}): WsMode {
  const { LARK_APP_ID: appId, LARK_APP_SECRET: appSecret, LARK_BASE_URL: domain } = deps.config;
  if (!appId || !appSecret) throw new Error('LARK_EVENT_MODE=ws needs LARK_APP_ID and LARK_APP_SECRET');
  if (!/^cli_[0-9a-fA-F]{16}$/.test(appId)) {
    // WSClient.start() refuses such an id silently; say it out loud.
    deps.log.warn('lark_ws_app_id_unusual', { message: 'LARK_APP_ID does not look like cli_ + 16 hex digits; the SDK will not connect' });
  }
  const params = {
    appId, appSecret, domain,
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
  const dispatcher = new InboxEventDispatcher(deps, opts);
  void Promise.resolve(client.start({ eventDispatcher: dispatcher })).catch((err: unknown) => deps.log.error('lark_ws_start_failed', { error: err instanceof Error ? err.message : String(err) }));
  return { client, dispatcher, close: () => client.close({ force: true }) };
}
